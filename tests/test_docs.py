"""Docs that tests verify: the README's commands are the ones CI runs; every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_serve_and_test_commands() -> None:
    serve, test = _readme_commands()
    assert "heelpath serve" in serve
    assert "pytest" in test


def test_ci_runs_the_readmes_test_command() -> None:
    _, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test.strip() in [line.strip() for line in ci.splitlines()]


def test_every_cli_command_is_in_the_readme() -> None:
    from heelpath.cli import app

    readme = (ROOT / "README.md").read_text()
    for cmd in app.registered_commands:
        name = cmd.name or (cmd.callback.__name__ if cmd.callback else "")
        assert f"heelpath {name}" in readme, name


SPEC = ROOT.parent / "shared" / "spec"
# ours; docs/assess-contract.md is the spec, copied byte for byte (it names the project's
# evaluation tools where the spec lives)
DOCS = sorted(
    p
    for p in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    if p.name != "assess-contract.md"
)


def test_the_contract_and_vocabulary_in_docs_are_the_spec() -> None:
    packaged = ROOT / "src" / "heelpath" / "knowledge" / "vocabulary.json"
    assert (ROOT / "docs" / "vocabulary.json").read_bytes() == packaged.read_bytes()
    if not SPEC.is_dir():
        pytest.skip(f"the shared spec is not beside this checkout ({SPEC})")
    for name in ("assess-contract.md", "vocabulary.json"):
        assert (ROOT / "docs" / name).read_bytes() == (SPEC / name).read_bytes(), name


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_point_only_at_files_inside_the_repository(doc: Path) -> None:
    text = doc.read_text()
    assert not re.search(r"(?<!\.)\.\./", text), "a path outside the repository"
    assert not re.search(r"`/?shared/", text), "a path into the shared folder"
    for path in re.findall(r"`((?:src|tests|docs|benchmarks|examples)/[\w./-]+)`", text):
        assert (ROOT / path).exists() or "*" in path, f"{path} does not exist"


def test_the_readmes_batch_example_runs_as_shown() -> None:
    import orjson

    from heelpath.engine import default_engine

    assert "heelpath assess --batch examples/cases.jsonl" in (ROOT / "README.md").read_text()
    lines = (ROOT / "examples" / "cases.jsonl").read_bytes().splitlines()
    answers = [orjson.loads(a) for a in default_engine().assess_lines(lines)]
    assert len(answers) == len(lines) >= 3
    assert all("error" not in a for a in answers)
