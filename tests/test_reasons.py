"""The reasons under a verdict argue for it: a mix books both sides, so no reason of a mix
speaks against either; the source's doubt about big accounts' sales stays with sales."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from knowledge.advice.brief import Brief
from knowledge.advice.choice import Verdict
from knowledge.advice.reasons import reasons_for
from knowledge.base import Goal, Side, default_knowledge

KB = default_knowledge()
NO_ROSTER = SimpleNamespace(kb=KB, everyone=[])  # what reasons_for reads of the situation


def reasons(goal: Goal, micro_pct: int) -> list[str]:
    brief = Brief(goal, 500_000, "EUR", "cooking")
    verdict = Verdict(micro_pct, 100 - micro_pct)
    return [f.id for f in reasons_for(brief, verdict, False, KB, NO_ROSTER)]  # type: ignore[arg-type]


@pytest.mark.parametrize("goal", list(Goal))
@pytest.mark.parametrize("micro_pct", [65, 35])
def test_no_reason_of_a_mix_speaks_against_a_side_it_books(goal: Goal, micro_pct: int) -> None:
    found = reasons(goal, micro_pct)
    assert found
    assert all(KB.fact(fact).against is None for fact in found)


def test_a_plan_of_small_accounts_alone_keeps_the_facts_against_big_ones() -> None:
    assert any(KB.fact(fact).against is Side.MACRO for fact in reasons(Goal.COMMUNITY, 100))


def test_the_visibility_peak_argues_for_visibility_and_keeps_its_doubt_to_sales() -> None:
    peak = KB.fact("S1-visibility-peak")
    assert peak.favours is Side.MACRO and Goal.SALES not in peak.goals
    assert peak.text.startswith("A macro-influencer brings a one-off peak of visibility")
    assert "sales" in peak.text.split(";")[1] and "unproven" in peak.text
    assert "S1-visibility-peak" in reasons(Goal.AWARENESS, 0)


@pytest.mark.parametrize("micro_pct", [55, 50, 45])
def test_a_launch_mix_is_argued_for_both_sides_it_books(micro_pct: int) -> None:
    """A planner's read: a 55 % micro / 45 % macro mix had four reasons, all for micro."""
    found = reasons(Goal.LAUNCH, micro_pct)
    sides = [KB.fact(fact).favours for fact in found]
    assert Side.MICRO in sides and Side.MACRO in sides
    leading = Side.MICRO if micro_pct >= 50 else Side.MACRO
    assert sides[0] is leading  # the side with most of the money first
    assert "S2-depends-on-goal" in found[:3]  # then why a mix at all


@pytest.mark.parametrize("goal", [Goal.SALES, Goal.COMMUNITY, Goal.AMBASSADOR])
def test_a_mix_with_no_fact_for_its_macro_side_is_not_given_one(goal: Goal) -> None:
    found = reasons(goal, 60)
    assert all(KB.fact(fact).favours is not Side.MACRO for fact in found)
    assert all(goal in KB.fact(fact).goals or KB.fact(fact).condition for fact in found)


@pytest.mark.parametrize("goal", [Goal.SALES, Goal.COMMUNITY, Goal.AMBASSADOR])
def test_a_mix_mostly_macro_with_no_macro_fact_leads_with_why_a_mix(goal: Goal) -> None:
    """A planner's read: an 80 %-macro plan argued first by "micro-influencers convert
    better". With no fact for macro at this goal, why a mix comes first, then micro's."""
    found = reasons(goal, 20)
    assert KB.fact(found[0]).favours is Side.NEUTRAL
    assert all(KB.fact(fact).favours is not Side.MACRO for fact in found)
