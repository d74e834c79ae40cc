"""Sparse answers: what a named site tells, and how far a home test may move a chance."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import Engine
from heelpath.errors import KnowledgeError
from heelpath.knowledge import Knowledge, load_knowledge
from heelpath.reasoning.results import Differential

GOLDEN_KNOWLEDGE = Path(__file__).parents[1] / "golden" / "knowledge"


def _differential(engine: Engine, findings: dict[str, bool]) -> Differential:
    return engine.evaluate(
        engine.parse({"age": 40, "sex": "male", "findings": findings})
    ).differential


def test_a_named_site_answers_the_others_for_the_ranking(
    engine: Engine, knowledge: Knowledge
) -> None:
    named = {"pain_under_heel": True}
    explicit = {**{s: False for s in knowledge.sites}, **named}
    a = _differential(engine, named)
    b = _differential(engine, explicit)
    assert [(s.id, s.probability) for s in a.scores] == [(s.id, s.probability) for s in b.scores]


def test_an_unnamed_site_is_never_reassurance_for_triage(
    engine: Engine, knowledge: Knowledge
) -> None:
    # each condition's own chance (what triage reads) uses only the answers given
    named = {"pain_under_heel": True}
    explicit = {**{s: False for s in knowledge.sites}, **named}
    a = _differential(engine, named)
    b = _differential(engine, explicit)
    rupture_a = a.score("achilles_tendon_rupture").chance
    rupture_b = b.score("achilles_tendon_rupture").chance
    assert rupture_a > rupture_b  # "no pain in the tendon" was not said, so not applied


def test_pain_deep_behind_the_ankle_alone_points_to_impingement(engine: Engine) -> None:
    d = _differential(engine, {"pain_deep_behind_ankle": True})
    assert d.scores[0].id == "posterior_ankle_impingement"


def test_a_negative_home_calf_squeeze_cannot_rule_out_a_tear(engine: Engine) -> None:
    before = _differential(engine, {"sudden_onset": True})
    after = _differential(engine, {"sudden_onset": True, "calf_squeeze_no_foot_movement": False})
    odds = [d.score("achilles_tendon_rupture").chance for d in (before, after)]
    ratio = (odds[1] / (1 - odds[1])) / (odds[0] / (1 - odds[0]))
    assert math.isclose(ratio, 0.2, rel_tol=1e-6)


def test_home_test_bounds_cap_a_ratio_and_say_so(tmp_path: Path) -> None:
    d = tmp_path / "k"
    shutil.copytree(GOLDEN_KNOWLEDGE, d)
    data = yaml.safe_load((d / "evidence.yaml").read_text())
    data["home_tests"] = {"findings": ["f1"], "max_lr_pos": 3, "min_lr_neg": 0.6, "why": "x"}
    (d / "evidence.yaml").write_text(yaml.safe_dump(data))
    k = load_knowledge(d)
    lr = next(x for x in k.likelihood_ratios if x.finding == "f1")
    assert (lr.lr_pos, lr.lr_neg) == (3, 0.6)
    assert lr.provenance.label == "estimate"
    assert "Capped for a test done at home" in lr.provenance.rationale
    other = next(x for x in k.likelihood_ratios if x.finding == "f2")
    assert other.lr_pos == 9  # not a home test: untouched


def test_a_combined_pair_counts_more_than_its_parts(engine: Engine) -> None:
    # both heels stiff in the morning: the inflammatory pattern (ASAS), more than each alone
    def chance(findings: dict[str, bool]) -> float:
        return _differential(engine, findings).score("inflammatory_enthesitis").chance

    def odds(p: float) -> float:
        return p / (1 - p)

    base = odds(chance({}))
    heels = odds(chance({"both_heels": True})) / base
    stiff = odds(chance({"morning_stiffness": True})) / base
    both = odds(chance({"both_heels": True, "morning_stiffness": True})) / base
    assert math.isclose(both, heels * stiff * 2.0, rel_tol=1e-9)


def test_a_tendon_drug_with_both_heels_keeps_a_rupture_possible(engine: Engine) -> None:
    # drug-damaged tendons fail on both sides: 'both heels' must not argue against a tear
    alone = _differential(engine, {"fluoroquinolone_recent": True})
    both = _differential(engine, {"fluoroquinolone_recent": True, "both_heels": True})
    rupture = [d.score("achilles_tendon_rupture").chance for d in (alone, both)]
    # without the combination 'both heels' alone would cut the odds of a tear to 0.3
    assert rupture[1] > rupture[0] * 0.8


def test_a_fall_points_to_an_injury_not_an_overuse_condition(engine: Engine) -> None:
    # one answer, a fall: the broken heel bone ranks above every overuse condition, and
    # with both heels (a landing on both feet) 'both heels' no longer argues against it
    for findings in (
        {"fall_or_heel_impact": True},
        {"fall_or_heel_impact": True, "both_heels": True},
    ):
        d = _differential(engine, findings)
        fracture = d.score("calcaneal_fracture").probability
        for overuse in (
            "midportion_achilles_tendinopathy",
            "insertional_achilles_tendinopathy",
            "retrocalcaneal_bursitis",
            "haglund_syndrome",
        ):
            assert fracture > d.score(overuse).probability, (findings, overuse)
    alone = _differential(engine, {"fall_or_heel_impact": True})
    both = _differential(engine, {"fall_or_heel_impact": True, "both_heels": True})
    chances = [d.score("calcaneal_fracture").chance for d in (alone, both)]
    assert math.isclose(chances[0], chances[1], rel_tol=1e-9)


def test_a_swollen_warm_calf_puts_a_clot_beside_the_tears(engine: Engine) -> None:
    # the clot's ratio is read among people with heel pain, not among people already
    # suspected of a clot (where a swollen calf is common): with calf pain it stands
    # beside the tears, not far behind them
    d = _differential(engine, {"pain_in_calf": True, "calf_swelling_tenderness": True})
    clot = d.score("deep_vein_thrombosis").probability
    assert clot > 0.15
    assert clot > 0.75 * d.scores[0].probability


def test_two_combinations_never_make_the_same_correction_twice(engine: Engine) -> None:
    # a fluoroquinolone and a steroid, each with both heels, both cancel what 'both heels'
    # says about a rupture; with both drugs it is cancelled once, not twice over
    def odds(findings: dict[str, bool]) -> float:
        p = _differential(engine, findings).score("achilles_tendon_rupture").chance
        return p / (1 - p)

    drugs = {"fluoroquinolone_recent": True, "steroid_use": True}
    one = odds({"fluoroquinolone_recent": True, "both_heels": True}) / odds(
        {"fluoroquinolone_recent": True}
    )
    two = odds({**drugs, "both_heels": True}) / odds(drugs)
    assert math.isclose(one, two, rel_tol=1e-9)
    assert one < 1.5  # 'both heels' no longer argues against a tear; it does not argue for one


def _odds_ratio(engine: Engine, condition: str, age: int, findings: dict[str, bool]) -> float:
    """How far these answers move the condition's own odds, for a man of this age."""

    def odds(given: dict[str, bool]) -> float:
        d = engine.evaluate(engine.parse({"age": age, "sex": "male", "findings": given}))
        p = d.differential.score(condition).chance
        return p / (1 - p)

    return odds(findings) / odds({})


