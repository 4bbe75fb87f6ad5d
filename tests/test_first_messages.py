"""A first message to each creator booked now (issue 23, part 5): who is written to, and
what each message says, in English and French."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import Goal, KnowledgeBase, default_knowledge
from knowledge.files.creator_briefs import creator_briefs_html
from knowledge.writing import i18n
from knowledge.writing.outreach import (
    booked,
    counter_offers,
    creator_language,
    first_message,
    first_message_values,
    in_english_instead,
    market_offer_cents,
    reserve_only,
    shop_words,
)
from knowledge.writing.render import Template, render
from tests.test_engine import roster
from tests.test_posts import _stored
from tests.test_templates_fr_brief import _fashion


def _message(stored: StoredRecommendation, index: int, kb: KnowledgeBase, language: str) -> str:
    with i18n.speaking(language):
        text = render(
            Template.FIRST_MESSAGE, **first_message_values(stored, booked(stored)[index], kb)
        )
    return html.unescape(text).replace("\xa0", " ").replace("\u202f", " ")


def test_a_first_message_says_the_offer_code_link_and_ad_label(kb: KnowledgeBase) -> None:
    stored = _stored(kb, discount_pct=15, shop_url="https://www.chez-marie.fr/", shop_name=None)
    line = booked(stored)[0]
    text = _message(stored, 0, kb, "en")
    assert text.startswith(
        "Hello Léa,\n\nI run chez-marie.fr, a small fashion business, and I would like to work"
    )
    # Léa asks €800 for two Reels, over what agencies pay for the people she reaches: the
    # message opens at the market's €720, the plan keeps her ask as the most to pay (the intro
    # says so: a reader saw "offer about €720" beside a message saying €800).
    assert (
        "The offer: 2 Instagram Reels (30–60 s), 1 approval round before posting, for €720" in text
    )
    assert "organic use only; reuse in paid ads would be agreed and paid separately" in text
    assert f"Your code for your followers: {line.promo_code} (15% off)." in text
    assert f"Your link: {line.link}" in text and "utm_source=lea9" in text
    assert "at the start: “Publicité” or “Collaboration commerciale”." in text  # Léa 9: FR
    french = _message(stored, 0, kb, "fr")
    assert french.startswith(
        "Bonjour Léa,\n\nJe tiens chez-marie.fr, une petite entreprise (secteur : mode), et"
    )
    assert "La proposition : 2 Reels Instagram (30–60 s), 1 tour de validation" in french
    assert "pour 720 € en tout" in french and "(15 % de remise)" in french
    assert "qu’il s’agit de publicité : « Publicité » ou « Collaboration commerciale »." in french


def test_without_a_shop_name_or_address_the_message_says_the_shops_field(
    kb: KnowledgeBase,
) -> None:
    stored = _stored(kb)
    assert shop_words(stored) is None
    text = _message(stored, 1, kb, "en")
    assert "I run a small fashion business and" in text and "Your link" not in text
    french = _message(stored, 1, kb, "fr")
    assert "Je tiens une petite entreprise (secteur : mode) et" in french
    assert "“Werbung” or “Anzeige”" in text  # Léa 8's audience is in Germany
    assert shop_words(_stored(kb, shop_name="Chez Marie")) == "Chez Marie"


def test_seeded_and_retained_creators_are_offered_what_they_get(kb: KnowledgeBase) -> None:
    gifted = [
        Candidate(900 + i, f"Gift {i}", f"@gift{i}", "instagram", ("cooking",), 6_000 + i, 4.0, 0)
        for i in range(5)
    ]
    seeding = Brief(Goal.SALES, 150_000, "EUR", "cooking", gifting=True, product_value_cents=4_000)
    stored = snapshot(recommend(seeding, roster(3, 150) + gifted, kb), kb)
    seeded = [i for i, line in enumerate(booked(stored)) if line.seeding]
    assert seeded
    for index in seeded:
        assert "in return for our product, sent to you free" in _message(stored, index, kb, "en")
    ambassador = snapshot(
        recommend(Brief(Goal.AMBASSADOR, 600_000, "EUR", "cooking"), roster(3, 150), kb), kb
    )
    text = _message(ambassador, 0, kb, "en")
    assert (
        f"The offer: to be our ambassador for {booked(ambassador)[0].months} months, with" in text
    )
    assert "Each post must say it is an ad" in text


def test_only_the_creators_booked_now_are_written_to(kb: KnowledgeBase) -> None:
    two_waves = snapshot(
        recommend(Brief(Goal.AWARENESS, 2_000_000, "EUR", "cooking"), roster(5, 400), kb), kb
    )
    assert two_waves.plan.waves == 2
    now = booked(two_waves)
    assert now and all(not line.reserve for line in now)
    assert {line.id for line in now} == {x.id for x in two_waves.plan.lines if not x.reserve}
    # The intro's "reserve creators" are those booked in wave 2 only (a planner's read
    # counted 9, 4 of them already written to in wave 1).
    reserved = {x.id for x in two_waves.plan.lines if x.reserve}
    assert reserved & {line.id for line in now}  # some are in both waves
    assert reserve_only(two_waves) == len(reserved - {line.id for line in now})


@settings(max_examples=25, deadline=None)
@given(
    goal=st.sampled_from(list(Goal)),
    budget=st.integers(20_000, 3_000_000),
    seed=st.integers(1, 5),
    language=st.sampled_from(["en", "fr"]),
)
def test_every_message_greets_its_creator_and_gives_their_own_code(
    goal: Goal, budget: int, seed: int, language: str
) -> None:
    """Invariant: one message per creator booked now, each greeting them by their first name
    and giving their own code, none another's."""
    kb = default_knowledge()
    brief = Brief(goal, budget, "EUR", "cooking", shop_url="https://shop.example")
    stored = snapshot(recommend(brief, roster(seed, 150), kb), kb)
    codes = {line.promo_code for line in stored.plan.lines}
    for index, line in enumerate(booked(stored)):
        text = _message(stored, index, kb, language)
        assert line.name.split()[0] in text.splitlines()[0]
        said = set(re.findall(r"[A-Z0-9]+(?:-[A-Z0-9]+)+", text))  # whole codes only
        assert said & codes == {line.promo_code}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_intro_counts_the_creators_and_the_reserve(language: str) -> None:
    with i18n.speaking(language):
        text = render(Template.FIRST_MESSAGES_INTRO, count=3, reserve=2)
    assert text.startswith("✉️ ") and "3" in text and "2" in text


