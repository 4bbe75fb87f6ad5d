"""Every text in both languages: each message marked for translation (in a template or in
Python) has a French text in knowledge/locale/fr/*.po, with the same placeholders; and the
language rules and locale formats."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from knowledge import i18n
from knowledge.render import TEMPLATE_DIR, money_span, span

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}
# The same whitespace rules as knowledge.render's environment, so msgids match.
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _msgids() -> Iterator[tuple[str, str | tuple[str, ...]]]:
    """(where, msgid) of every message marked for translation in the bot's code."""
    for folder, method_map in (
        (TEMPLATE_DIR, [("*.html", "jinja2")]),
        (ROOT / "knowledge", [("**.py", "python")]),
        (ROOT / "handlers", [("**.py", "python")]),
        (ROOT / "bot", [("**.py", "python")]),
        (ROOT / "storage", [("**.py", "python")]),
    ):
        for filename, _line, message, _comments, _context in extract_from_dir(
            folder,
            method_map=method_map,
            options_map={"*.html": JINJA_OPTIONS},
            keywords=KEYWORDS,
        ):
            yield f"{folder.name}/{filename}", message


def _french() -> dict[str | tuple[str, ...], object]:
    catalogue = i18n._catalogue("fr")
    return {message.id: message.string for message in catalogue if message.id}


MSGIDS = sorted(set(_msgids()), key=str)
FRENCH = _french()


def test_messages_are_found_in_templates_and_code() -> None:
    places = {where.split("/")[0] for where, _ in MSGIDS}
    assert {"templates", "knowledge"} <= places
    assert len(MSGIDS) >= 10


@pytest.mark.parametrize(("where", "msgid"), MSGIDS, ids=[str(m)[:60] for _, m in MSGIDS])
def test_every_message_has_a_french_text_with_its_placeholders(
    where: str, msgid: str | tuple[str, ...]
) -> None:
    key = msgid[0] if isinstance(msgid, tuple) else msgid
    french = FRENCH.get(key) if key in FRENCH else FRENCH.get(msgid)
    assert french, f"{where}: no French text for {msgid!r}"
    english_forms = msgid if isinstance(msgid, tuple) else (msgid,)
    french_forms = french if isinstance(french, tuple | list) else (french,)
    wanted = {name for form in english_forms for name in PLACEHOLDER.findall(form)}
    for form in french_forms:
        assert isinstance(form, str) and form.strip(), f"{where}: an empty French form"
        assert set(PLACEHOLDER.findall(form)) == wanted, (
            f"{where}: {form!r} does not keep the placeholders of {msgid!r}"
        )


def test_every_catalogue_reads_and_says_its_plural_rule() -> None:
    files = sorted((i18n.LOCALE_DIR / "fr").glob("*.po"))
    assert files
    for path in files:
        with path.open("rb") as file:
            catalogue = read_po(file, locale="fr")
        assert catalogue.num_plurals == 2, path.name
        assert "(n > 1)" in catalogue.plural_expr, path.name


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [
        (None, "fr", "fr"),
        (None, "fr-CA", "fr"),
        (None, "FR_be", "fr"),
        (None, "en-GB", "en"),
        (None, "de", "en"),
        (None, None, "en"),
        ("en", "fr", "en"),
        ("fr", "de", "fr"),
        ("xx", "fr", "fr"),
    ],
)
def test_a_users_language(chosen: str | None, telegram: str | None, expected: str) -> None:
    assert i18n.language_for(chosen, telegram) == expected


def _plain(text: str) -> str:
    """Spaces as a reader sees them (Babel writes no-break and narrow no-break spaces)."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_french_numbers_money_and_dates() -> None:
    moment = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with i18n.speaking("fr"):
        assert _plain(i18n.money(150_000, "EUR")) == "1 500 €"
        assert _plain(i18n.money(300_050, "EUR")) == "3 000,50 €"
        assert _plain(i18n.percent(2.5)) == "2,5 %"
        assert _plain(i18n.when(moment, "moment")) == "lun. 30 nov. 2026 à 10:00"
        assert _plain(i18n.when(date(2026, 12, 3), "day")) == "jeu. 3 déc. 2026"
        assert _plain(span((1_200_000, 2_500_000))) == "1,2–2,5M"
        assert _plain(span((900, 2_100))) == "900–2 100"
        assert _plain(money_span(8_100, None, "EUR")) == "81 € ou plus"


def test_english_numbers_money_and_dates() -> None:
    moment = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert i18n.current_language() == "en"
    assert i18n.money(150_000, "EUR") == "€1,500"
    assert i18n.money(300_050, "USD") == "$3,000.50"
    assert i18n.money(90_000, "CAD") == "CAD 900"
    assert i18n.money(-500, "EUR") == "-€5"
    assert i18n.percent(2.5) == "2.5%"
    assert i18n.when(moment, "moment") == "Mon 30 Nov 2026 at 10:00"
    assert i18n.when(moment, "short_moment") == "Mon 30 Nov 10:00"
    assert span((8_200, 12_100)) == "8.2–12k"
    assert span((0.2, 0.4)) == "fewer than 1"
    assert money_span(8_100, 36_800, "EUR") == "€81–€370"


def test_speaking_ends_with_its_block() -> None:
    with i18n.speaking("fr"):
        assert i18n.current_language() == "fr"
        with i18n.speaking("en"):
            assert i18n.current_language() == "en"
        assert i18n.current_language() == "fr"
    assert i18n.current_language() == "en"


def test_localized_takes_the_translation_when_there_is_one() -> None:
    record = {"text": "Hello", "text_fr": "Bonjour", "label": "Cooking", "label_fr": ""}
    assert i18n.localized(record) == "Hello"
    with i18n.speaking("fr"):
        assert i18n.localized(record) == "Bonjour"
        assert i18n.localized(record, "label") == "Cooking"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["en", "fr"]))
def test_money_keeps_every_digit(cents: int, language: str) -> None:
    with i18n.speaking(language):
        text = i18n.money(cents, "EUR")
    digits = re.sub(r"\D", "", text)
    expected = str(abs(cents) // 100) + (f"{abs(cents) % 100:02d}" if cents % 100 else "")
    assert digits == expected
    assert text.startswith("-") == (cents < 0)


def test_plural_forms_follow_the_catalogues_rule() -> None:
    catalogue = i18n._catalogue("fr")
    assert catalogue.num_plurals == 2
    translations = i18n.translations("fr")
    # French: one for 0 and 1, the other from 2 on (CLDR's third form for millions is not used).
    assert [translations.plural(n) for n in (0, 1, 2, 1_000_000)] == [0, 0, 1, 1]
