"""Which notice leads the card: the fixed order of CARD_NOTICE_ORDER, weighed by how much
money each concerns (a planner's read: a €400k card led with "2 % of the money goes to other
niches" above €386k left unspent)."""

from __future__ import annotations

from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredNotice, StoredRecommendation
from knowledge.base import Goal, KnowledgeBase
from knowledge.writing import i18n
from knowledge.writing.render import Template, render, shown_text
from knowledge.writing.views import card_notices, card_values
from tests.test_templates_fr_brief import _fashion


def _with(kb: KnowledgeBase, *notices: StoredNotice) -> StoredRecommendation:
    stored = snapshot(
        recommend(Brief(Goal.AWARENESS, 1_000_000, "EUR", "fashion"), _fashion(), kb), kb
    )
    return stored.model_copy(update={"notices": list(notices)})


def _left(cents: int) -> StoredNotice:
    return StoredNotice(code="left", fact=None, params={"left_cents": cents, "why": "cap"})


def _widened(code: str, elsewhere: int) -> StoredNotice:
    return StoredNotice(code=code, fact=None, params={"elsewhere": elsewhere, "own": 3})


def codes(stored: StoredRecommendation) -> list[str]:
    return [n.code for n in card_notices(stored)]


def test_half_the_budget_left_leads_where_the_plan_looked(kb: KnowledgeBase) -> None:
    for code in ("scope_widened", "platform_widened", "niche_widened"):
        assert codes(_with(kb, _widened(code, 40), _left(500_000))) == ["left", code]
        assert codes(_with(kb, _widened(code, 40), _left(499_999))) == [code, "left"]
        # A widening that moved little of the money comes after even a small sum left.
        assert codes(_with(kb, _widened(code, 9), _left(10_000))) == ["left", code]
        assert codes(_with(kb, _widened(code, 10), _left(10_000))) == [code, "left"]


def test_a_test_still_leads_whatever_is_left(kb: KnowledgeBase) -> None:
    test = StoredNotice(code="test", fact=None, params={})
    assert codes(_with(kb, _left(900_000), test))[0] == "test"


def test_a_pick_off_the_platform_asked_names_its_platform(kb: KnowledgeBase) -> None:
    """A plan on one platform names it on its picks only when the owner asked for another
    (a planner's read: YouTube asked, five Instagram picks, nothing on the card said so)."""
    stored = _with(kb)
    assert {line.platform for line in stored.plan.lines} == {"instagram"}

    def first_pick(platform: str | None) -> str:
        brief = stored.brief.model_copy(update={"platform": platform})
        with i18n.speaking("en"):
            card = render(
                Template.RECOMMENDATION_CARD,
                **card_values(stored.model_copy(update={"brief": brief}), kb),
            )
        return next(line for line in shown_text(card).splitlines() if line.startswith("1. "))

    assert " · Instagram · " in first_pick("youtube")
    assert " · Instagram · " not in first_pick("instagram")
    assert " · Instagram · " not in first_pick(None)