def test_a_fluoroquinolone_means_more_in_older_people(engine: Engine) -> None:
    # rupture OR 4.3 overall, 6.4 at 60-79, 20.4 at 80 and over (van der Linden 2003);
    # tendinitis OR 8.3 over 60 against 1.6 at 60 and under (Wise 2012)
    rupture = {
        age: _odds_ratio(engine, "achilles_tendon_rupture", age, {"fluoroquinolone_recent": True})
        for age in (45, 59, 60, 70, 85)
    }
    assert rupture[45] == rupture[59] < rupture[60] == rupture[70] < rupture[85]
    assert math.isclose(rupture[85] / rupture[70], 4.7 / 1.5, rel_tol=1e-9)
    assert math.isclose(rupture[70] / rupture[45], 1.5 / 0.4, rel_tol=1e-9)
    assert 1.0 <= rupture[45] < 1.5  # a young person's antibiotic says little about a tear
    tendon = {
        age: _odds_ratio(
            engine, "midportion_achilles_tendinopathy", age, {"fluoroquinolone_recent": True}
        )
        for age in (40, 60, 61)
    }
    assert tendon[40] == tendon[60]
    assert math.isclose(tendon[61] / tendon[60], 1.9 / 0.4, rel_tol=1e-9)
    # the ratio is the relative risk itself: Wise 2012's 1.6 at 60 and under, 8.3 over 60
    assert math.isclose(tendon[60], 1.6, rel_tol=0.05)
    assert math.isclose(tendon[61], 8.3, rel_tol=0.1)