def test_a_creator_is_told_of_their_own_audience_not_the_briefs_niche(kb: KnowledgeBase) -> None:
    """A bakery's brief finds cooking creators (no one in Bakery): the message speaks of
    their cooking audience, in lower case inside the sentence, as close to the shop's
    customers (not as the shop's own)."""
    cook = Candidate(1, "Léa Martin", "@lea", "instagram", ("cooking",), 20_000, 4.0, 20_000)
    stored = snapshot(recommend(Brief(Goal.SALES, 100_000, "EUR", "bakery"), [cook], kb), kb)
    assert booked(stored)
    assert "your cooking audience is close to the customers we want" in _message(
        stored, 0, kb, "en"
    )
    assert "votre audience cuisine est proche des clients" in _message(stored, 0, kb, "fr")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_creator_briefs_hold_each_first_message_in_full(
    kb: KnowledgeBase, language: str
) -> None:
    """One section (a printed page) per creator booked now, with their code, the ad label
    and their first message; what people typed is escaped."""
    stored = _stored(kb, shop_name="Tom & <Jerry>")
    with i18n.speaking(language):
        document = creator_briefs_html(stored, kb)
    messages = [first_message(stored, line, kb) for line in booked(stored)]
    assert document.startswith("<!DOCTYPE html>") and f'<html lang="{language}">' in document
    assert document.count("<section>") == len(booked(stored)) > 0
    for line, message in zip(booked(stored), messages, strict=True):
        assert message in document and line.promo_code in document
        # each message in its creator's language: French for France, German for Germany
        said = {"FR": "fr", "DE": "de"}[line.country or ""]
        assert f'<div class="message" lang="{said}">{message}' in document
    assert "Tom &amp; &lt;Jerry&gt;" in document and "<Jerry>" not in document


