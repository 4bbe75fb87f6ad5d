"""The engine on the sample roster, loaded the bot's way (`bench.plan_grid.open_roster`): the
faults a new-user tester found there — a "test" taking most of the budget, the platform
asked dropped with a false reason, and a Why view with no reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from bench.plan_grid import Roster, grid_briefs, open_roster
from knowledge.advice.brief import Brief
from knowledge.advice.engine import Recommendation, recommend
from knowledge.advice.scope import niches_to_fetch
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase, Side, default_knowledge
from knowledge.writing import i18n
from knowledge.writing.render import render, shown_text
from knowledge.writing.replies import Template
from knowledge.writing.views import card_text, view_values, why_values
from storage.roster import candidates_for_brief, price_guide

KB = default_knowledge()
A = KB.assumptions


def florist(budget: int, platform: str | None = None, country: str | None = None) -> Brief:
    """A florist's sales brief: a €40 basket at 30 % earns €12 a sale, which no post here
    comes near."""
    return Brief(Goal.SALES, budget, "EUR", "flower", platform, country, None, 4_000, 30.0)


FLORIST = florist(40_000, "instagram", "FR")
VEGAN = Brief(Goal.COMMUNITY, 300_000, "EUR", "natural-cosmetic", "instagram", "FR")
NO_REASON = {
    "en": "The sources give no reason for this case",
    "fr": "Les sources ne donnent pas de raison pour ce cas",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Roster]:
    roster = open_roster("sample", tmp_path_factory.mktemp("sample"), KB, 600, 7)
    yield roster
    roster.engine.dispose()


def advise(roster: Roster, brief: Brief, kb: KnowledgeBase = KB) -> Recommendation:
    with Session(roster.engine) as session:
        candidates = candidates_for_brief(session=session, brief=brief, kb=kb)
        prices = price_guide(session=session, niches=niches_to_fetch(brief, kb), kb=kb)
    return recommend(brief, candidates, kb, prices)


def why_text(rec: Recommendation, language: str) -> str:
    stored = snapshot(rec, KB)
    with i18n.speaking(language):
        values = view_values(stored, KB) | why_values(stored, KB)
        return shown_text(render(Template.RECOMMENDATION_WHY, **values))


def test_a_test_never_takes_more_than_its_share_of_the_budget(sample: Roster) -> None:
    """The €800 florist whose sales can't pay back got one €720 creator as a "test"."""
    for budget in (60_000, 80_000, 300_000):
        for platform in (None, "instagram"):
            for country in (None, "FR"):
                brief = florist(budget, platform, country)
                rec = advise(sample, brief)
                assert rec.test, brief
                share = A.test.max_share * budget
                assert rec.plan.spent_cents <= share, brief
                assert rec.plan.people <= A.test.max_people
                if not rec.plan.lines:
                    assert rec.notice("test_too_dear") is not None, brief
                    assert rec.notice("nothing_affordable") is None


def test_a_test_with_no_one_small_enough_books_no_one_and_says_so(sample: Roster) -> None:
    """€160: a test's quarter (€40) is under the fair-pay floor itself."""
    rec = advise(sample, florist(16_000, "instagram"))
    assert rec.test and not rec.plan.lines
    dear = rec.notice("test_too_dear")
    assert dear is not None and dear.params["share_cents"] == 4_000
    assert int(str(dear.params["cheapest_cents"])) > 4_000
    assert rec.notice("audience") is None  # it fits the budget, not the test: said above
    anywhere = advise(sample, florist(80_000))
    assert anywhere.test and anywhere.plan.lines  # cheaper creators elsewhere: a real test
    assert max(line.price_cents for line in anywhere.plan.lines) <= 20_000