def test_a_fluoroquinolone_points_more_to_tendon_pain_than_to_a_tear_below_80(
    engine: Engine,
) -> None:
    # tendinitis OR 3.95 against rupture OR 2.52 (Alves 2019); 4.3 against 2.0 (Wise 2012).
    # From 80 the rupture risk climbs to OR 20.4 (van der Linden 2003) and leads. (At 60
    # itself the sources' bands meet: van der Linden's 60-79 against Wise's over 60.)
    drug = {"fluoroquinolone_recent": True}
    for age in (25, 45, 59, 61, 70, 79):
        tendon = _odds_ratio(engine, "midportion_achilles_tendinopathy", age, drug)
        tear = _odds_ratio(engine, "achilles_tendon_rupture", age, drug)
        assert tendon > tear, age
    assert _odds_ratio(engine, "achilles_tendon_rupture", 85, drug) > _odds_ratio(
        engine, "midportion_achilles_tendinopathy", 85, drug
    )


@settings(max_examples=60, deadline=None)
@given(age=st.integers(min_value=18, max_value=100), sex=st.sampled_from(["female", "male"]))
def test_a_fluoroquinolone_with_no_site_puts_the_tendon_body_ahead_of_the_insertion(
    engine: Engine, age: int, sex: str
) -> None:
    # the tendinitis figures are for 'Achilles tendinitis', the mid-portion form (brief
    # §1.2); the insertion takes half the ratio, enough to outweigh its age gradient
    d = engine.evaluate(
        engine.parse({"age": age, "sex": sex, "findings": {"fluoroquinolone_recent": True}})
    ).differential
    body = d.score("midportion_achilles_tendinopathy").probability
    insertion = d.score("insertional_achilles_tendinopathy").probability
    assert body > insertion


def test_a_wound_in_a_person_with_diabetes_or_numb_feet_puts_infection_first(
    engine: Engine,
) -> None:
    # 58% of new diabetic foot ulcers are infected at the first visit (Prompers 2007)
    for risk in ("diabetes", "reduced_foot_sensation"):
        d = engine.evaluate(
            engine.parse({"age": 60, "findings": {risk: True, "wound_or_puncture": True}})
        ).differential
        assert d.scores[0].id == "infection"
        apart = _odds_ratio(engine, "infection", 60, {risk: True}) * _odds_ratio(
            engine, "infection", 60, {"wound_or_puncture": True}
        )
        together = _odds_ratio(engine, "infection", 60, {risk: True, "wound_or_puncture": True})
        assert math.isclose(together / apart, 5.0, rel_tol=1e-9)
    # both risks share the wound: the pair's correction is made once, not twice
    both = {"diabetes": True, "reduced_foot_sensation": True, "wound_or_puncture": True}
    one = {"diabetes": True, "reduced_foot_sensation": True}
    ratio = _odds_ratio(engine, "infection", 60, both) / _odds_ratio(engine, "infection", 60, one)
    wound = _odds_ratio(engine, "infection", 60, {"wound_or_puncture": True})
    assert math.isclose(ratio / wound, 5.0, rel_tol=1e-9)


