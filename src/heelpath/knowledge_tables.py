"""The knowledge as tables for a clinician to review (``heelpath knowledge``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from heelpath.knowledge.model import Knowledge, Provenance


def _prov(p: Provenance) -> str:
    if p.label == "published":
        return f"published: {p.source}" + (f" — {p.rationale}" if p.rationale else "")
    return "estimate" + (f" ({p.source})" if p.source else "") + f": {p.rationale}"


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
