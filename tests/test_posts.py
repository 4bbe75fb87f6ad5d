"""From plan to posts (issue 23, parts 1, 3 and 4): what each plan line buys, its usage
rights and disclosure, and its promo code and tracked link; the rules, their invariants, and
how the shortlist and the plan file say them in English and French."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from bench.plan_grid import grid_briefs, open_roster
from handlers.callbacks import View
from handlers.recommendation import PAGE_SIZES, view_text
from handlers.services import Services
from knowledge.advice.audience import spoken_language
from knowledge.advice.brief import Brief, PriceRange
from knowledge.advice.deliverables import deliverable, whole_pieces
from knowledge.advice.engine import recommend
from knowledge.advice.posts import OTHER, disclosure_country, with_posts, with_shop_name
from knowledge.advice.scope import niches_to_fetch
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredDeliverable, StoredRecommendation, what_changed
from knowledge.advice.tracking import (
    Creator,
    campaign_tag,
    promo_codes,
    shop_code,
    slug,
    tracked_link,
)
from knowledge.base import ANY_PLATFORM, Goal, KnowledgeBase, default_knowledge
from knowledge.base.posts import PostRulesError, read_post_rules
from knowledge.files.plan_file import plan_csv
from knowledge.reading import brief_form as form
from knowledge.reading.shop import read_discount, read_shop_address
from knowledge.writing import i18n
from knowledge.writing.posts_words import deliverable_words, disclosure_words, format_words
from knowledge.writing.render import Labels, Template, environment, render, utf16_len
from knowledge.writing.views import card_values
from storage.roster import candidates_for_brief, price_guide
from tests.test_templates_fr_brief import _fashion

CODE = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+(?:-)?\d+$")
PLATFORMS = ["instagram", "tiktok", "youtube", "blog", "pinterest", "x", "twitch", "podcast"]


# ---- deliverables ----


@pytest.mark.parametrize(
    ("platform", "goal", "posts", "expected"),
    [
        ("instagram", Goal.SALES, 1, ("instagram_reel", 1)),  # not Story sets: see below
        ("instagram", Goal.AWARENESS, 3, ("instagram_reel", 3)),
        ("instagram", Goal.COMMUNITY, 2, ("instagram_carousel", 2)),
        ("youtube", Goal.LAUNCH, 2, ("youtube_dedicated", 1)),  # two integrations' price
        ("youtube", Goal.LAUNCH, 1, ("youtube_integration", 1)),  # pays no whole one
        ("youtube", Goal.LAUNCH, 3, ("youtube_integration", 3)),
        ("tiktok", Goal.SALES, 2, ("tiktok_video", 2)),
        ("blog", Goal.LAUNCH, 1, ("blog_article", 1)),
        ("pinterest", Goal.AMBASSADOR, 6, ("pinterest_pin", 6)),
        ("twitch", Goal.AWARENESS, 1, ("twitch_segment", 1)),  # a stream sells segments
        ("podcast", Goal.SALES, 2, ("post", 2)),  # no formats of its own
    ],
)
def test_each_line_buys_the_goals_format_where_its_money_pays_whole_pieces(
    kb: KnowledgeBase, platform: str, goal: Goal, posts: int, expected: tuple[str, int]
) -> None:
    bought = deliverable(platform, goal, posts, kb.posts)
    assert (bought.format, bought.count) == expected
    assert bought.approval_rounds == 1


def test_a_deployment_buying_story_sets_for_sales_gets_two_for_a_posts_price(
    kb: KnowledgeBase,
) -> None:
    """Reels by default (the forecast's reach is a post's: a planner's read found Story sets
    forecast as posts); a deployment may set Story sets, at half a Reel's price each."""
    defaults = dict(kb.posts.defaults)
    defaults["instagram"] = {**defaults["instagram"], "sales": "instagram_story_set"}
    rules = dataclasses.replace(kb.posts, defaults=defaults)
    bought = deliverable("instagram", Goal.SALES, 1, rules)
    assert (bought.format, bought.count) == ("instagram_story_set", 2)
    assert deliverable("instagram", Goal.SALES, 1, kb.posts).format == "instagram_reel"