def test_long_standing_pain_that_suddenly_got_worse_keeps_a_tear_in_view(engine: Engine) -> None:
    # a sudden start on top of months of tendon pain is the story of a tear in a diseased
    # tendon, often taken for a flare (Gatz 2020); apart, "long-standing" cuts a tear's odds
    together = {"sudden_onset": True, "chronic_over_3_months": True}
    for condition, extra in (("achilles_tendon_rupture", 2.5), ("achilles_partial_tear", 2.2)):
        apart = _odds_ratio(engine, condition, 45, {"sudden_onset": True}) * _odds_ratio(
            engine, condition, 45, {"chronic_over_3_months": True}
        )
        both = _odds_ratio(engine, condition, 45, together)
        assert math.isclose(both / apart, extra, rel_tol=1e-9)
    d = _differential(engine, together)
    assert d.scores[0].id == "achilles_partial_tear"


def test_a_heel_wound_from_60_points_to_infection_more_than_twice_as_often(
    engine: Engine,
) -> None:
    # most adult heel infections start from a diabetic ulcer or a pressure sore, both of
    # later life (almost a third of older people have diabetes, about 2.3 times the adult
    # share: Cowie 2009; the heel is the second commonest site of pressure sores: Fowler 2008)
    def infection(age: int) -> tuple[float, int]:
        d = engine.evaluate(
            engine.parse({"age": age, "sex": "female", "findings": {"wound_or_puncture": True}})
        ).differential
        ranked = [s.id for s in d.scores]
        return d.score("infection").chance, ranked.index("infection")

    (younger, younger_rank), (older, older_rank) = infection(59), infection(60)
    # the prior rises at least by the diabetes ratio (its odds a little more)
    assert older / (1 - older) >= 2.3 * younger / (1 - younger)
    assert older_rank < younger_rank
    # ... which puts it among the first three causes listed, not behind the heel's
    # common mechanical causes alone (hazard H105)
    assert older_rank <= 2


def test_a_steroid_injection_near_the_tendon_counts_for_the_bursitis_too(engine: Engine) -> None:
    # an injection into the retrocalcaneal bursa is a standard next step for bursitis
    # (MedlinePlus); injections around the tendon itself are advised against (NICE CKS)
    steroid = {"steroid_use": True}
    bursa = _odds_ratio(engine, "retrocalcaneal_bursitis", 40, steroid)
    tendon = _odds_ratio(engine, "insertional_achilles_tendinopathy", 40, steroid)
    assert tendon > 1
    assert bursa >= tendon


def test_weak_bones_or_rheumatoid_disease_weigh_more_for_a_fracture_after_60(
    engine: Engine,
) -> None:
    # insufficiency fractures: median age 68, mistaken for an arthritis flare (Yurtsever 2020)
    for risk in ("systemic_inflammatory_disease", "low_bone_density_or_low_energy"):
        young, old = (
            _odds_ratio(engine, "calcaneal_stress_fracture", age, {risk: True}) for age in (59, 60)
        )
        assert math.isclose(old / young, 2.0, rel_tol=1e-9)


def test_an_age_range_is_read_and_one_finding_needs_one(tmp_path: Path) -> None:
    d = tmp_path / "k"
    shutil.copytree(GOLDEN_KNOWLEDGE, d)
    data = yaml.safe_load((d / "evidence.yaml").read_text())
    entry = {"findings": ["f1"], "condition": "cond_a", "lr": 2, "label": "estimate"}
    entry["rationale"] = "x"
    data["combined"] = [{**entry, "when": {"age_min": 60}}]
    (d / "evidence.yaml").write_text(yaml.safe_dump(data))
    k = load_knowledge(d)
    assert k.combined[0].when is not None and k.combined[0].when.age_min == 60
    for bad, message in (
        ({}, "two or more"),
        ({"when": {}}, "age range"),
        ({"when": {"sex": "female"}}, "sex"),
    ):
        data["combined"] = [{**entry, **bad}]
        (d / "evidence.yaml").write_text(yaml.safe_dump(data))
        with pytest.raises(KnowledgeError, match=message):
            load_knowledge(d)


