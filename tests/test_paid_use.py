"""Paid use of the creators' posts as a priced option (issue 23, part 3): the usage fees per
platform's ad product (posts.toml), the brief's `ads=` key read and refused, the one place the
engine prices it (a share of the post fee, the fair-pay floor kept on the post fee), and how
the shortlist, the plan file, the first message and the creator brief say it, in English and
French."""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.offers import Offer, make_offer
from knowledge.advice.posts import GIFTED, NO_AD_PRODUCT, PAID, usage_of
from knowledge.advice.replacement import as_brief
from knowledge.advice.stored import StoredLine, StoredRecommendation, what_changed
from knowledge.base import DATA_DIR, Goal, KnowledgeBase, Metric, Side, in_currency
from knowledge.base.posts import PostRulesError, read_post_rules
from knowledge.files.creator_briefs import creator_briefs_html
from knowledge.files.plan_file import plan_csv
from knowledge.reading import brief_form as form
from knowledge.reading.shop import read_paid_use
from knowledge.writing import i18n
from knowledge.writing.outreach import (
    booked,
    counter_offers,
    first_message_values,
    market_offer_cents,
    opening_offer_cents,
)
from knowledge.writing.render import Labels, render
from knowledge.writing.replies import Template
from knowledge.writing.views import card_values
from tests.test_posts import _stored

DAYS = (30, 60, 90)


# ---- the figures ----


def test_the_usage_fee_is_a_share_of_the_post_fee_per_platforms_ad_product(
    kb: KnowledgeBase,
) -> None:
    paid = kb.posts.paid_use
    assert paid.days == DAYS
    assert {p: paid.products[p].id for p in paid.products} == {
        "instagram": "meta_partnership_ads",
        "facebook": "meta_partnership_ads",
        "tiktok": "spark_ads",
    }
    assert [paid.fee_pct("instagram", d) for d in DAYS] == [25, 50, 75]
    assert paid.fee_pct("tiktok", 30) == 25
    assert paid.fee_pct("youtube", 30) == 0  # no ad product in the same form
    assert paid.fee_pct("instagram", None) == 0  # no paid use asked
    assert "Assumption" in kb.posts.sources["paid_use"]
    assert "25 %" in kb.posts.sources["paid_use"]


def test_the_paid_use_figures_are_checked_when_read(tmp_path: Path) -> None:
    raw = (DATA_DIR / "posts.toml").read_text(encoding="utf-8")
    for broken in (
        raw.replace("pct = { 30 = 25, 60 = 50, 90 = 75 }", "pct = { 30 = 25, 60 = 50 }", 1),
        raw.replace("pct = { 30 = 25, 60 = 50, 90 = 75 }", "pct = { 30 = 0, 60 = 50, 90 = 75 }", 1),
        raw.replace("days = [30, 60, 90]", "days = [0, 60, 90]", 1),
    ):
        assert broken != raw
        tomllib.loads(broken)
        path = tmp_path / "posts.toml"
        path.write_text(broken, encoding="utf-8")
        with pytest.raises(PostRulesError):
            read_post_rules(path)


# ---- the brief's key ----


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("30", 30),
        ("60 days", 60),
        ("90 jours", 90),
        ("30j", 30),
        ("30 d", 30),
        (" 90 Days. ", 90),
        ("no", None),
        ("non", None),
        ("0", None),
        ("aucun", None),
    ],
)
def test_paid_use_is_read_in_days(typed: str, days: int | None) -> None:
    assert read_paid_use(typed, DAYS) == days


@pytest.mark.parametrize("typed", ["45", "thirty", "-30", "30 weeks", "3 months", "", "30.5"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        read_paid_use(typed, DAYS)


def test_the_paid_use_keys_are_read_in_english_and_french(kb: KnowledgeBase) -> None:
    for words in ("ads=30", "paid_use=30 days", "pub=30", "publicité=30 jours"):
        pairs, _ = form.one_line(f"budget=800 {words}")
        assert [field for field, _ in pairs] == ["budget", "paid_use"]
        answers: form.Answers = {}
        for field, value in pairs:
            assert form.take(field, answers, value, kb=kb, currency="EUR", roster_niches=[]) is None
        assert answers["paid_use"] == 30
    answers = {"paid_use": 60}
    problem = form.take("paid_use", answers, "45", kb=kb, currency="EUR", roster_niches=[])
    assert problem == {"text": "45", "days": [30, 60, 90]} and answers == {"paid_use": 60}
    answers = {"goal": "sales", "budget": 80_000, "niche": "fashion", "paid_use": 60}
    brief = form.to_brief(answers, "EUR")
    assert brief.paid_use_days == 60
    assert form.answers_of({**answers, "budget_cents": 80_000, "paid_use_days": 60}) == {
        "goal": "sales",
        "budget": 80_000,
        "niche": "fashion",
        "platform": "any",
        "paid_use": 60,
    }


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "I couldn't read “45” as days of paid ads use (30, 60, 90) or “no”."),
        ("fr", "un nombre de jours d’usage publicitaire (30, 60, 90) ou «\xa0non\xa0»"),
    ],
)
def test_a_bad_value_says_what_is_accepted(language: str, said: str) -> None:
    with i18n.speaking(language):
        text = render(
            Template.ASK_OPTION, field="paid_use", text="45", currency="", days=[30, 60, 90]
        )
    assert said in text


