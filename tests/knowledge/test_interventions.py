"""interventions.yaml: complete, dosed, graded, sourced, brand-free; a broken entry is refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from heelpath.errors import KnowledgeError
from heelpath.knowledge import KNOWLEDGE_DIR, Knowledge
from heelpath.knowledge.expressions import Ids
from heelpath.knowledge.interventions import GRADES, Dose, load_interventions

YAML_PATH = KNOWLEDGE_DIR / "interventions.yaml"

# Brands the seed article and common shops name; the plan speaks of categories only.
BRANDS = [
    "Biofreeze", "AirHeel", "Aircast", "Strassburg", "Superfeet", "Powerstep", "Spenco",
    "Scholl", "Tuli", "Bauerfeind", "Voltaren", "Voltarol", "Nurofen", "Advil", "Motrin",
    "Deep Heat", "Theraband", "Vionic", "Hoka", "Brooks", "Asics", "Amazon", "Zamst",
    "McDavid", "Mueller", "Futuro", "Tiger Tail", "TheraBand", "FootSmart", "ProFoot",
]  # fmt: skip


def ids_of(knowledge: Knowledge) -> Ids:
    v = knowledge.vocabulary
    return Ids(
        findings=frozenset(f.id for f in knowledge.findings),
        conditions=frozenset(c.id for c in knowledge.conditions),
        sex=frozenset(v.sex),
        footwear=frozenset(v.footwear),
        work=frozenset(v.work),
        rules=frozenset(r.id for r in knowledge.red_flag_rules),
    )


def load_edited(knowledge: Knowledge, tmp_path: Path, edit: Any) -> Any:
    """Load a copy of interventions.yaml after ``edit(data)`` changed it."""
    data = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "interventions.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_interventions(path, ids_of(knowledge), knowledge.vocabulary, knowledge.sources)


def entry(data: dict[str, Any], iid: str) -> dict[str, Any]:
    return next(e for e in data["interventions"] if e["id"] == iid)


def test_every_vocabulary_intervention_has_one_entry(knowledge: Knowledge) -> None:
    ids = [iv.id for iv in knowledge.interventions]
    assert len(ids) == len(set(ids))
    assert set(knowledge.vocabulary.interventions) <= set(ids)
    own = {iv.id for iv in knowledge.interventions if iv.own}
    assert (
        set(ids) - set(knowledge.vocabulary.interventions) == own == {"graded_return_to_activity"}
    )


def test_every_entry_is_dosed_graded_and_sourced(knowledge: Knowledge) -> None:
    for iv in knowledge.interventions:
        assert iv.title and iv.instructions, iv.id
        assert iv.dose.text(), iv.id
        assert iv.evidence, iv.id
        for e in iv.evidence:
            assert e.grade in GRADES and e.summary, iv.id
            assert e.source in knowledge.sources or (e.source is None and e.rationale), iv.id
        # interventions for a condition say which; care and referral steps may serve none
        assert iv.serves_all or iv.serves or iv.kind in ("care", "refer", "protect"), iv.id


def test_loading_programmes_carry_sets_repetitions_frequency_and_weeks(
    knowledge: Knowledge,
) -> None:
    by_id = {iv.id: iv for iv in knowledge.interventions}
    for iid in (
        "eccentric_heel_drops_full_range",
        "eccentric_heel_drops_floor_level",
        "progressive_calf_strengthening",
    ):
        dose = by_id[iid].dose
        assert re.search(r"\d+ sets", dose.each), iid
        assert dose.how_often and "12 weeks" in dose.course, iid


def test_no_brand_names_or_links() -> None:
    text = YAML_PATH.read_text(encoding="utf-8")
    assert not re.search(r"https?://|www\.|\.com\b|\.co\.uk\b", text)
    found = [b for b in BRANDS if re.search(rf"\b{re.escape(b)}\b", text, re.IGNORECASE)]
    assert not found


def test_dose_reads_as_one_line() -> None:
    assert Dose("3 sets of 15", "twice a day", "12 weeks").text() == (
        "3 sets of 15; twice a day; for 12 weeks"
    )
    assert Dose("Today").text() == "Today"


def test_unknown_finding_in_contraindication_is_rejected(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    def typo(data: dict[str, Any]) -> None:
        entry(data, "ice")["contraindications"][0]["when"] = "reduced_foot_sensaton"

    with pytest.raises(KnowledgeError) as err:
        load_edited(knowledge, tmp_path, typo)
    assert err.value.file == "interventions.yaml"
    assert err.value.entry == "ice"
    assert err.value.field == "contraindications[0].when"
    assert "reduced_foot_sensaton" in err.value.message


@pytest.mark.parametrize(
    ("edit", "iid", "field"),
    [
        (lambda d: d["interventions"].remove(entry(d, "heel_cup")), "heel_cup", "id"),
        (lambda d: entry(d, "ice")["evidence"][0].update(grade="G"), "ice", "evidence[0].grade"),
        (lambda d: entry(d, "ice").update(dose=""), "ice", "dose"),
        (lambda d: entry(d, "ice").update(colour="blue"), "ice", "colour"),
        (lambda d: entry(d, "ice").update(serves=["elbow_pain"]), "ice", "serves"),
        (lambda d: entry(d, "ice").update(kind="magic"), "ice", "kind"),
        (
            lambda d: entry(d, "ice")["evidence"][0].update(source="nobody_2099"),
            "ice",
            "evidence[0].source",
        ),
        (
            lambda d: entry(d, "heel_lift")["by_footwear"].update(stilettos="no"),
            "heel_lift",
            "by_footwear.stilettos",
        ),
        (
            lambda d: entry(d, "urgent_in_person_care")["by_rule"].update(no_such_rule="x"),
            "urgent_in_person_care",
            "by_rule.no_such_rule",
        ),
        (
            lambda d: entry(d, "stability_brace").update(requires=["no_such_brace"]),
            "stability_brace",
            "requires",
        ),
        (
            lambda d: entry(d, "graded_return_to_activity").pop("own"),
            "graded_return_to_activity",
            "own",
        ),
    ],
)
def test_broken_entry_is_refused_naming_entry_and_field(
    knowledge: Knowledge, tmp_path: Path, edit: Any, iid: str, field: str
) -> None:
    with pytest.raises(KnowledgeError) as err:
        load_edited(knowledge, tmp_path, edit)
    assert (err.value.file, err.value.entry, err.value.field) == ("interventions.yaml", iid, field)


def test_the_shipped_file_loads_the_same_as_the_knowledge(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    reloaded = load_edited(knowledge, tmp_path, lambda d: None)
    assert [iv.id for iv in reloaded] == [iv.id for iv in knowledge.interventions]


def test_no_knowledge_text_names_the_article_the_product_started_from() -> None:
    # a person never read it: the knowledge says "common advice" or "many home-care guides"
    article = re.compile(r"\bseed article\b|\bthe seed\b", re.IGNORECASE)
    for path in sorted(KNOWLEDGE_DIR.glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not article.search(line), f"{path.name}:{number}: {line.strip()}"


def test_an_unknown_definition_name_is_refused_naming_file_entry_and_field(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    def typo(data: dict[str, Any]) -> None:
        entry(data, "ice")["contraindications"][0]["when"] = "young_chld"

    with pytest.raises(KnowledgeError) as err:
        load_edited(knowledge, tmp_path, typo)
    assert (err.value.file, err.value.entry, err.value.field) == (
        "interventions.yaml",
        "ice",
        "contraindications[0].when",
    )
    assert "unknown finding or definition 'young_chld'" in err.value.message


def test_an_unknown_text_name_is_refused_naming_file_entry_and_field(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    def typo(data: dict[str, Any]) -> None:
        entry(data, "ice")["contraindications"][0]["reason"] = {"text": "young_child_reasn"}

    with pytest.raises(KnowledgeError) as err:
        load_edited(knowledge, tmp_path, typo)
    assert (err.value.entry, err.value.field) == ("ice", "contraindications[0].reason")
    assert "unknown text 'young_child_reasn'" in err.value.message


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        # a name that is also a finding id: `when: name` would be ambiguous
        (
            lambda d: d["definitions"].update(pregnant={"age_below": 50}),
            "pregnant",
            "a finding has this id",
        ),
        # a definition may use only the names above it, so none can refer to itself
        (
            lambda d: d["definitions"].update(child={"any": ["child"]}),
            "child",
            "unknown finding or definition 'child'",
        ),
        (
            lambda d: d["definitions"].update({"Child!": {"age_below": 16}}),
            "Child!",
            "lower-case",
        ),
        (lambda d: d["definitions"].update(child={"age_below": "16"}), "child", "whole number"),
    ],
)
def test_a_broken_definition_is_refused_naming_it(
    knowledge: Knowledge, tmp_path: Path, edit: Any, field: str, words: str
) -> None:
    with pytest.raises(KnowledgeError) as err:
        load_edited(knowledge, tmp_path, edit)
    assert (err.value.entry, err.value.field) == ("definitions", field)
    assert words in err.value.message


def test_a_definition_is_one_predicate_wherever_it_is_used(knowledge: Knowledge) -> None:
    # the safety filter checks each distinct predicate once per person
    data = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
    uses = [
        (raw["id"], i)
        for raw in data["interventions"]
        for i, guard in enumerate(raw.get("contraindications") or [])
        if guard["when"] == "rupture_suspected"
    ]
    assert len(uses) > 3
    by_id = {iv.id: iv for iv in knowledge.interventions}
    predicates = {id(by_id[iid].contraindications[i].holds) for iid, i in uses}
    assert len(predicates) == 1
    reasons = {by_id[iid].contraindications[i].text for iid, i in uses}
    assert reasons == {" ".join(data["texts"]["rupture_reason"].split())}