@pytest.mark.parametrize("owner", ["en", "fr"])
def test_each_message_is_in_its_creators_language_whatever_the_owners(
    kb: KnowledgeBase, owner: str
) -> None:
    """A creator followed in France is written to in French, one followed in the Netherlands
    in English (no message is written in Dutch), with the Dutch ad label; the owner's own
    language changes none of it, and the intro, in the owner's language, counts the English
    ones."""
    people = [replace(c, country="FR" if c.id % 2 else "NL") for c in _fashion()]
    brief = Brief(Goal.SALES, 800_000, "EUR", "fashion", shop_name="Chez Marie")
    stored = snapshot(recommend(brief, people, kb), kb)
    lines = booked(stored)
    assert {line.country for line in lines} == {"FR", "NL"}
    with i18n.speaking(owner):
        texts = [first_message(stored, line, kb) for line in lines]
        intro = plain(
            render(
                Template.FIRST_MESSAGES_INTRO,
                count=len(lines),
                reserve=0,
                english=in_english_instead(stored),
            )
        )
    for line, text in zip(lines, texts, strict=True):
        if line.country == "FR":
            assert creator_language(stored, line) == "fr"
            assert text.startswith("Bonjour ") and "Je tiens Chez Marie" in text
        else:
            assert creator_language(stored, line) is None
            assert text.startswith("Hello ") and "I run Chez Marie" in text
            assert "at the start: “#reclame” or “#ad”." in text
    english = sum(line.country == "NL" for line in lines)
    assert in_english_instead(stored) == english > 0
    said = {
        "en": f"{english} message{'s are' if english > 1 else ' is'} in English: messages come "
        "in English, French, German, Spanish, Italian and Portuguese, and ",
        "fr": f"{english} message{'s sont' if english > 1 else ' est'} en anglais : les messages "
        "existent en anglais, français, allemand, espagnol, italien et portugais, et ",
    }[owner]
    assert said in intro


def test_a_francophone_belgian_creator_is_written_to_in_french_with_the_french_label(
    kb: KnowledgeBase,
) -> None:
    """The roster's language column decides, and a Belgian audience speaking French reads
    “#publicité”, one speaking Dutch “#reclame” (its message in English)."""
    people = [replace(c, country="BE", language=("fr", "nl")[c.id % 2]) for c in _fashion()]
    brief = Brief(Goal.SALES, 800_000, "EUR", "fashion", country="BE")
    stored = snapshot(recommend(brief, people, kb), kb)
    for line in booked(stored):
        text = plain(first_message(stored, line, kb))
        if line.language == "fr":
            assert text.startswith("Bonjour ") and "publicité : « #publicité »." in text
        else:
            assert text.startswith("Hello ") and "“#reclame” or “#advertentie”." in text
    assert {line.language for line in booked(stored)} == {"fr", "nl"}


def plain(text: str) -> str:
    return html.unescape(text).replace("\xa0", " ").replace("\u202f", " ")


def test_an_opening_offer_is_the_markets_top_for_the_people_a_post_reaches() -> None:
    """Only for a line flagged over the market; rounded down to tens; never the ask or more,
    nor for a seeded parcel."""
    base = {"price_cents": 80_000, "posts": 2, "seeding": False}

    def line(notes: list[list[object]], **more: object) -> Any:
        return SimpleNamespace(**(base | {"notes": notes} | more))

    over = [["over_market", 111.0, 100.0]]  # €111 per 1,000 people, against €100 at most
    assert market_offer_cents(line(over)) == 72_000 * 2  # €720.72 a post → €720
    assert market_offer_cents(line([["niche", ["fashion"]]])) is None
    assert market_offer_cents(line(over, seeding=True)) is None
    assert market_offer_cents(line([["over_market", 100.0, 100.0]])) is None
    assert market_offer_cents(line([["over_market", 100.5, 100.0]])) == 79_000 * 2  # €796 → €790
    assert market_offer_cents(line(over, price_cents=900)) is None  # €8.11 rounds to nothing


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_owner_is_told_whom_to_offer_the_market_price_never_under_the_floor(
    kb: KnowledgeBase, language: str
) -> None:
    """Léa asks over what agencies pay for the people she reaches: her message opens at €720
    for two Reels, and the intro (for the owner) says so with the plan's €800 as the most to
    pay; an offer under the fair-pay floor a post is never made."""
    stored = _stored(kb, shop_name="Chez Marie")
    counters = counter_offers(stored, kb)
    floor = kb.assumptions.fair_pay_floor["EUR"] * 100
    lines = {line.name: line for line in booked(stored)}
    assert ("Léa 9", 72_000, 80_000) in counters  # €360 a Reel (she asks €400), two Reels
    assert all(cents >= floor * lines[name].posts for name, cents, _ask in counters)
    with i18n.speaking(language):
        text = render(
            Template.FIRST_MESSAGES_INTRO, count=3, reserve=0, counters=counters, currency="EUR"
        )
    said = (
        "Avant d’envoyer : Léa 9 (le message propose 720 € ; le plan compte 800 €)"
        if language == "fr"
        else "Before you send: Léa 9 (the message offers €720; the plan counts €800)"
    )
    assert said in plain(text)
    # the plan's price stays the most to pay: what to go up to, not what to open with
    ceiling = (
        "vous pouvez monter jusqu’au prix du plan : le plus que le plan paie."
        if language == "fr"
        else "you can go up to the plan's price: the most the plan pays."
    )
    assert ceiling in plain(text)
    with i18n.speaking(language):
        plain_intro = render(
            Template.FIRST_MESSAGES_INTRO, count=3, reserve=0, counters=[], currency="EUR"
        )
    assert "Before you send" not in plain_intro and "Avant d’envoyer" not in plain_intro