# ---- the price ----


def _person(platform: str, ask_cents: int, followers: int = 40_000) -> Candidate:
    return Candidate(1, "Léa", "@lea", platform, ("fashion",), followers, 3.0, ask_cents)


def _brief(**more: object) -> Brief:
    base = Brief(goal=Goal.SALES, budget_cents=800_000, currency="EUR", niche="fashion")
    return replace(base, **more)  # type: ignore[arg-type]


def _offer(kb: KnowledgeBase, c: Candidate, brief: Brief) -> Offer | None:
    a = kb.assumptions
    return make_offer(c, Side.MICRO, brief, Metric.CONVERSIONS, a, paid_use=kb.posts.paid_use)


def test_an_offer_adds_the_usage_fee_to_the_post_fee(kb: KnowledgeBase) -> None:
    for days, pct in zip(DAYS, (25, 50, 75), strict=True):
        offer = _offer(kb, _person("instagram", 40_000), _brief(paid_use_days=days))
        assert offer is not None
        assert offer.fee_cents == 40_000 and offer.usage_cents == 40_000 * pct // 100
        assert offer.price_cents == offer.fee_cents + offer.usage_cents
    organic = _offer(kb, _person("instagram", 40_000), _brief())
    assert organic is not None and organic.usage_cents == 0 and organic.price_cents == 40_000
    spark = _offer(kb, _person("tiktok", 30_000), _brief(paid_use_days=30))
    assert spark is not None and spark.usage_cents == 7_500
    youtube = _offer(kb, _person("youtube", 30_000), _brief(paid_use_days=30))
    assert youtube is not None and youtube.usage_cents == 0 and youtube.price_cents == 30_000


def test_the_fair_pay_floor_stays_on_the_post_fee(kb: KnowledgeBase) -> None:
    floor = in_currency(kb.assumptions.fair_pay_floor, "EUR") or 0
    cheap = _person("instagram", floor - 1_000, followers=3_000)
    offer = _offer(kb, cheap, _brief(paid_use_days=30))
    assert offer is not None
    assert offer.fee_cents == floor  # raised to the floor, then the usage fee on top
    assert offer.usage_cents == round(floor * 0.25)


def test_a_gifted_post_takes_no_usage_fee(kb: KnowledgeBase) -> None:
    gifted = _offer(
        kb,
        _person("instagram", 0),
        _brief(paid_use_days=30, gifting=True, product_value_cents=4_000),
    )
    assert gifted is not None and gifted.seeding and gifted.usage_cents == 0


def test_a_plans_lines_totals_and_budget_count_the_usage_fee(kb: KnowledgeBase) -> None:
    organic = _stored(kb)
    paid = _stored(kb, paid_use_days=30)
    assert paid.brief.paid_use_days == 30
    assert paid.plan.lines
    for line in paid.plan.lines:
        assert line.usage == PAID and line.paid_use_days == 30
        assert line.ad_product == "meta_partnership_ads"
        assert line.price_cents >= line.ask_cents  # the post fee, as asked (or the floor)
        assert line.usage_cents == line.posts * round(line.price_cents * 0.25)
        assert line.cost_cents == line.price_cents * line.posts + line.usage_cents
    assert paid.plan.spent_cents == sum(line.cost_cents for line in paid.plan.lines)
    assert paid.plan.spent_cents <= paid.plan.budget_cents
    # The same budget buys fewer posts once each costs a quarter more.
    assert paid.plan.posts <= organic.plan.posts
    # Nobody here asks under the floor: the usage fee is not taken for a raise to it.
    assert not any(notice.code == "fair_pay" for notice in paid.notices)
    assert as_brief(paid.brief).paid_use_days == 30
    again = StoredRecommendation.of(paid.to_json())
    assert again is not None and again.plan.lines == paid.plan.lines


def test_a_line_without_an_ad_product_or_gifted_stays_organic_and_says_why(
    kb: KnowledgeBase,
) -> None:
    paid = _stored(kb, paid_use_days=60)
    line = paid.plan.lines[0]
    youtube = line.model_copy(update={"platform": "youtube"})
    seeded = line.model_copy(update={"seeding": True})
    assert usage_of(youtube, paid.brief, kb.posts) == NO_AD_PRODUCT
    assert usage_of(seeded, paid.brief, kb.posts) == GIFTED
    assert usage_of(line, _stored(kb).brief, kb.posts) == "organic"


# ---- how it is said ----


def _shortlist(kb: KnowledgeBase, stored: StoredRecommendation) -> str:
    return render(
        Template.RECOMMENDATION_SHORTLIST,
        rec=stored,
        kb=kb,
        labels=Labels(kb),
        lines=stored.plan.lines,
        page=0,
        pages=1,
        offset=0,
        prices={},
        show_contact=False,
    )


