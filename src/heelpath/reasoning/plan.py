"""The care plan (placeholder until the plan builder lands): a care step when urgent."""

from __future__ import annotations

from heelpath.contract import Case
from heelpath.knowledge.model import Knowledge
from heelpath.reasoning.results import Differential, Phase, Plan, PlanItem, Triage


def build_plan(knowledge: Knowledge, case: Case, differential: Differential, triage: Triage) -> Plan:
    """Build the person's plan from the differential and triage."""
    if triage.level == "emergency":
        first = PlanItem("call_emergency_services", "Call emergency services now", "Call now.")
        return Plan((Phase("get_seen", "Get help now", (first,)),), ())
    if triage.level == "urgent":
        first = PlanItem("urgent_in_person_care", "Be seen today", "Go today.")
        return Plan((Phase("get_seen", "Be seen today", (first,)),), ())
    rest = PlanItem("relative_rest", "Relative rest", "Cut down what makes it hurt.")
    return Plan((Phase("settle", "Settle it down", (rest,)),), ())