def test_combined_findings_are_checked_on_load(tmp_path: Path) -> None:
    d = tmp_path / "k"
    shutil.copytree(GOLDEN_KNOWLEDGE, d)
    data = yaml.safe_load((d / "evidence.yaml").read_text())
    data["combined"] = [
        {
            "findings": ["f1", "f2"],
            "condition": "cond_a",
            "lr": 2,
            "label": "estimate",
            "rationale": "x",
        }
    ]
    (d / "evidence.yaml").write_text(yaml.safe_dump(data))
    k = load_knowledge(d)
    assert k.combined[0].findings == ("f1", "f2") and k.combined[0].lr == 2
    data["combined"][0]["findings"] = ["f1"]
    (d / "evidence.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError, match="two or more"):
        load_knowledge(d)


OVERUSE = (
    "midportion_achilles_tendinopathy",
    "insertional_achilles_tendinopathy",
    "achilles_tendon_rupture",
    "achilles_partial_tear",
    "retrocalcaneal_bursitis",
    "haglund_syndrome",
    "fat_pad_atrophy",
    "plantar_fasciitis",
    "nerve_entrapment",
    "posterior_ankle_impingement",
    "lumbar_radiculopathy",
)
DANGERS = ("calcaneal_fracture", "calcaneal_stress_fracture", "infection", "deep_vein_thrombosis")


def test_a_young_child_is_not_given_an_adult_overuse_condition(engine: Engine) -> None:
    # the child column is for 8-14; under 8 the overuse conditions are a fifth of it,
    # the dangers keep theirs (Starshak 1984: toddlers' heel-bone fractures)
    def scores(age: int) -> dict[str, tuple[float, float]]:
        d = engine.evaluate(engine.parse({"age": age, "findings": {}})).differential
        return {s.id: (s.probability, s.chance) for s in d.scores}

    young, school = scores(5), scores(8)
    for cid in OVERUSE:
        assert math.isclose(young[cid][1] / school[cid][1], 0.2, rel_tol=1e-9)
    for cid in DANGERS:
        assert young[cid][1] == school[cid][1]  # a danger's own chance is never lowered
        assert young[cid][0] >= school[cid][0]
    for age in range(0, 7):
        d = engine.evaluate(engine.parse({"age": age, "findings": {}})).differential
        assert d.scores[0].id not in OVERUSE


def test_a_swollen_warm_calf_after_sport_ranks_a_clot_above_a_partial_tear(
    engine: Engine,
) -> None:
    # a partial tear of the Achilles tendon is a tender place in the tendon (Gatz 2020);
    # one swollen, sore, warm calf is a clot's sign, or a calf-muscle tear's, which
    # heelpath does not list (a clot in about 1 in 10 suspected of one: Delgado 2002)
    for sport in ("runner_or_jumper", "training_increase"):
        findings = {"pain_in_calf": True, "calf_swelling_tenderness": True, sport: True}
        d = engine.evaluate(
            engine.parse({"age": 30, "sex": "female", "findings": findings})
        ).differential
        ranked = [s.id for s in d.scores]
        assert ranked[0] == "deep_vein_thrombosis", ranked[:3]
        assert ranked.index("deep_vein_thrombosis") < ranked.index("achilles_partial_tear")
    # a pull felt in the lower calf with no swollen calf still keeps the tear first of the two
    d = _differential(engine, {"sudden_onset": True, "pain_in_calf": True})
    ranked = [s.id for s in d.scores]
    assert ranked.index("achilles_partial_tear") < ranked.index("deep_vein_thrombosis")