def test_the_platform_asked_is_booked_first_and_widening_is_said_truly(sample: Roster) -> None:
    """ "Vegan skincare, more Instagram followers, about 3k": an Instagram creator in the
    niches looked at (€390, audience in France) was dropped for one YouTube mega account
    with a 54 % real audience, under "No one on Instagram could be booked"."""
    rec = advise(sample, VEGAN)
    assert any(line.candidate.platform == "instagram" for line in rec.plan.lines)
    widened = rec.notice("platform_widened")
    assert widened is not None and int(str(widened.params["own"])) >= 1
    for language, false in (("en", "No one on Instagram"), ("fr", "Personne sur Instagram")):
        assert false not in why_text(rec, language)


def test_a_big_account_with_a_weak_audience_is_left_out(sample: Roster) -> None:
    rec = advise(sample, VEGAN)
    for line in rec.plan.lines:
        quality = line.candidate.audience_quality
        if line.side is Side.MACRO and quality is not None:
            assert quality >= A.plan.macro_audience_quality_floor
    assert A.plan.macro_audience_quality_floor > A.plan.audience_quality_floor


def test_every_why_gives_a_reason_or_says_the_sources_give_none(sample: Roster) -> None:
    briefs = [*grid_briefs(40, 11), FLORIST, VEGAN]
    for brief in briefs:
        rec = advise(sample, brief)
        for language in ("en", "fr"):
            text = why_text(rec, language)
            bullets = [line for line in text.splitlines() if line.startswith("• ")]
            if rec.reasons:
                assert NO_REASON[language] not in text
            else:
                assert bullets and NO_REASON[language] in bullets[0], text


def test_a_sale_earns_its_margin_less_the_promo_codes_discount(sample: Roster) -> None:
    """A planner's read: a €40 basket at 35 % margin earns €10 a sale through a 10 %-off
    code, not €14; the break-even counted €14 (15 sales for €200 where 20 are needed)."""
    plain = Brief(Goal.SALES, 80_000, "EUR", "cooking", order_value_cents=4000, margin_pct=35.0)
    assert plain.margin_per_sale_cents(KB.posts.discount_pct) == 1000  # 10 % by default
    coded = Brief(
        Goal.SALES, 80_000, "EUR", "cooking", order_value_cents=4000, margin_pct=35.0,
        discount_pct=20,
    )  # fmt: skip
    assert coded.margin_per_sale_cents(KB.posts.discount_pct) == 600
    eaten = Brief(Goal.SALES, 80_000, "EUR", "cooking", order_value_cents=4000, margin_pct=8.0)
    assert eaten.margin_per_sale_cents(KB.posts.discount_pct) == 1.0  # no sale pays back
    for brief, per_sale, words in ((plain, 1000, "10% off: about €10"), (coded, 600, "20%")):
        rec = advise(sample, brief)
        assert rec.plan.lines, brief
        notice = rec.notice("test") or rec.notice("break_even")
        assert notice is not None and notice.params["margin_cents"] == per_sale
        assert notice.params["needed"] == -(-rec.plan.spent_cents // per_sale)
        said = why_text(rec, "en")
        assert "A sale counts what it earns you after the promo code's " + words in said
        assert "après la remise de" in why_text(rec, "fr")


def test_a_discount_that_eats_the_margin_is_said_not_counted_in_thousands_of_sales(
    sample: Roster,
) -> None:
    """A planner's read: a 3 % margin under the 10 %-off code read "needs 16000 sales to pay
    back"; a sale through a code earns nothing, and the card says to lower the discount."""
    brief = Brief(Goal.SALES, 80_000, "EUR", "cooking", order_value_cents=4000, margin_pct=8.0)
    rec = advise(sample, brief)
    notice = rec.notice("test")
    assert rec.test and notice is not None and notice.params["margin_cents"] == 1.0
    stored = snapshot(rec, KB)
    with i18n.speaking("en"):
        card = card_text(stored, KB)
    assert "Your promo codes' 10% off is at least your margin" in card
    assert "sales to pay back" not in card
    assert "La remise de 10" in why_text(rec, "fr")