@given(
    platform=st.sampled_from(PLATFORMS),
    goal=st.sampled_from(list(Goal)),
    posts=st.integers(1, 60),
)
def test_a_deliverable_costs_what_the_line_pays(platform: str, goal: Goal, posts: int) -> None:
    """Invariant: the pieces bought, at their format's price ratio, are the line's posts
    exactly (the plan's cost stands), on the line's own platform."""
    kb = default_knowledge()
    bought = deliverable(platform, goal, posts, kb.posts)
    found = kb.posts.formats[bought.format]
    assert bought.count >= 1
    assert bought.count * found.price_ratio == pytest.approx(posts)
    assert found.platform in (platform, ANY_PLATFORM)


def test_whole_pieces() -> None:
    assert whole_pieces(2, 2.0) == 1
    assert whole_pieces(1, 2.0) is None
    assert whole_pieces(3, 0.5) == 6
    assert whole_pieces(1, 0.3) is None


def test_the_posts_rules_are_checked_when_read(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "knowledge/data/posts.toml").read_text()
    broken = tmp_path / "posts.toml"
    broken.write_text(text.replace('standard = "tiktok_video"', 'standard = "youtube_dedicated"'))
    with pytest.raises(PostRulesError, match="tiktok"):
        read_post_rules(broken)
    broken.write_text(text.replace("discount_pct = 10", "discount_pct = 0"))
    with pytest.raises(PostRulesError, match="discount"):
        read_post_rules(broken)
    broken.write_text(text.replace("[disclosure.BE-fr]", "[disclosure.BE-FR]"))
    with pytest.raises(PostRulesError, match="BE-FR"):
        read_post_rules(broken)
    # A language's words need the country's own, for an audience whose language is unknown.
    broken.write_text(text.replace("[disclosure.BR]", "[disclosure.BR-pt]"))
    with pytest.raises(PostRulesError, match="BR-pt"):
        read_post_rules(broken)
    # A piece's length comes with a unit it knows, and runs from low to high.
    for good, bad in [
        ('length = [8, 12]\nunit = "minutes"', 'length = [8, 12]\nunit = "hours"'),
        ('length = [8, 12]\nunit = "minutes"', 'length = [12, 8]\nunit = "minutes"'),
        ('length = [8, 12]\nunit = "minutes"', "length = [8, 12]"),
    ]:
        assert good in text
        broken.write_text(text.replace(good, bad))
        with pytest.raises(PostRulesError, match="youtube_dedicated"):
            read_post_rules(broken)


@pytest.mark.parametrize(
    ("language", "unit", "said"),
    [
        ("en", "seconds", "1 dedicated YouTube video (30–60 s), 1 approval round before posting"),
        ("en", "words", "1 dedicated YouTube video (800–1,200 words), 1 approval round"),
        ("fr", "minutes", "1 vidéo YouTube dédiée (30–60 min), 1 tour de validation"),
        ("fr", "words", "1 vidéo YouTube dédiée (800–1 200 mots)"),
        ("de", "frames", "(30–60 Frames)"),
    ],
)
def test_a_deliverable_says_a_pieces_usual_length(language: str, unit: str, said: str) -> None:
    length = (800, 1200) if unit == "words" else (30, 60)
    bought = StoredDeliverable(
        format="youtube_dedicated", count=1, approval_rounds=1, length=length, unit=unit
    )
    with i18n.writing_to(language) if language == "de" else i18n.speaking(language):
        text = deliverable_words(bought).replace("\u202f", " ").replace("\u00a0", " ")
    assert said in text, text
    without = StoredDeliverable(format="youtube_dedicated", count=1, approval_rounds=1)
    with i18n.speaking("en"):
        assert deliverable_words(without).startswith("1 dedicated YouTube video, 1 approval")


