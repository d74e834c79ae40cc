"""The knowledge as tables for a clinician to review (``heelpath knowledge``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.table import Table

from heelpath.knowledge.model import CombinedFinding, Knowledge, Provenance


def _prov(p: Provenance) -> str:
    if p.label == "published":
        return f"published: {p.source}" + (f" — {p.rationale}" if p.rationale else "")
    return "estimate" + (f" ({p.source})" if p.source else "") + f": {p.rationale}"


def _combination(cf: CombinedFinding) -> str:
    """The findings of a combination, and its age range if it has one."""
    names = " + ".join(cf.findings)
    if cf.when is None:
        return names
    low, high = cf.when.age_min, cf.when.age_max
    if low is not None and high is not None:
        return f"{names} (age {low}-{high})"
    return f"{names} (age {low}+)" if low is not None else f"{names} (age up to {high})"


def _lr(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def print_tables(
    k: Knowledge, console: Console, *, section: str = "all", condition: str | None = None
) -> None:
    """Print the requested section(s)."""
    if section in ("conditions", "all"):
        t = Table(title="Conditions and priors", show_lines=False)
        t.add_column("condition", no_wrap=True)
        for col in ("adult prior", "child prior (8-14)", "modifiers", "basis"):
            t.add_column(col)
        for c in k.conditions:
            mods = "; ".join(
                f"{_who(m.when.age_min, m.when.age_max, m.when.sex)} ×{m.multiplier:g}"
                + (f", else ×{m.otherwise:g}" if m.otherwise != 1.0 else "")
                for m in c.modifiers
            )
            t.add_row(
                c.id, f"{c.prior.adult:g}", f"{c.prior.child:g}", mods, _prov(c.prior.provenance)
            )
        r = k.residual_prior
        t.add_row("(something not listed)", f"{r.adult:g}", f"{r.child:g}", "", _prov(r.provenance))
        console.print(t)
    if section in ("evidence", "all"):
        conds = [c.id for c in k.conditions if condition is None or c.id == condition]
        for cid in conds:
            rows = [lr for lr in k.likelihood_ratios if lr.condition == cid]
            t = Table(title=f"Likelihood ratios: {cid}")
            t.add_column("finding", no_wrap=True)
            for col in ("LR+ (present)", "LR- (absent)", "basis"):
                t.add_column(col)
            for lr in rows:
                t.add_row(lr.finding, _lr(lr.lr_pos), _lr(lr.lr_neg), _prov(lr.provenance))
            console.print(t)
    if section in ("evidence", "all") and k.combined:
        t = Table(title="Combined findings: an extra ratio when all are present")
        for col in ("findings", "condition", "extra ratio", "basis"):
            t.add_column(col)
        for cf in k.combined:
            if condition is None or cf.condition == condition:
                t.add_row(_combination(cf), cf.condition, f"{cf.lr:g}", _prov(cf.provenance))
        console.print(t)
    if section in ("rules", "all"):
        t = Table(title="Red-flag rules")
        t.add_column("code")
        t.add_column("rule", no_wrap=True)
        for col in ("level", "adds", "basis"):
            t.add_column(col)
        for rule in k.red_flag_rules:
            t.add_row(rule.code, rule.id, rule.level, ", ".join(rule.adds), _prov(rule.provenance))
        console.print(t)
    if section in ("sources", "all"):
        t = Table(title="Sources")
        t.add_column("id")
        t.add_column("citation")
        for s in k.sources.values():
            t.add_row(s.id, s.citation + (f" ({s.note})" if s.note else ""))
        console.print(t)


def _who(age_min: int | None, age_max: int | None, sex: str | None) -> str:
    parts = []
    if age_min is not None and age_max is not None:
        parts.append(f"age {age_min}-{age_max}")
    elif age_min is not None:
        parts.append(f"age ≥{age_min}")
    elif age_max is not None:
        parts.append(f"age ≤{age_max}")
    if sex:
        parts.append(sex)
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One finding x condition cell of the evidence matrix and how it was decided."""

    finding: str
    condition: str
    decision: str  # published | estimate | neutral | undecided
    lr_pos: float | None = None
    lr_neg: float | None = None
    source: str = ""
    basis: str = ""


def matrix_cells(k: Knowledge) -> list[MatrixCell]:
    """Every finding x condition cell, findings in knowledge order, conditions across."""
    ratios = {(lr.finding, lr.condition): lr for lr in k.likelihood_ratios}
    neutral = {(n.finding, n.condition): n for n in k.neutral}
    cells = []
    for f in k.findings:
        for c in k.conditions:
            lr = ratios.get((f.id, c.id))
            n = neutral.get((f.id, c.id))
            if lr is not None:
                p = lr.provenance
                cells.append(
                    MatrixCell(
                        f.id, c.id, p.label, lr.lr_pos, lr.lr_neg, p.source or "", p.rationale
                    )
                )
            elif n is not None:
                cells.append(MatrixCell(f.id, c.id, "neutral", 1.0, 1.0, "", n.why))
            else:
                cells.append(MatrixCell(f.id, c.id, "undecided"))
    return cells


def undecided_cells(k: Knowledge) -> list[MatrixCell]:
    """The cells nobody has decided yet (the matrix must have none)."""
    return [cell for cell in matrix_cells(k) if cell.decision == "undecided"]


def short_name(condition_id: str) -> str:
    """A column heading for the matrix: the initials of the condition id's words."""
    return "".join(word[0] for word in condition_id.split("_"))


def _cell_text(cell: MatrixCell) -> str:
    if cell.decision == "undecided":
        return "?"
    if cell.decision == "neutral":
        return "1"
    return f"{_lr(cell.lr_pos)}/{_lr(cell.lr_neg)}"


def print_matrix(k: Knowledge, console: Console) -> None:
    """The matrix as a table: LR+/LR- per cell, 1 for neutral, ? for undecided."""
    cells = matrix_cells(k)
    t = Table(title="Evidence matrix: LR+ / LR- (— no change that way), 1 neutral, ? undecided")
    t.add_column("finding", no_wrap=True)
    for c in k.conditions:
        t.add_column(short_name(c.id), justify="right", no_wrap=True)
    width = len(k.conditions)
    for i, f in enumerate(k.findings):
        row = cells[i * width : (i + 1) * width]
        t.add_row(f.id, *(_cell_text(cell) for cell in row))
    console.print(t)
    console.print(
        "columns: " + ", ".join(f"{short_name(c.id)} = {c.id}" for c in k.conditions),
        soft_wrap=True,
    )
    counts = {d: 0 for d in ("published", "estimate", "neutral", "undecided")}
    for cell in cells:
        counts[cell.decision] += 1
    console.print(
        f"{len(cells)} cells: "
        + ", ".join(f"{n} {d}" for d, n in counts.items())
        + " (`heelpath knowledge matrix --csv` lists each cell's source and basis)"
    )


def write_matrix_csv(k: Knowledge, out: TextIO) -> None:
    """One line per cell: finding, condition, decision, LR+, LR-, source, basis."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["finding", "condition", "decision", "lr_pos", "lr_neg", "source", "basis"])
    for cell in matrix_cells(k):
        w.writerow(
            [
                cell.finding,
                cell.condition,
                cell.decision,
                "" if cell.lr_pos is None else f"{cell.lr_pos:g}",
                "" if cell.lr_neg is None else f"{cell.lr_neg:g}",
                cell.source,
                cell.basis,
            ]
        )
