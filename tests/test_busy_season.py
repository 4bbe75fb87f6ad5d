"""A plan dated in the busy weeks before Christmas says so (a planner's read: a launch on
10 December, not a word of Christmas): creators are booked up and dearer then
(windows.toml, `[busy]`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase, default_knowledge
from knowledge.writing import i18n
from knowledge.writing.render import Template, render, shown_text
from knowledge.writing.views import view_values, why_values
from tests.test_readable_test import person
from tests.test_templates_fr_brief import _fashion

BUSY = default_knowledge().windows.busy


def test_the_busy_season_holds_from_its_first_day_to_its_last() -> None:
    assert (BUSY.from_month, BUSY.from_day, BUSY.until_month, BUSY.until_day) == (11, 15, 12, 24)
    assert BUSY.holds(date(2027, 11, 15)) and BUSY.holds(date(2027, 12, 24))
    assert not BUSY.holds(date(2027, 11, 14)) and not BUSY.holds(date(2027, 12, 25))
    assert not BUSY.holds(date(2028, 1, 5)) and not BUSY.holds(date(2027, 6, 10))


def _brief(goal: Goal, day: date | None, budget_cents: int = 500_000) -> Brief:
    return Brief(goal, budget_cents, "EUR", "fashion", start_date=day)


@pytest.mark.parametrize("goal", [Goal.LAUNCH, Goal.AWARENESS])
def test_a_plan_dated_in_the_busy_season_says_so(goal: Goal, kb: KnowledgeBase) -> None:
    rec = recommend(_brief(goal, date(2027, 12, 10)), _fashion(), kb)
    busy = rec.notice("busy")
    assert rec.plan.lines and busy is not None
    assert busy.params == {"day": "2027-12-10", "launch": goal is Goal.LAUNCH, "weeks": 6}
    for day in (date(2027, 10, 10), None):
        assert recommend(_brief(goal, day), _fashion(), kb).notice("busy") is None
    # Nothing booked: no plan to warn about.
    assert recommend(_brief(goal, date(2027, 12, 10), 100), _fashion(), kb).notice("busy") is None


SAID = {
    ("en", True): "Your launch on 10 December falls in the busy weeks before Christmas",
    ("en", False): "Your campaign starts on 10 December, in the busy weeks before Christmas",
    ("fr", True): "Votre lancement du 10 décembre tombe dans les semaines chargées d’avant Noël",
    ("fr", False): "Votre campagne commence le 10 décembre, dans les semaines chargées",
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("goal", [Goal.LAUNCH, Goal.SALES])
def test_why_says_to_write_weeks_ahead(goal: Goal, language: str, kb: KnowledgeBase) -> None:
    brief = replace(_brief(goal, date(2027, 12, 10)), order_value_cents=4_000, margin_pct=60)
    stored = snapshot(recommend(brief, _fashion(), kb), kb)
    with i18n.speaking(language):
        values = view_values(stored, kb) | why_values(stored, kb, quotes=True)
        text = shown_text(render(Template.RECOMMENDATION_WHY, **values))
    assert SAID[(language, goal is Goal.LAUNCH)] in text, text
    assert ("6 weeks ahead" if language == "en" else "6 semaines avant") in text


def test_a_plan_resting_on_one_creator_says_so(kb: KnowledgeBase) -> None:
    """One creator with 60 % of a plan's money or more, beside others: Why names them and
    their share; a plan of one creator, or one spread more evenly, says nothing."""
    big = person(1, 400_000, 300_000)
    small = [person(2, 9_000, 9_000), person(3, 8_000, 8_000)]
    brief = Brief(Goal.LAUNCH, 1_000_000, "EUR", "cooking")
    rec = recommend(brief, [big, *small], kb)
    said = rec.notice("one_creator")
    assert said is not None and said.params == {"name": "P1", "share": 300_000 / 334_000}
    assert recommend(brief, [big], kb).notice("one_creator") is None  # alone: plain to see
    assert recommend(brief, small, kb).notice("one_creator") is None  # 53 %
    higher = replace(kb.assumptions, plan=replace(kb.assumptions.plan, one_creator_share=0.9))
    assert (
        recommend(brief, [big, *small], replace(kb, assumptions=higher)).notice("one_creator")
        is None
    )
    stored = snapshot(rec, kb)
    for language, words in (
        ("en", "ℹ️ P1 takes 90% of the money: if they drop out"),
        ("fr", "ℹ️ P1 prend 90\u00a0% de l’argent"),
    ):
        with i18n.speaking(language):
            values = view_values(stored, kb) | why_values(stored, kb, quotes=True)
            text = shown_text(render(Template.RECOMMENDATION_WHY, **values))
        assert words.replace("\u00a0", " ") in text.replace("\u00a0", " ").replace("\u202f", " ")