# ---- promo codes and links ----


def test_promo_codes_are_readable_and_unique_within_a_plan() -> None:
    people = [
        Creator(1, "Anna Martin", "@anna"),
        Creator(2, "Anna Morel", "@annam"),
        Creator(3, "Anna Martin", "@anna2"),
        Creator(4, "Ånna Mørk", "@anna4"),
        Creator(5, "李小龙", "@li_xl"),
        Creator(6, "", "@"),
        Creator(1, "Anna Martin", "@anna"),  # the same creator in a second wave
    ]
    codes = promo_codes(people, "BAKERY", 10)
    assert codes == {
        1: "BAKERY-ANNA10",
        2: "BAKERY-ANNAM10",
        3: "BAKERY-ANNA2-10",
        4: "BAKERY-ANNA3-10",
        5: "BAKERY-LI10",
        6: "BAKERY-CREATOR10",
    }


@given(
    people=st.lists(st.tuples(st.text(max_size=30), st.text(max_size=20)), min_size=1, max_size=40),
    shop=st.sampled_from(["BAKERY", "SHOP", "CHEZMARIE", "B2B"]),
    discount=st.integers(1, 90),
)
def test_promo_codes_are_unique_and_typeable(
    people: list[tuple[str, str]], shop: str, discount: int
) -> None:
    """Invariant: one code per creator, never two alike (whatever the case), each of capital
    letters, digits and hyphens only, starting with the shop and ending with the discount."""
    codes = promo_codes(
        (Creator(i, name, handle) for i, (name, handle) in enumerate(people)), shop, discount
    )
    assert len(codes) == len(people)
    assert len({code.upper() for code in codes.values()}) == len(codes)
    for code in codes.values():
        assert CODE.match(code) and code.startswith(f"{shop}-") and code.endswith(str(discount))


def test_the_shop_part_comes_from_its_name_its_address_or_the_default() -> None:
    assert shop_code("Chez Marie", "https://example.com", "SHOP") == "CHEZMARIE"
    assert shop_code(None, "https://www.bakery.fr/shop", "SHOP") == "BAKERY"
    assert shop_code(None, "https://boulangerie-anna.co.uk", "SHOP") == "BOULANGERIE"
    assert shop_code(None, "https://shop.co.uk", "SHOP") == "SHOP"
    assert shop_code("🥐", "http://localhost:8000", "SHOP") == "LOCALHOST"
    assert shop_code(None, None, "SHOP") == "SHOP"
    assert shop_code("La Très Grande Boulangerie", None, "SHOP") == "LATRESGRANDE"
    assert shop_code(None, "https://www.la-boulangerie-dupont.fr", "SHOP") == "LABOULANGERIE"


def test_a_link_is_tagged_for_its_creator_and_keeps_the_shops_own_query() -> None:
    link = tracked_link(
        "https://example.com/shop?ref=x&utm_source=old#top",
        source="anna",
        medium="instagram",
        campaign=campaign_tag("BAKERY", "sales"),
        content=slug("Anna Märtin"),
    )
    assert link == (
        "https://example.com/shop?ref=x&utm_source=anna&utm_medium=instagram"
        "&utm_campaign=bakery-sales&utm_content=anna-martin#top"
    )
    assert tracked_link("https://example.com", source="a", medium="b", campaign="c", content="d")
    assert tracked_link(
        "http://example.com", source="a", medium="b", campaign="c", content="d"
    ).startswith("http://example.com/?utm_source=a&")