def _line_words(line: StoredLine, language: str) -> str:
    """A paid line's usage, as the shortlist, the plan file and the creator brief say it."""
    with i18n.speaking(language):
        fee = i18n.money(line.usage_cents, "EUR")
    if language == "en":
        return f"organic use + paid ads for 30 days through Meta partnership ads ({fee})"
    return (
        "usage organique + publicité payante pendant 30 jours via les publicités partenaires "
        f"Meta ({fee})"
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shortlist_and_the_plan_file_show_the_usage_and_its_fee(
    kb: KnowledgeBase, language: str
) -> None:
    paid = _stored(kb, paid_use_days=30)
    with i18n.speaking(language):
        text = _shortlist(kb, paid)
        rows = list(
            csv.reader(
                io.StringIO(plan_csv(paid, kb).removeprefix("\ufeff")),
                delimiter="," if language == "en" else ";",
            )
        )
    for line in paid.plan.lines:
        assert _line_words(line, language) in text
    header, *lines, totals = rows
    days = header.index("Paid ads use (days)" if language == "en" else "Usage publicitaire (jours)")
    fee = header.index("Paid ads use fee" if language == "en" else "Frais d’usage publicitaire")
    cost = header.index("Cost" if language == "en" else "Coût")
    for row, line in zip(lines, paid.plan.lines, strict=True):
        assert row[days] == "30"
        assert row[fee].replace(",", ".") == f"{line.usage_cents / 100:g}"
        assert row[cost].replace(",", ".") == f"{line.cost_cents / 100:g}"
    assert totals[cost].replace(",", ".") == f"{paid.plan.spent_cents / 100:g}"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "Besides your own posting, we would run your posts as paid ads from your account "
            "through Meta partnership ads for 30 days after posting: {fee} of the fee pays for "
            "that use; no other use.",
        ),
        (
            "fr",
            "En plus de votre propre publication, nous diffuserions vos contenus en publicité "
            "payante depuis votre compte via les publicités partenaires Meta pendant 30 jours "
            "après leur mise en ligne\xa0: {fee} de la rémunération paient cet usage\xa0; aucun "
            "autre usage.",
        ),
    ],
)
def test_the_first_message_and_the_creator_brief_ask_the_usage_for_a_fee(
    kb: KnowledgeBase, language: str, said: str
) -> None:
    paid = _stored(kb, paid_use_days=30)
    line = paid.plan.lines[0]
    with i18n.speaking(language):
        message = render(Template.FIRST_MESSAGE, **first_message_values(paid, line, kb))
        # Léa asks over market: her message opens at the market's price, and its usage fee
        # at the same share of that opening (the plan keeps her ask as the most to pay).
        opening = opening_offer_cents(line, kb, "EUR")
        assert opening is not None and opening < line.cost_cents
        fee = i18n.money(line.usage_cents * opening // line.cost_cents, "EUR")
        total = i18n.money(opening, "EUR")
        document = creator_briefs_html(paid, kb)
    assert said.format(fee=fee) in message
    assert total in message  # the offer's fee in all, the usage fee included
    assert _line_words(line, language) in document
    organic = _stored(kb)
    with i18n.speaking(language):
        plain = render(
            Template.FIRST_MESSAGE, **first_message_values(organic, organic.plan.lines[0], kb)
        )
    assert said.format(fee=fee) not in plain


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Changed: paid ads use 30 days"), ("fr", "Modifié\xa0: usage publicitaire 30 jours")],
)
def test_a_changed_paid_use_is_said_on_the_new_card(
    kb: KnowledgeBase, language: str, said: str
) -> None:
    before, after = _stored(kb), _stored(kb, paid_use_days=30)
    changed = what_changed(before, after)
    assert [key for key, _old, _new in changed.answers] == ["paid_use_days"]
    with i18n.speaking(language):
        card = render(Template.RECOMMENDATION_CARD, **card_values(after, kb, changed))
    assert said in card


def test_the_owners_counter_offer_keeps_the_usage_fee_at_its_share(kb: KnowledgeBase) -> None:
    """Léa 9 asks over what agencies pay for the people she reaches: the owner is told to
    offer the market's price for her posts, plus the usage fee at the same 25 % of it."""
    paid = _stored(kb, paid_use_days=30)
    lines = {line.name: line for line in booked(paid)}
    counters = {name: cents for name, cents, _ask in counter_offers(paid, kb)}
    assert "Léa 9" in counters
    for name, cents in counters.items():
        posts_only = market_offer_cents(lines[name])
        assert posts_only is not None
        assert abs(cents - posts_only * 1.25) <= 1


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "+ {fee} for paid ads use"), ("fr", "+ {fee} d’usage publicitaire")],
)
def test_the_cards_picks_add_their_usage_fee(kb: KnowledgeBase, language: str, said: str) -> None:
    paid = _stored(kb, paid_use_days=30)
    with i18n.speaking(language):
        card = render(Template.RECOMMENDATION_CARD, **card_values(paid, kb))
        fees = [i18n.money(line.usage_cents, "EUR") for line in paid.plan.lines[:3]]
        organic = render(Template.RECOMMENDATION_CARD, **card_values(_stored(kb), kb))
    assert any(said.format(fee=fee) in card for fee in fees)
    assert said.split("{fee}")[1] not in organic
