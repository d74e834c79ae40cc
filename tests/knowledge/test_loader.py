"""The loader refuses a broken knowledge file, naming file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from heelpath.errors import KnowledgeError
from heelpath.knowledge import load_knowledge

GOLDEN_KNOWLEDGE = Path(__file__).parents[1] / "golden" / "knowledge"


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "k"
    shutil.copytree(GOLDEN_KNOWLEDGE, d)
    return d


def _edit(d: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((d / name).read_text())
    change(data)
    (d / name).write_text(yaml.safe_dump(data))


def test_the_worked_example_loads() -> None:
    k = load_knowledge(GOLDEN_KNOWLEDGE)
    assert [c.id for c in k.conditions] == ["cond_a", "cond_b", "cond_c"]
    assert k.finding("f1").overlap == "pair"


BROKEN = [
    # (file, change, words the message must contain)
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][0].update(lr_pos=-2),
        ["evidence.yaml", "f1 x cond_a", "lr_pos"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][0].update(lr_pos="high"),
        ["evidence.yaml", "lr_pos", "number"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][0].update(finding="f9"),
        ["evidence.yaml", "f9", "finding"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][0].update(rationale=""),
        ["evidence.yaml", "f1 x cond_a", "rationale"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][3].update(source="nowhere_2020"),
        ["evidence.yaml", "f4 x cond_c", "source"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][3].pop("source"),
        ["evidence.yaml", "f4 x cond_c", "source", "published"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"].append(dict(d["likelihood_ratios"][0])),
        ["evidence.yaml", "duplicate"],
    ),
    (
        "evidence.yaml",
        lambda d: d["likelihood_ratios"][0].update(label="guess"),
        ["evidence.yaml", "label"],
    ),
    (
        "conditions.yaml",
        lambda d: d["conditions"][0]["prior"].update(adult=1.5),
        ["conditions.yaml", "cond_a", "adult"],
    ),
    (
        "conditions.yaml",
        lambda d: d["conditions"].pop(2),
        ["conditions.yaml", "cond_c", "no entry"],
    ),
    (
        "conditions.yaml",
        lambda d: d["conditions"][1]["modifiers"][0]["when"].update(sex="robot"),
        ["conditions.yaml", "cond_b modifier #1", "sex"],
    ),
    (
        "conditions.yaml",
        lambda d: d["conditions"][0].update(colour="red"),
        ["conditions.yaml", "cond_a", "colour"],
    ),
    (
        "findings.yaml",
        lambda d: d["findings"][0].update(question=""),
        ["findings.yaml", "f1", "question"],
    ),
    ("findings.yaml", lambda d: d["findings"].pop(), ["findings.yaml", "f4", "no entry"]),
    (
        "findings.yaml",
        lambda d: d["findings"][0].update(red_flag="yes"),
        ["findings.yaml", "f1", "red_flag"],
    ),
    (
        "findings.yaml",
        lambda d: d["findings"][0].update(follows="f2"),
        ["findings.yaml", "f1", "follows", "'f2' is not a finding listed before this one"],
    ),
    (
        "findings.yaml",
        lambda d: d["findings"][1].update(follows="f9"),
        ["findings.yaml", "f2", "follows", "'f9'"],
    ),
    (
        "findings.yaml",
        lambda d: (d["findings"][1].update(follows="f1"), d["findings"][2].update(follows="f2")),
        ["findings.yaml", "f3", "follows", "'f2' is itself a follow-up"],
    ),
    (
        "red_flags.yaml",
        lambda d: d["rules"][0].update(when="f7"),
        ["red_flags.yaml", "f4_rule", "when", "f7"],
    ),
    (
        "red_flags.yaml",
        lambda d: d["rules"][0].update(level="whenever"),
        ["red_flags.yaml", "f4_rule", "level"],
    ),
    (
        "red_flags.yaml",
        lambda d: d["rules"][0].update(when={"not": "f4"}),
        ["red_flags.yaml", "f4_rule", "not"],
    ),
    (
        "sources.yaml",
        lambda d: d["sources"].append(dict(d["sources"][0])),
        ["sources.yaml", "handbook", "duplicate"],
    ),
]


@pytest.mark.parametrize(("name", "change", "words"), BROKEN)
def test_broken_file_is_refused_with_file_entry_and_field(
    tmp_path: Path, name: str, change, words: list[str]
) -> None:  # type: ignore[no-untyped-def]
    d = _copy(tmp_path)
    _edit(d, name, change)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(d)
    for w in words:
        assert w in str(err.value)


def test_a_follow_up_names_the_finding_it_follows(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _edit(d, "findings.yaml", lambda data: data["findings"][1].update(follows="f1"))
    k = load_knowledge(d)
    assert k.finding("f2").follows == "f1"
    assert k.follow_ups == {"f2": "f1"}
    assert load_knowledge(GOLDEN_KNOWLEDGE).follow_ups == {}


def test_not_yaml_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "evidence.yaml").write_text("likelihood_ratios: [\n")
    with pytest.raises(KnowledgeError, match=r"evidence\.yaml.*not valid YAML"):
        load_knowledge(d)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "findings.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"findings\.yaml.*missing"):
        load_knowledge(d)