@given(
    path=st.from_regex(r"(/[a-z0-9-]{0,8}){0,3}", fullmatch=True),
    query=st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.text(max_size=8)),
    handle=st.text(min_size=1, max_size=20),
    content=st.text(max_size=20),
)
def test_a_link_reads_back_as_its_tags(
    path: str, query: dict[str, str], handle: str, content: str
) -> None:
    """Invariant: whatever the shop's query and the creator's words, the link's tags read
    back as given, and the shop's own parameters are kept."""
    shop = f"https://example.com{path}?{urlencode(query)}"
    link = tracked_link(
        shop, source=handle, medium="tiktok", campaign="shop-sales", content=content
    )
    parts = urlsplit(link)
    read = parse_qs(parts.query, keep_blank_values=True)
    assert read["utm_source"] == [handle] and read["utm_medium"] == ["tiktok"]
    assert read["utm_campaign"] == ["shop-sales"] and read["utm_content"] == [content]
    for key, value in query.items():
        if not key.startswith("utm_"):
            assert read[key] == [value]
    assert parts.scheme == "https" and parts.hostname == "example.com"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("https://example.com", "https://example.com"),
        ("example.com", "https://example.com"),
        ("example.com:8080/shop", "https://example.com:8080/shop"),
        ("HTTP://Bakery.fr/?a=1", "HTTP://Bakery.fr/?a=1"),
        ("boulangerie-à-lyon.fr", "https://boulangerie-à-lyon.fr"),
    ],
)
def test_a_shop_address_is_read(typed: str, read: str) -> None:
    assert read_shop_address(typed) == read


@pytest.mark.parametrize(
    "typed",
    [
        "ftp://example.com",
        "javascript:alert(1)",
        "mailto:shop@example.com",
        "https://user:secret@example.com",
        "https://",
        "https://exa mple.com",
        "my shop",
        "https://example.com:port/",
        "https://-bad-.com",
    ],
)
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        read_shop_address(typed)


@given(st.text(max_size=60))
def test_a_shop_address_read_is_always_http_or_https(typed: str) -> None:
    try:
        address = read_shop_address(typed)
    except ValueError:
        return
    assert urlsplit(address).scheme.lower() in ("http", "https")
    assert urlsplit(address).hostname


def test_a_discount_is_a_whole_percentage() -> None:
    assert read_discount("15") == 15 and read_discount("15 %") == 15 and read_discount("5%") == 5
    for typed in ("0", "95", "12.5", "ten", "-5"):
        with pytest.raises(ValueError):
            read_discount(typed)


def test_the_shop_answers_are_read_as_key_value_words(kb: KnowledgeBase) -> None:
    pairs, _ = form.one_line("discount=15 shop=example.com shop_name=Chez Marie budget=800")
    answers: form.Answers = {}
    for field, value in pairs:
        form.take(field, answers, value, kb=kb, currency="EUR", roster_niches=["cooking"])
    assert answers == {
        "discount": 15,
        "shop": "https://example.com",
        "shop_name": "Chez Marie",
        "budget": 80_000,
    }
    pairs, _ = form.one_line("remise=20 boutique=https://exemple.fr nom_boutique=Chez Léa")
    assert [field for field, _ in pairs] == ["discount", "shop", "shop_name"]
    problem = form.take("shop", answers, "ftp://x.fr", kb=kb, currency="EUR", roster_niches=[])
    assert problem == {"text": "ftp://x.fr"} and answers["shop"] == "https://example.com"


# ---- disclosure ----


def test_the_disclosure_follows_the_audiences_country(kb: KnowledgeBase) -> None:
    assert disclosure_country("FR", "GB", kb.posts) == "FR"
    assert disclosure_country(None, "gb", kb.posts) == "GB"
    assert disclosure_country("JP", None, kb.posts) == OTHER
    assert disclosure_country(None, None, kb.posts) == OTHER
    assert disclosure_country("BR", "FR", kb.posts, "pt") == "BR"  # one label for its language
    with i18n.speaking("en"):
        assert disclosure_words("FR", kb.posts) == "“Publicité” or “Collaboration commerciale”"
        assert disclosure_words("US", kb.posts) == "“#ad”"
        assert disclosure_words("DE", kb.posts) == "“Werbung” or “Anzeige”"
        assert "a clear word for “ad”" in disclosure_words(OTHER, kb.posts)
    with i18n.speaking("fr"):
        assert (
            disclosure_words("FR", kb.posts)
            == "«\xa0Publicité\xa0» ou «\xa0Collaboration commerciale\xa0»"
        )
        assert disclosure_words("GB", kb.posts) == "«\xa0#ad\xa0»"
        assert "un mot clair pour «\xa0publicité\xa0»" in disclosure_words(OTHER, kb.posts)


