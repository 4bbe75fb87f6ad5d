"""First messages to creators in German, Spanish, Italian and Portuguese (planners' reads: 10
of 20 flagged German, Italian, Spanish and Brazilian creators getting English messages): the
catalogues hold every string of the message and nothing else, each message is all in its
creator's language (no English sentence of the template left), with the format's words, the
code, the fee in the language's way and the country's ad label; the bot's own replies stay in
English and French."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract

from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.posts import PAID
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredLine, StoredRecommendation
from knowledge.base import Goal, KnowledgeBase
from knowledge.writing import i18n
from knowledge.writing.outreach import (
    booked,
    creator_language,
    first_message,
    first_message_subject,
    in_english_instead,
    in_sentence,
)
from knowledge.writing.render import TEMPLATE_DIR, Labels
from tests.test_i18n import JINJA_OPTIONS, KEYWORDS, PLACEHOLDER, ROOT
from tests.test_templates_fr_brief import _fashion

NEW = ("de", "es", "it", "pt")
WRITING = ROOT / "knowledge" / "writing"
Msgid = str | tuple[str, ...]
ANY_PLACEHOLDER = r"%\(\w+\)[sd]|%[sd]"


def _extracted(path: Path, method: str, lines: range | None = None) -> Iterator[Msgid]:
    options = JINJA_OPTIONS if method == "jinja2" else {}
    with path.open("rb") as file:
        for line, message, _comments, _context in extract(
            method, file, keywords=KEYWORDS, options=options
        ):
            if lines is None or line in lines:
                yield message


def _post_window_lines() -> range:
    """The lines of the `post_window` macro in _macros.html (the message's post dates)."""
    text = (TEMPLATE_DIR / "_macros.html").read_text().splitlines()
    start = next(i for i, line in enumerate(text, 1) if "macro post_window" in line)
    end = next(i for i, line in enumerate(text, 1) if i > start and "endmacro" in line)
    return range(start, end + 1)


def message_msgids() -> set[Msgid]:
    """Every string a first message can use: its template and its email's subject, the post
    window macro, the words of posts_words.py and outreach.py, and the date formats of its
    dates."""
    found = set(_extracted(TEMPLATE_DIR / "first_message.html", "jinja2"))
    found |= set(_extracted(TEMPLATE_DIR / "first_message_subject.html", "jinja2"))
    found |= set(_extracted(TEMPLATE_DIR / "_macros.html", "jinja2", _post_window_lines()))
    for module in ("posts_words.py", "outreach.py"):
        found |= set(_extracted(WRITING / module, "python"))
    return found | {i18n.DATE_FORMATS["day_of_month"], i18n.DATE_FORMATS["day_and_month"]}


MSGIDS = message_msgids()


def _catalogue(language: str) -> dict[Msgid, object]:
    return {message.id: message.string for message in i18n._catalogue(language) if message.id}


def test_the_message_strings_are_found() -> None:
    assert "Hello %(name)s," in MSGIDS and "your blog" in MSGIDS
    assert "between %(first)s and %(last)s" in MSGIDS and "d MMMM" in MSGIDS
    assert ("%(num)s Instagram Reel", "%(num)s Instagram Reels") in MSGIDS
    assert len(MSGIDS) > 40


@pytest.mark.parametrize("language", NEW)
def test_each_new_catalogue_holds_every_string_of_the_message_and_only_them(
    language: str,
) -> None:
    """Complete (each with the placeholders of its English), and nothing of the bot's own
    replies: those stay in English and French."""
    catalogue = _catalogue(language)
    for msgid in MSGIDS:
        translated = catalogue.get(msgid)
        assert translated, f"{language}: no text for {msgid!r}"
        english = msgid if isinstance(msgid, tuple) else (msgid,)
        forms = translated if isinstance(translated, tuple | list) else (translated,)
        wanted = {name for form in english for name in PLACEHOLDER.findall(form)}
        for form in forms:
            assert isinstance(form, str) and form.strip(), f"{language}: empty for {msgid!r}"
            assert set(PLACEHOLDER.findall(form)) == wanted, f"{language}: {form!r}"
    assert set(catalogue) == MSGIDS


def _english_sentences() -> set[str]:
    """The English words of the template's own sentences (between their placeholders)."""
    template = set(_extracted(TEMPLATE_DIR / "first_message.html", "jinja2"))
    template |= set(_extracted(TEMPLATE_DIR / "_macros.html", "jinja2", _post_window_lines()))
    template |= set(_extracted(WRITING / "outreach.py", "python"))
    pieces = set()
    for msgid in template:
        for form in msgid if isinstance(msgid, tuple) else (msgid,):
            pieces |= {p.strip() for p in re.split(ANY_PLACEHOLDER, form) if len(p.strip()) > 4}
    return pieces


ENGLISH = _english_sentences()


def _plan(kb: KnowledgeBase, country: str, **brief: object) -> StoredRecommendation:
    people = [replace(c, country=country, language=None) for c in _fashion()]
    base = Brief(Goal.SALES, 800_000, "EUR", "fashion", shop_url="https://chez-marie.fr/")
    return snapshot(recommend(replace(base, **brief), people, kb), kb)  # type: ignore[arg-type]


def plain(text: str) -> str:
    return html.unescape(text).replace("\xa0", " ").replace("\u202f", " ")


# language, audience country, greeting, 2 Reels, the plan's fee and €1,500 in its way,
# 10 % off, the country's ad label.
CASES = [
    (
        "de",
        "DE",
        "Hallo Léa,\n\nich führe Chez Marie, ein kleines Unternehmen aus dem Bereich Mode,",
        "Unser Angebot: 2 Instagram-Reels (30–60 s), 1 Freigaberunde vor der Veröffentlichung",
        ("für insgesamt 800 €.", "für insgesamt 1.500 €."),
        "(10 % Rabatt)",
        "gekennzeichnet sein: „Werbung“ oder „Anzeige“.",
    ),
    (
        "es",
        "ES",
        "¡Hola, Léa!\n\nTengo Chez Marie, un pequeño negocio del sector moda,",
        "La propuesta: 2 reels de Instagram (30–60 s), 1 ronda de aprobación antes de publicar",
        ("por 800 € en total.", "por 1.500 € en total."),
        "(10 % de descuento)",
        "que es publicidad: «Publicidad» o «#publi».",
    ),
    (
        "it",
        "IT",
        "Ciao Léa,\n\ngestisco Chez Marie, una piccola attività nel settore moda,",
        "La proposta: 2 Reel Instagram (30–60 s), 1 giro di approvazione prima della pubblicazione",
        ("per 800 € in tutto.", "per 1.500 € in tutto."),
        "(10% di sconto)",
        "che è pubblicità: «#ADV» o «#pubblicità».",
    ),
    (
        "pt",
        "PT",
        "Olá, Léa!\n\nEscrevo em nome de Chez Marie, um pequeno negócio do setor de moda,",
        "A proposta: 2 Reels do Instagram (30–60 s), 1 etapa de aprovação antes da publicação",
        ("por 800 € no total.", "por 1 500 € no total."),
        "(10% de desconto)",
        "que é publicidade: “#pub” ou “#publicidade”.",
    ),
    (
        "pt",
        "BR",
        "Olá, Léa!\n\nEscrevo em nome de Chez Marie, um pequeno negócio do setor de moda,",
        "A proposta: 2 Reels do Instagram (30–60 s), 1 etapa de aprovação antes da publicação",
        ("por € 800 no total.", "por € 1.500 no total."),
        "(10% de desconto)",
        "que é publicidade: “#publi” ou “#publicidade”.",
    ),
]


@pytest.mark.parametrize(
    ("language", "country", "hello", "offer", "fees", "off", "label"),
    CASES,
    ids=[f"{case[0]}-{case[1]}" for case in CASES],
)
def test_a_creator_is_written_to_in_their_language(
    kb: KnowledgeBase,
    language: str,
    country: str,
    hello: str,
    offer: str,
    fees: tuple[str, str],
    off: str,
    label: str,
) -> None:
    stored = _plan(kb, country, shop_name="Chez Marie")
    line = next(line for line in booked(stored) if line.name == "Léa 9")
    assert creator_language(stored, line) == language
    assert in_english_instead(stored) == 0
    # At the market's price for the people she reaches, her message offers the plan's fee
    # (over it, it opens at the market's: test_first_messages).
    line = line.model_copy(update={"notes": [n for n in line.notes if n[0] != "over_market"]})
    with i18n.speaking("en"):  # the owner's language changes nothing
        text = plain(first_message(stored, line, kb))
        dearer = plain(first_message(stored, line.model_copy(update={"cost_cents": 150_000}), kb))
    assert text.startswith(hello)
    assert offer in text and fees[0] in text and fees[1] in dearer
    assert f"{line.promo_code} {off}." in text and label in text
    assert line.link is not None and line.link in html.unescape(text)
    assert [piece for piece in ENGLISH if piece in text] == []
    subject = first_message_subject(stored, line)  # the email's, in the same language
    assert "Chez Marie" in subject and not subject.startswith("A collaboration")


def _variants(line: StoredLine) -> Iterator[StoredLine]:
    """The line in every branch of the template: plain, gifted, an ambassador's months,
    paid ads use, on the creator's own blog, and each place around a launch."""
    yield line
    yield line.model_copy(update={"seeding": True})
    yield line.model_copy(update={"months": 6})
    yield line.model_copy(update={"platform": "blog"})
    yield line.model_copy(update={"platform": "podcast", "link": None})
    for product in ("meta_partnership_ads", "spark_ads"):
        paid = {"usage": PAID, "ad_product": product, "paid_use_days": 30, "usage_cents": 9_000}
        yield line.model_copy(update=paid)
    for role in (None, "teaser", "main", "around", "follow_up"):
        for first, last in ((date(2027, 3, 12), date(2027, 3, 18)), (date(2027, 3, 28),) * 2):
            yield line.model_copy(
                update={"post_from": first, "post_until": last, "post_role": role}
            )
    yield line.model_copy(
        update={"post_from": date(2027, 3, 28), "post_until": date(2027, 4, 3), "post_role": None}
    )


@pytest.mark.parametrize("country", ["DE", "AT", "ES", "MX", "IT", "PT", "BR"])
def test_no_english_sentence_is_left_in_any_branch(kb: KnowledgeBase, country: str) -> None:
    stored = _plan(kb, country, start_date=date(2027, 3, 15))
    for line in booked(stored):
        for variant in _variants(line):
            text = plain(first_message(stored, variant, kb))
            assert [piece for piece in ENGLISH if piece in text] == [], text
            assert variant.promo_code in text
    english = plain(first_message(_plan(kb, "GB"), booked(_plan(kb, "GB"))[0], kb))
    assert [piece for piece in ENGLISH if piece in english]  # the check can fail


@pytest.mark.parametrize(
    ("country", "window", "launch", "own"),
    [
        ("DE", "zwischen dem 12. und 18. März", "vor unserem Launch am 15. März", "Ihrem Blog"),
        ("ES", "entre el 12 y el 18 de marzo", "lanzamiento del 15 de marzo", "en tu blog"),
        ("IT", "tra il 12 e il 18 marzo", "lancio del 15 marzo", "per il tuo blog"),
        ("BR", "entre 12 e 18 de março", "lançamento no dia 15 de março", "para o seu blog"),
    ],
)
def test_dates_and_the_creators_own_blog_in_their_language(
    kb: KnowledgeBase, country: str, window: str, launch: str, own: str
) -> None:
    stored = _plan(kb, country, start_date=date(2027, 3, 15))
    line = booked(stored)[0].model_copy(
        update={
            "post_from": date(2027, 3, 12),
            "post_until": date(2027, 3, 18),
            "post_role": "teaser",
            "platform": "blog",
        }
    )
    text = plain(first_message(stored, line, kb))
    assert window in text and launch in text and own in text


def test_only_the_languages_no_message_is_written_in_are_counted_as_english(
    kb: KnowledgeBase,
) -> None:
    countries = {1: "DE", 2: "BR", 3: "NL", 4: "IT", 5: "ES"}
    people = [replace(c, country=countries[c.id % 5 + 1], language=None) for c in _fashion()]
    stored = snapshot(recommend(Brief(Goal.SALES, 800_000, "EUR", "fashion"), people, kb), kb)
    lines = booked(stored)
    said = {line.country: creator_language(stored, line) for line in lines}
    expected = {"DE": "de", "BR": "pt", "NL": None, "IT": "it", "ES": "es"}
    assert said == {country: expected[country] for country in said}
    assert "NL" in said and len(said) > 2
    assert in_english_instead(stored) == sum(line.country == "NL" for line in lines) > 0
    for line in lines:
        if line.country == "NL":
            assert first_message(stored, line, kb).startswith("Hello ")


def test_the_bots_own_replies_stay_in_english_and_french() -> None:
    """`speaking` (the interface) knows only English and French; writing a message in German
    translates only the message's strings."""
    assert set(i18n.LANGUAGES) == {"en", "fr"}
    assert set(i18n.MESSAGE_LANGUAGES) == {"en", "fr", *NEW}
    for language in NEW:
        with i18n.speaking(language):
            assert i18n.current_language() == "en"
        assert i18n.language_for(None, language) == "en"
        assert i18n.language_for(language, None) == "en"
        with i18n.writing_to(language):
            assert i18n.current_language() == language
            assert i18n.gettext("Skip") == "Skip"  # a button: no German of it
            assert i18n.gettext("your blog") != "your blog"
    with i18n.writing_to("pt", "BR"):
        assert i18n.current_language() == "pt_BR" and i18n.gettext("your blog") == "o seu blog"
    with i18n.writing_to("nl"):
        assert i18n.current_language() == "en"


def test_every_niche_has_a_name_in_each_message_language(kb: KnowledgeBase) -> None:
    """As French names are given (`label_fr` in niches.toml), so are `label_de` and the others;
    inside a sentence they are in lower case but in German, whose nouns keep their capital,
    and an acronym keeps its capitals in every language."""
    for niche in kb.niches.values():
        names = dict(niche.labels)
        assert set(names) == set(NEW), niche.slug
        assert all(name.strip() for name in names.values()), niche.slug
    labels = Labels(kb)
    said = {}
    for language in NEW:
        with i18n.writing_to(language):
            said[language] = (
                in_sentence(labels.niche("cooking")),
                in_sentence(labels.niche("diy")),
            )
    assert said == {
        "de": ("Kochen", "Heimwerken (DIY)"),
        "es": ("cocina", "bricolaje (DIY)"),
        "it": ("cucina", "fai da te"),
        "pt": ("culinária", "bricolagem (DIY)"),
    }
    with i18n.writing_to("en"):
        assert in_sentence(labels.niche("3d-printing")) == "3D printing"
        assert in_sentence(labels.niche("fashion")) == "fashion"
