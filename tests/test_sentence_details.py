"""What a brief typed as one sentence gives besides its goal, budget and niche, as a
planner's read found owners type it: a country standing alone as an item of a list, the
shop's name, and the language it is written in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.base import default_knowledge
from knowledge.reading.brief_form import read_sentence
from knowledge.reading.places import country_named_in
from knowledge.reading.shop import MAX_NAME_WORDS, SHOP_NAME, shop_name_in
from knowledge.reading.tongue import language_named, written_language

KB = default_knowledge()


@pytest.mark.parametrize(
    ("text", "country"),
    [
        (
            "Long-term ambassador, budget €24,000, Instagram, Brazil, my shop is called VivaFit",
            "BR",
        ),
        ("Community for my vegan brand, €12,000, TikTok, Brazil, beauty niche", "BR"),
        ("sales for my shop, €2,000, Instagram, France", "FR"),
        ("Je vends des bougies, 1500 €, Instagram, France", "FR"),
        ("sales, €2,000, Instagram, Brazil audience", "BR"),
        ("awareness; €5k; TikTok; customers United States", "US"),
        ("awareness, €5k, TikTok, USA", "US"),
        ("launch, €8k, Instagram, Lyon", "FR"),
        ("sales, €2k, Instagram, Nice", "FR"),  # alone in a list, a city, not the word
        # a code in capitals alone in a list, a full name ending an item (a thirteenth read)
        ("travel backpack brand, budget €400,000, awareness, travel niche, US, YouTube", "US"),
        ("sales, €2,000, Instagram, FR", "FR"),
        ("pet food startup Germany, budget €25,000, community, pets, Instagram", "DE"),
    ],
)
def test_a_place_alone_in_a_list_is_where_the_customers_are(text: str, country: str) -> None:
    """A planner's read: twelve of twenty-two briefs typed `…, TikTok, France` were asked
    "Where are your customers?" again."""
    assert country_named_in(text) == country


@pytest.mark.parametrize(
    "text",
    [
        "I sell Turkey sandwiches, €500, sales",  # a country's name inside an item: a word
        "sales, €2,000, Instagram, France, Germany",  # two countries: asked which
        "we ship to a nice crowd, €800, sales",
        "sales, €2,000, it, de",  # a code in small letters is a word too often
        "pet food startup germany, budget €25,000",  # a name ending an item: capitalised
    ],
)
def test_a_place_inside_an_item_or_two_of_them_is_no_answer(text: str) -> None:
    assert country_named_in(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ambassador, budget €24,000, Instagram, Brazil, my shop is called VivaFit", "VivaFit"),
        ("Ma boutique s'appelle Atelier Lune, 10 000 €, TikTok", "Atelier Lune"),
        ("Ma boutique s’appelle Atelier Lune.", "Atelier Lune"),
        ("launch, €40k, YouTube, US, shop name: Therma", "Therma"),
        ('I sell bread, my bakery is called "Chez Marie".', "Chez Marie"),
        ("nom de la boutique : Chez Paul, 800 €", "Chez Paul"),
        ("I run a store called Lumen, €500", "Lumen"),
        ("my shop name is Bo & Co", "Bo & Co"),
        ("our brand is named  Lune   Rousse , €2k", "Lune Rousse"),
    ],
)
def test_the_shops_name_in_a_sentence(text: str, name: str) -> None:
    """Three of twenty-two briefs named the shop and were asked its name again before the
    first messages."""
    assert shop_name_in(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "my shop is called and it is great because we sell lots of nice things there",
        "the brand called me yesterday",
        "a store called me, €500",
        "I sell candles, €500, Instagram",
        "my shop is called",
    ],
)
def test_no_shop_name_where_none_is_given(text: str) -> None:
    assert shop_name_in(text) is None


@given(st.text(max_size=200))
def test_a_shop_name_read_is_short_and_part_of_the_text(text: str) -> None:
    name = shop_name_in(text)
    if name is not None:
        assert 0 < len(name.split()) <= MAX_NAME_WORDS
        assert all(word in text for word in name.split())


def test_a_sentence_gives_its_country_and_shop_name_to_the_brief() -> None:
    read = read_sentence(
        "Long-term ambassador for my fitness apparel shop, budget €24,000, Instagram, Brazil, "
        "my shop is called VivaFit",
        kb=KB,
        currency="EUR",
        roster_niches=(),
    )
    assert read.answers["country"] == "BR"
    assert read.answers[SHOP_NAME] == "VivaFit"
    # The shop's name gives no answer of its own: a name alone starts no brief.
    alone = read_sentence("my shop is called VivaFit", kb=KB, currency="EUR", roster_niches=())
    assert alone.answers == {SHOP_NAME: "VivaFit"} and alone.given == 0


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je vends des bougies artisanales, budget 1500 €, Instagram, France", "fr"),
        ("Bonjour, je voudrais plus de ventes pour ma boutique", "fr"),
        ("I sell handmade soap and I want more sales for my shop", "en"),
        ("Lyon", None),
        ("12k reach 5 sales", None),
        ("1", None),
        ("je sell", None),  # a word of each: no clear language
        ("pain relief shop", None),
        ("the shop, le magasin, la boutique", None),  # as many of each: a mix
    ],
)
def test_the_language_a_message_is_clearly_written_in(text: str, language: str | None) -> None:
    assert written_language(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("fr", "fr"),
        ("Français", "fr"),
        (" FRENCH ", "fr"),
        ("english", "en"),
        ("EN", "en"),
        ("anglais", "en"),
        ("klingon", None),
        ("", None),
        ("fr en", None),
    ],
)
def test_a_language_named_after_the_command(text: str, language: str | None) -> None:
    assert language_named(text) == language


@pytest.mark.parametrize(
    ("text", "niche"),
    [
        # What the shop sells would be Bags; the sentence names its niche: Travel (a
        # planner's read: "travel niche" read as Bags, then fashion YouTubers picked).
        ("I sell travel backpacks, budget €2,500, YouTube, travel niche, basket €120", "travel"),
        ("We launch a phone accessory, budget €15,000, tech niche, TikTok", "tech"),
        ("Sales for my wine shop, budget €4,000, Instagram, Italy, food niche", "cooking"),
        ("je vends des sacs, niche voyage, 500 €", "travel"),
        ("I sell candles in the diy niche", "diy"),
        ("niche: travel, I sell backpacks", "travel"),
        # A niche word alone as an item of the list (an eleventh planner's read: swimwear
        # with "fashion" stated read as Lingerie).
        ("Swimwear shop, sales on TikTok in Brazil, budget 8k, fashion, basket €60", "fashion"),
        ("Protein snacks, sales in Germany, €100,000, fitness, basket €45", "fitness"),
        # No niche named as one: what the shop sells, as before.
        ("the niche is small, I sell candles", "candle"),
        ("I sell travel backpacks, budget €2,500", "bag"),
    ],
)
def test_a_niche_named_as_one_wins_over_what_the_shop_sells(text: str, niche: str) -> None:
    roster = ("bag", "candle", "smartphone", "wine", "lingerie")
    read = read_sentence(text, kb=KB, currency="EUR", roster_niches=roster)
    assert read.answers.get("niche") == niche


@pytest.mark.parametrize(
    "text",
    [
        "awareness for our beauty brand, budget €400,000, beauty niche, all platforms",
        "je veux des ventes pour ma boutique, 500 €, toutes les plateformes",
        "sales, €500, any platform",
    ],
)
def test_any_platform_in_a_sentence_is_no_platform_asked(text: str) -> None:
    """The words "all platforms" in a brief's sentence were not read: the platform was
    asked again (a twelfth planner's read)."""
    read = read_sentence(text, kb=KB, currency="EUR", roster_niches=())
    assert read.answers.get("platform") == "any"


@pytest.mark.parametrize(
    ("text", "goal", "niche"),
    [
        # a goal alone as a list item settles "I sell" (sales) against it (a final read)
        (
            "I sell organic dog treats, €5,000, community, pets niche, Instagram, Spain",
            "community",
            "pets",
        ),
        (
            "Je vends des confitures artisanales, budget 2 000 €, objectif notoriété, Instagram",
            "awareness",
            "cooking",
        ),
        ("I sell candles, €500", "sales", "candle"),
    ],
)
def test_a_goal_alone_in_the_list_and_jam_are_read(text: str, goal: str, niche: str) -> None:
    read = read_sentence(text, kb=KB, currency="EUR", roster_niches=("candle",))
    assert (read.answers.get("goal"), read.answers.get("niche")) == (goal, niche)