@pytest.mark.parametrize(
    ("country", "language", "key", "said"),
    [
        ("BE", "fr", "BE-fr", "“#publicité”"),
        ("BE", "nl", "BE-nl", "“#reclame” or “#advertentie”"),
        ("BE", None, "BE", "“#publicité” or “#reclame”"),  # not known: both languages
        ("BE", "de", "BE", "“#publicité” or “#reclame”"),
        ("CA", "fr", "CA-fr", "“#pub” or “#commandité”"),
        ("CA", "en", "CA-en", "“#ad”"),
        ("CH", "de", "CH-de", "“Werbung” or “Anzeige”"),
        ("CH", "it", "CH-it", "“Pubblicità”"),
        ("BR", "pt", "BR", "“#publi” or “#publicidade”"),
        ("PT", "pt", "PT", "“#pub” or “#publicidade”"),
        ("AT", None, "AT", "“Werbung” or “Anzeige”"),
    ],
)
def test_a_country_of_several_languages_takes_the_label_of_its_audiences(
    kb: KnowledgeBase, country: str, language: str | None, key: str, said: str
) -> None:
    """A francophone Belgian audience reads “#publicité”, not the Dutch “#reclame”; an
    audience whose language is not known gets each language's word."""
    assert disclosure_country(country, None, kb.posts, language) == key
    with i18n.speaking("en"):
        assert disclosure_words(key, kb.posts) == said


def test_every_country_of_the_sample_rosters_has_its_ad_label(kb: KnowledgeBase) -> None:
    """No audience country a roster of ours has (the sandbox's too: Brazil, Portugal…) is
    left with the placeholder “a clear word for ad”."""
    for country in ("BE", "BR", "CA", "CH", "DE", "ES", "FR", "GB", "IT", "NL", "PT", "US"):
        assert disclosure_country(country, None, kb.posts) == country


@pytest.mark.parametrize(
    ("country", "language", "brief_country", "brief_language", "spoken"),
    [
        ("BE", "nl", "BE", "fr", "nl"),  # the roster's column first
        ("FR", None, None, None, "fr"),
        ("BR", None, "FR", "fr", "pt"),
        (None, None, "DE", None, "de"),  # the brief's country when the roster says none
        ("BE", None, "BE", "fr", "fr"),  # the brief's language, for its own country
        ("BE", None, "FR", "fr", None),  # …not for another
        ("CA", None, "CA", "de", None),  # …nor one the country does not speak
        ("CH", None, None, None, None),
        (None, None, None, "fr", "fr"),
        ("JP", None, None, None, None),
    ],
)
def test_the_language_an_audience_speaks(
    country: str | None,
    language: str | None,
    brief_country: str | None,
    brief_language: str | None,
    spoken: str | None,
) -> None:
    assert spoken_language(country, language, brief_country, brief_language) == spoken


def test_a_plans_lines_take_the_label_of_their_audiences_language(kb: KnowledgeBase) -> None:
    people = [replace(c, country="BE", language=("fr", "nl", None)[c.id % 3]) for c in _fashion()]
    brief = Brief(Goal.SALES, 800_000, "EUR", "fashion", country="BE")
    lines = snapshot(recommend(brief, people, kb), kb).plan.lines
    assert {line.language for line in lines} == {"fr", "nl", None}
    for line in lines:
        assert line.disclosure == {"fr": "BE-fr", "nl": "BE-nl", None: "BE"}[line.language]