def test_a_creator_whose_language_nothing_says_is_written_to_in_english(
    kb: KnowledgeBase,
) -> None:
    """No language column, no country: English, counted for the owner's note; a brief
    naming its audience's language (`language=fr`) gives them that one."""
    people = [replace(c, country=None, language=None) for c in roster(1, 60)]
    unknown = snapshot(recommend(Brief(Goal.SALES, 100_000, "EUR", "cooking"), people, kb), kb)
    lines = booked(unknown)
    assert lines and all(line.country is None and line.language is None for line in lines)
    assert in_english_instead(unknown) == len(lines)
    with i18n.speaking("fr"):
        assert first_message(unknown, lines[0], kb).startswith("Hello ")
    brief = Brief(Goal.SALES, 100_000, "EUR", "cooking", language="fr")
    french = snapshot(recommend(brief, people, kb), kb)
    assert in_english_instead(french) == 0
    assert all(first_message(french, line, kb).startswith("Bonjour ") for line in booked(french))


@pytest.mark.parametrize(
    ("platform", "en", "fr"),
    [
        ("blog", "work with you on your blog", "travailler avec vous sur votre blog"),
        ("podcast", "work with you on your podcast", "travailler avec vous sur votre podcast"),
        ("instagram", "work with you on Instagram", "travailler avec vous sur Instagram"),
    ],
)
def test_a_creators_own_blog_or_podcast_is_theirs_in_the_message(
    kb: KnowledgeBase, platform: str, en: str, fr: str
) -> None:
    """A planner's read: "I would like to work with you on Blog"."""
    stored = _stored(kb)
    line = stored.plan.lines[0].model_copy(update={"platform": platform})
    with i18n.speaking("en"):
        english = render(Template.FIRST_MESSAGE, **first_message_values(stored, line, kb))
    with i18n.speaking("fr"):
        french = render(Template.FIRST_MESSAGE, **first_message_values(stored, line, kb))
    assert en in english and fr in french.replace("\u00a0", " ")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_creator_brief_gives_the_opening_and_the_most_to_pay(
    kb: KnowledgeBase, language: str
) -> None:
    """The owner's document says the fee the message offers and the plan's price as the most
    to pay, for a creator asking over market; at market, the plan's fee alone."""
    stored = _stored(kb, shop_name="Chez Marie")
    with i18n.speaking(language):
        document = html.unescape(creator_briefs_html(stored, kb))
    said = (
        "720\xa0€ en tout proposés (le prix du plan, 800\xa0€, est le plus à payer)"
        if language == "fr"
        else "€720 in all offered (the plan's price, €800, is the most to pay)"
    )
    assert said in document
    offered = "offered (" if language == "en" else "proposés ("
    assert document.count(offered) == len(counter_offers(stored, kb)) > 0
    at_market = stored.model_copy(
        update={
            "plan": stored.plan.model_copy(
                update={
                    "lines": [line.model_copy(update={"notes": []}) for line in stored.plan.lines]
                }
            )
        }
    )
    with i18n.speaking(language):
        plain_document = creator_briefs_html(at_market, kb)
    assert offered not in plain_document
