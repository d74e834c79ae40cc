"""The evidence matrix: every finding x condition cell is a decision."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml

from heelpath.errors import KnowledgeError
from heelpath.knowledge import load_knowledge
from heelpath.knowledge.loader import KNOWLEDGE_DIR
from heelpath.knowledge_tables import matrix_cells, undecided_cells, write_matrix_csv

GOLDEN_KNOWLEDGE = Path(__file__).parents[1] / "golden" / "knowledge"


def test_the_shipped_matrix_has_no_undecided_cell() -> None:
    k = load_knowledge()
    missing = [f"{c.finding} x {c.condition}" for c in undecided_cells(k)]
    assert not missing, f"{len(missing)} undecided cells, e.g. {missing[:5]}"
    assert len(matrix_cells(k)) == len(k.findings) * len(k.conditions)


def test_a_cell_left_out_is_reported_undecided(tmp_path: Path) -> None:
    d = tmp_path / "k"
    shutil.copytree(KNOWLEDGE_DIR, d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    data = yaml.safe_load((d / "evidence.yaml").read_text())
    entry = data["neutral"][0]
    dropped = entry["conditions"].pop()
    if not entry["conditions"]:
        data["neutral"].pop(0)
    (d / "evidence.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    cells = undecided_cells(load_knowledge(d))
    assert [(c.finding, c.condition) for c in cells] == [(entry["finding"], dropped)]


def test_neutral_cells_carry_their_reason() -> None:
    k = load_knowledge()
    assert k.neutral
    assert all(n.why for n in k.neutral)


def _golden_with(tmp_path: Path, neutral: object) -> Path:
    d = tmp_path / "k"
    shutil.copytree(GOLDEN_KNOWLEDGE, d)
    data = yaml.safe_load((d / "evidence.yaml").read_text())
    data["neutral"] = neutral
    (d / "evidence.yaml").write_text(yaml.safe_dump(data))
    return d


def test_a_neutral_decision_loads(tmp_path: Path) -> None:
    d = _golden_with(tmp_path, [{"finding": "f1", "conditions": ["cond_b"], "why": "no link"}])
    cells = {(c.finding, c.condition): c for c in matrix_cells(load_knowledge(d))}
    assert cells["f1", "cond_b"].decision == "neutral"
    assert cells["f1", "cond_b"].basis == "no link"
    assert cells["f1", "cond_c"].decision == "undecided"


@pytest.mark.parametrize(
    ("neutral", "field"),
    [
        ([{"finding": "f1", "conditions": ["cond_a"], "why": "x"}], "conditions"),  # has a ratio
        ([{"finding": "f1", "conditions": ["cond_z"], "why": "x"}], "conditions"),
        ([{"finding": "f9", "conditions": ["cond_b"], "why": "x"}], "finding"),
        ([{"finding": "f1", "conditions": ["cond_b"]}], "why"),
        ([{"finding": "f1", "conditions": [], "why": "x"}], "conditions"),
        ([{"finding": "f1", "conditions": ["cond_b"], "why": "x", "lr": 1}], "lr"),
        ({"finding": "f1"}, "neutral"),
    ],
)
def test_a_broken_neutral_entry_is_refused(tmp_path: Path, neutral: object, field: str) -> None:
    d = _golden_with(tmp_path, neutral)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(d)
    assert "evidence.yaml" in str(err.value)
    assert field in str(err.value)


def test_the_csv_has_one_line_per_cell_with_its_basis() -> None:
    k = load_knowledge()
    out = io.StringIO()
    write_matrix_csv(k, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(k.findings) * len(k.conditions)
    assert {r["decision"] for r in rows} <= {"published", "estimate", "neutral"}
    assert all(r["basis"] or r["source"] for r in rows)
    squeeze = next(
        r
        for r in rows
        if r["finding"] == "calf_squeeze_no_foot_movement"
        and r["condition"] == "achilles_tendon_rupture"
    )
    # a home test: the clinic figure (13.7 / 0.04) held within the home-test bounds
    assert squeeze["decision"] == "estimate" and squeeze["source"] == "maffulli_1998"
    assert (squeeze["lr_pos"], squeeze["lr_neg"]) == ("10", "0.2")
    assert "Capped for a test done at home" in squeeze["basis"]
