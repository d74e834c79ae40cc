"""The trust pages: about, clinical safety (from the hazard log) and the footer that links them."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from heelpath import __version__
from heelpath.knowledge.version import knowledge_version
from heelpath.web.safety_summary import LOG_PATHS, PLAIN, load_summary, summarise

LOG = Path(__file__).resolve().parents[2] / "docs" / "safety" / "hazard-log.md"


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def test_every_page_footer_links_about_privacy_and_clinical_safety(client: TestClient) -> None:
    for path in ("/", "/about", "/privacy", "/clinical-safety", "/signin"):
        footer = _footer(client.get(path).text)
        hrefs = re.findall(r'href="([^"]+)"', footer)
        assert hrefs == ["/about", "/privacy", "/clinical-safety"], path
        assert "/docs" not in footer  # the API docs are for developers, not the patient footer


def test_the_about_page_says_who_how_the_limits_and_not_a_diagnosis(client: TestClient) -> None:
    page = client.get("/about")
    assert page.status_code == 200
    text = page.text
    for words in (
        "the heelpath team",
        "It is not a diagnosis",
        "How it works",
        "The evidence and its limits",
        "Strong evidence",
        "Some evidence",
        "Little evidence",
        f"heelpath {__version__}",
        knowledge_version(),
    ):
        assert words in text, words
    assert 'href="/docs"' in text  # the developers' link lives here now


def test_the_clinical_safety_page_counts_every_hazard_of_the_log(client: TestClient) -> None:
    log = LOG.read_text(encoding="utf-8")
    numbers = re.findall(r"^### H(\d+)\. (.+)$", log, re.MULTILINE)
    live = [t for _, t in numbers if not t.endswith("(withdrawn)")]
    page = client.get("/clinical-safety").text
    assert f"<strong>{len(live)} hazards</strong>" in page
    summary = load_summary()
    assert summary is not None and summary.total == len(live)
    for section in summary.sections:
        assert f"{section.title}: {len(section.hazards)} hazard" in page.replace("&amp;", "&")
    assert summary.residual and summary.residual[0][:40] in page


def test_every_section_of_the_log_is_worded_for_a_person() -> None:
    summary = load_summary()
    assert summary is not None
    assert [s.title for s in summary.sections if s.title not in PLAIN] == []


def test_the_summary_reads_sections_hazards_and_leaves_out_withdrawn_ones() -> None:
    text = (
        "# Log\n\n## How to read and keep this log\n\n- not a hazard\n\n"
        "## Part one\n\n### H1. First\n- **Cause:** x\n\n### H2. Old (withdrawn)\n\n"
        "## Part two\n\n### H3. Third\n\n## Residual risks and limits\n\n- one limit\n  that wraps\n"
    )
    summary = summarise(text)
    assert [(s.title, s.hazards) for s in summary.sections] == [
        ("Part one", ("First",)),
        ("Part two", ("Third",)),
    ]
    assert summary.residual == ("one limit that wraps",)
    assert summary.total == 2


def test_without_a_shipped_log_the_page_says_where_it_is(tmp_path: Path) -> None:
    assert load_summary((tmp_path / "none.md",)) is None
    assert LOG in LOG_PATHS