def test_every_disclosure_names_its_source(kb: KnowledgeBase) -> None:
    assert {"FR", "GB", "US", "DE"} <= set(kb.posts.disclosures)
    for found in kb.posts.disclosures.values():
        assert found.words and re.search(r"(19|20)\d\d", found.source)
    for key in ("formats", "price_ratios", "defaults", "approval", "usage", "discount"):
        assert kb.posts.sources[key]


# ---- a plan's lines ----


def _stored(kb: KnowledgeBase, **brief: object) -> StoredRecommendation:
    base = Brief(goal=Goal.SALES, budget_cents=800_000, currency="EUR", niche="fashion")
    people = [replace(c, country="FR" if c.id % 2 else "DE") for c in _fashion()]
    return snapshot(recommend(replace(base, **brief), people, kb), kb)  # type: ignore[arg-type]


def test_every_line_of_a_plan_gets_its_deliverable_code_link_and_disclosure(
    kb: KnowledgeBase,
) -> None:
    stored = _stored(kb, discount_pct=15, shop_url="https://example.com/shop", shop_name=None)
    lines = stored.plan.lines
    assert len(lines) >= 3
    codes = [line.promo_code for line in lines]
    assert len(set(codes)) == len(codes)
    for line in lines:
        assert line.deliverable is not None and line.deliverable.approval_rounds == 1
        assert line.deliverable.format == "instagram_reel"  # sales on Instagram
        assert line.deliverable.count == line.posts
        assert line.usage == "organic"
        assert line.promo_code and line.promo_code.startswith("EXAMPLE-")
        assert line.promo_code.endswith("15")
        assert line.disclosure == line.country
        tags = parse_qs(urlsplit(line.link or "").query)
        assert tags["utm_source"] == [line.handle.lstrip("@")]
        assert tags["utm_medium"] == ["instagram"]
        assert tags["utm_campaign"] == ["example-sales"]
    # Stored and read back (a saved brief, the campaign made from it): the same.
    again = StoredRecommendation.of(stored.to_json())
    assert again is not None and again.plan.lines == lines


def test_without_a_shop_address_no_link_and_the_default_code(kb: KnowledgeBase) -> None:
    stored = _stored(kb)
    assert all(line.link is None for line in stored.plan.lines)
    assert stored.plan.lines[0].promo_code == f"SHOP-LEA{kb.posts.discount_pct}"
    # Made again from the stored form, a plan's posts are the same.
    assert with_posts(stored, kb.posts) == stored


def test_a_shop_named_after_the_plan_renames_its_codes_and_nothing_else(
    kb: KnowledgeBase,
) -> None:
    """The name asked before the first messages: the codes start with it, as with
    `shop_name=` from the start; every other part of the plan is the same."""
    stored = _stored(kb)
    named = with_shop_name(stored, "Chez Marie", kb.posts)
    assert named.brief.shop_name == "Chez Marie"
    assert named == with_posts(_stored(kb, shop_name="Chez Marie"), kb.posts)
    for before, after in zip(stored.plan.lines, named.plan.lines, strict=True):
        assert (before.promo_code or "").replace("SHOP-", "CHEZMARIE-") == after.promo_code
        assert before.model_copy(update={"promo_code": after.promo_code}) == after


def test_a_plan_stored_before_posts_still_reads(kb: KnowledgeBase) -> None:
    raw = _stored(kb).to_json()
    for line in raw["plan"]["lines"]:
        for key in ("deliverable", "usage", "promo_code", "link", "disclosure"):
            del line[key]
    older = StoredRecommendation.of(raw)
    assert older is not None
    header, *rows = list(csv.reader(io.StringIO(plan_csv(older, kb).removeprefix("\ufeff"))))
    assert all(row[header.index("Promo code")] == "" for row in rows)


@pytest.mark.parametrize(("language", "separator"), [("en", ","), ("fr", ";")])
def test_the_plan_file_has_the_posts_columns_in_the_readers_language(
    kb: KnowledgeBase, language: str, separator: str
) -> None:
    stored = _stored(kb, shop_url="https://example.com", shop_name="Chez Marie")
    with i18n.speaking(language):
        text = plan_csv(stored, kb)
    header, *rows, totals = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator)
    )
    names = {
        "en": ["Deliverables", "Approval rounds", "Usage rights", "Disclosure", "Promo code"],
        "fr": ["Livrables", "Tours de validation", "Droits d’usage", "Mention publicitaire"],
    }[language]
    link = header.index("Link" if language == "en" else "Lien")
    code = header.index("Promo code" if language == "en" else "Code promo")
    assert all(name in header for name in names)
    assert len(totals) == len(header)
    for row, line in zip(rows, stored.plan.lines, strict=True):
        assert row[code] == line.promo_code and row[code].startswith("CHEZMARIE-")
        assert row[link] == line.link
    words = {row[header.index(names[3])] for row in rows}
    with i18n.speaking(language):
        assert words == {disclosure_words(c, kb.posts) for c in ("FR", "DE")}
        reels = format_words("instagram_reel", stored.plan.lines[0].posts)
        assert rows[0][header.index(names[0])] == reels


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shortlist_says_what_each_line_buys(kb: KnowledgeBase, language: str) -> None:
    stored = _stored(kb, shop_name="Chez Marie")
    with i18n.speaking(language):
        text = render(
            Template.RECOMMENDATION_SHORTLIST,
            rec=stored,
            kb=kb,
            labels=Labels(kb),
            lines=stored.plan.lines,  # every pick on one page, to check each
            page=0,
            pages=1,
            offset=0,
            prices={},
            show_contact=False,
        )
    for line in stored.plan.lines:
        assert f"Code {line.promo_code} · " in text
    assert stored.plan.lines[0].posts == 2  # two Reels
    if language == "en":
        assert (
            "Buys 2 Instagram Reels (30–60 s), 1 approval round before posting; organic use only"
            in text
        )
        assert "organic use only" in text and "“Publicité” or “Collaboration commerciale”" in text
    else:
        assert "Achat\xa0: 2 Reels Instagram" in text
        assert (
            "usage organique seulement" in text and "«\xa0Werbung\xa0» ou «\xa0Anzeige\xa0»" in text
        )


_PIECES = {
    # format, platform, posts, pieces: the shortlist's words in English and French
    "youtube_dedicated": (
        "youtube",
        2,
        1,
        "1 dedicated YouTube video × €170 = €170 (each priced as 2 of their €85 posts)",
        "1 vidéo YouTube dédiée × 170\xa0€ = 170\xa0€ "
        "(l’unité au prix de 2 de ses publications à 85\xa0€)",
        "· €170",
        "· 170\xa0€",
    ),
    "instagram_story_set": (
        "instagram",
        1,
        2,
        "2 Instagram Story sets × €42.50 = €85 (2 for the price of one of their €85 posts)",
        "(2 pour le prix d’une de ses publications à 85\xa0€)",
        "· €42.50 × 2",
        "· 42,50\xa0€ × 2",
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("format_", sorted(_PIECES))
def test_a_line_is_priced_in_the_pieces_it_buys(
    kb: KnowledgeBase, language: str, format_: str
) -> None:
    """Two posts' fee buys one dedicated YouTube video, one post's fee two Story sets: the
    card and the shortlist count the pieces at their own price, not "2 posts" beside "Buys 1
    dedicated YouTube video" (a planner's read), and the post fee beside it reads as where
    the price comes from, not as a second price ("(the fee of 4 posts at €85)" beside "€340"
    read as two prices: the ninth read)."""
    platform, posts, pieces, english, french, card_en, card_fr = _PIECES[format_]
    stored = _stored(kb)
    first = stored.plan.lines[0]
    line = first.model_copy(
        update={
            "platform": platform,
            "posts": posts,
            "price_cents": 8_500,
            "ask_cents": 8_500,
            "deliverable": first.deliverable.model_copy(  # type: ignore[union-attr]
                update={"format": format_, "count": pieces}
            ),
        }
    )
    assert (line.pieces, line.piece_price_cents) == (pieces, 8_500 * posts // pieces)
    assert (first.pieces, first.piece_price_cents) == (first.posts, first.price_cents)
    plan = stored.plan.model_copy(update={"lines": [line]})
    with i18n.speaking(language):
        text = render(
            Template.RECOMMENDATION_SHORTLIST,
            rec=stored.model_copy(update={"plan": plan}),
            kb=kb,
            labels=Labels(kb),
            lines=[line],
            page=0,
            pages=1,
            offset=0,
            prices={},
            show_contact=False,
        )
        macros = str(
            environment()
            .get_template("_macros.html")
            .module.card_pick(  # type: ignore[attr-defined]
                line, Labels(kb), "EUR", True
            )
        )
    assert (english if language == "en" else french) in text, text
    assert macros.endswith(card_en if language == "en" else card_fr), macros


@pytest.mark.parametrize("roster", ["sample", "realistic"])
def test_every_shortlist_and_how_page_fits_one_message(
    roster: str, tmp_path: Path, kb: KnowledgeBase
) -> None:
    """Each pick says what it buys, its code and disclosure: a page of the shortlist, with
    the longest price notes, still fits Telegram's 4,096 characters, in French too; and so
    does a page of How (a view cut at the limit would lose its last picks and its total)."""
    grid = open_roster(roster, tmp_path, kb, 600, 3)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    with Session(grid.engine) as session:
        for plain in grid_briefs(24, 5):
            brief = replace(plain, shop_url="https://www.la-boulangerie.fr", country="FR")
            candidates = candidates_for_brief(session=session, brief=brief, kb=kb)
            prices = price_guide(session=session, niches=niches_to_fetch(brief, kb), kb=kb)
            stored = snapshot(recommend(brief, candidates, kb, prices), kb)
            dear = {line.id: PriceRange(1, 1, 1, 1) for line in stored.plan.lines}
            for view in (View.SHORTLIST, View.HOW):  # How: each pick's sums, on pages too
                pages = -(-len(stored.plan.lines) // PAGE_SIZES[view])
                for language, page in itertools.product(("en", "fr"), range(pages)):
                    with i18n.speaking(language):
                        text = view_text(view, stored, services, page, prices=dear)
                    assert utf16_len(text) <= 4096, text
    grid.engine.dispose()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Changed: discount 20%, shop address https://example.com, shop name Chez Marie"),
        ("fr", "Modifié\xa0: remise 20\xa0%, adresse de la boutique https://example.com, nom de"),
    ],
)
def test_a_changed_shop_answer_is_said_on_the_new_card(
    kb: KnowledgeBase, language: str, said: str
) -> None:
    before = _stored(kb)
    after = _stored(kb, discount_pct=20, shop_url="https://example.com", shop_name="Chez Marie")
    changed = what_changed(before, after)
    assert [key for key, _old, _new in changed.answers] == ["discount_pct", "shop_url", "shop_name"]
    with i18n.speaking(language):
        card = render(Template.RECOMMENDATION_CARD, **card_values(after, kb, changed))
    assert said in card


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 sponsored Twitch stream segment", "2 sponsored Twitch stream segments"),
        ("fr", "1 segment sponsorisé dans un live Twitch", "2 segments sponsorisés dans des lives"),
        ("de", "1 gesponserter Abschnitt in einem Twitch-Livestream", "2 gesponserte Abschnitte"),
    ],
)
def test_a_twitch_line_buys_a_stream_segment_in_each_language(
    language: str, one: str, two: str
) -> None:
    """A planner's read: "Buys 1 sponsored post" on Twitch, which sells stream segments."""
    with i18n.writing_to(language):  # (a first message may be in the creator's language)
        assert format_words("twitch_segment", 1) == one
        assert format_words("twitch_segment", 2).startswith(two)
