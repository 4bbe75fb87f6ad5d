"""Every text in both languages: each message marked for translation (in a template or in
Python) has a French text in knowledge/writing/locale/fr/*.po, with the same placeholders; and the
language rules and locale formats."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from knowledge.writing import i18n
from knowledge.writing.render import TEMPLATE_DIR, money_rest, money_span, money_sum, span
from knowledge.writing.web_pages import WEB_DIR
from tests.conftest import spaces_as_read as _plain

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
}
# The same whitespace rules as knowledge.writing.render's environment, so msgids match.
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _msgids() -> Iterator[tuple[str, str | tuple[str, ...]]]:
    """(where, msgid) of every message marked for translation in the bot's code."""
    for folder, method_map in (
        (TEMPLATE_DIR, [("*.html", "jinja2")]),
        (WEB_DIR, [("*.html", "jinja2")]),
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


def test_french_numbers_money_and_dates() -> None:
    moment = datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with i18n.speaking("fr"):
        assert _plain(i18n.money(150_000, "EUR")) == "1 500 €"
        assert _plain(i18n.money(300_050, "EUR")) == "3 001 €"
        assert _plain(i18n.money(9_950, "EUR")) == "99,50 €"
        assert _plain(i18n.money(90_000, "CAD")) == "900 CAD"
        assert _plain(i18n.money(-90_000, "CAD")) == "-900 CAD"
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
    assert i18n.money(300_050, "USD") == "$3,001"
    assert i18n.money(300_049, "USD") == "$3,000"
    assert i18n.money(9_950, "USD") == "$99.50"
    assert i18n.money(9_999.6, "USD") == "$100"
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
def test_money_keeps_cents_only_under_100(cents: int, language: str) -> None:
    """Every digit under 100 units; from 100 units on, the whole units, rounded half up."""
    with i18n.speaking(language):
        text = i18n.money(cents, "EUR")
    digits = re.sub(r"\D", "", text)
    if abs(cents) < 10_000:
        expected = str(abs(cents) // 100) + (f"{abs(cents) % 100:02d}" if cents % 100 else "")
    else:
        expected = str((abs(cents) + 50) // 100)
    assert digits == expected
    assert text.startswith("-") == (cents < 0)


def test_plural_forms_follow_the_catalogues_rule() -> None:
    catalogue = i18n._catalogue("fr")
    assert catalogue.num_plurals == 2
    translations = i18n.translations("fr")
    # French: one for 0 and 1, the other from 2 on (CLDR's third form for millions is not used).
    assert [translations.plural(n) for n in (0, 1, 2, 1_000_000)] == [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (0, "0", "0"),
        (950.4, "950", "950"),
        (9_500, "9,500", "9 500"),
        (10_000, "10k", "10k"),
        (24_300, "24k", "24k"),
        (999_400, "999k", "999k"),
        (999_600, "1M", "1M"),
        (1_234_567, "1.2M", "1,2M"),
        (25_000_000, "25M", "25M"),
    ],
)
def test_counts_short_in_each_language(value: float, english: str, french: str) -> None:
    assert i18n.count(value) == english
    with i18n.speaking("fr"):
        assert _plain(i18n.count(value)) == french


def test_numbers_keep_only_the_decimals_asked_for() -> None:
    assert i18n.number(1234.567) == "1,235"
    assert i18n.number(1234.567, 2) == "1,234.57"
    assert i18n.number(2.5, 1) == "2.5" and i18n.number(2.0, 1) == "2"
    with i18n.speaking("fr"):
        assert _plain(i18n.number(1234.567, 2)) == "1 234,57"
    assert i18n.percent(12.346, 2) == "12.35%" and i18n.percent(12.346) == "12.3%"


def test_significant_digits() -> None:
    assert i18n.significant(0) == 0.0 and i18n.significant(-5) == 0.0
    assert i18n.significant(56_412) == 56_000
    assert i18n.significant(56_412, 3) == 56_400
    assert i18n.significant(0.01234) == 0.012


def test_dates_by_style_and_in_their_own_zone() -> None:
    paris = datetime(2026, 12, 3, 9, 5, tzinfo=ZoneInfo("Europe/Paris"))
    assert i18n.when(date(2026, 12, 3)) == "Thu 03 Dec 2026"
    assert i18n.when(date(2026, 12, 3), "date") == "03 Dec 2026"
    assert i18n.when(paris, "full_moment") == "Thu 03 Dec 2026 09:05"
    assert i18n.when(paris, "stamp") == "2026-12-03 09:05"
    with i18n.speaking("fr"):
        assert _plain(i18n.when(paris, "short_moment")) == "jeu. 3 déc. à 09:05"
        assert i18n.when(paris, "stamp") == "03/12/2026 09:05"


def test_an_unknown_language_is_spoken_as_english() -> None:
    with i18n.speaking("xx"):
        assert i18n.current_language() == "en"
        assert i18n.gettext("fewer than 1") == "fewer than 1"
    assert i18n.translations("en").gettext("fewer than 1") == "fewer than 1"


def test_use_language_sets_the_language_of_the_rest_of_the_task() -> None:
    async def speak(language: str) -> tuple[str, str]:
        i18n.use_language(language)
        return i18n.current_language(), i18n.gettext("fewer than 1")

    # Each task runs in its own copy of the context: the language never leaks out of it.
    assert asyncio.run(speak("fr")) == ("fr", "moins de 1")
    assert asyncio.run(speak("klingon")) == ("en", "fewer than 1")
    assert i18n.current_language() == "en"


def test_gettext_with_context_and_plurals() -> None:
    with i18n.speaking("fr"):
        assert i18n.pgettext("command", "advise") == "conseil"
        assert i18n.pgettext("command", "start") == "start"  # no French name
        assert i18n.ngettext("%(num)s creator", "%(num)s creators", 1) == "%(num)s créateur"
        assert i18n.ngettext("%(num)s creator", "%(num)s creators", 2) == "%(num)s créateurs"
        assert i18n.npgettext("x", "one thing", "%(num)s things", 3) == "%(num)s things"
    assert i18n.ngettext("%(num)s creator", "%(num)s creators", 1) == "%(num)s creator"
    assert i18n.ngettext("%(num)s creator", "%(num)s creators", 2) == "%(num)s creators"
    assert i18n.npgettext("x", "one thing", "%(num)s things", 1) == "one thing"
    assert i18n.pgettext("command", "advise") == "advise"


def test_localized_reads_objects_and_mappings_and_any_field() -> None:
    @dataclass
    class Tip:
        text: str
        text_fr: str = ""
        label: str = "Cooking"
        label_fr: str = "Cuisine"

    with i18n.speaking("fr"):
        assert i18n.localized(Tip("Hello", "Bonjour")) == "Bonjour"
        assert i18n.localized(Tip("Hello")) == "Hello"
        assert i18n.localized(Tip("Hello"), "label") == "Cuisine"
        assert i18n.localized({"text": "Hello"}) == "Hello"
        assert i18n.localized({"text": 3, "text_fr": 4}) == "4"
    assert i18n.localized(Tip("Hello", "Bonjour")) == "Hello"
    assert i18n.localized(Tip("Hello"), "label") == "Cooking"


def test_catalogues_merge_the_later_file_over_the_earlier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
    )
    folder = tmp_path / "fr"
    folder.mkdir()
    (folder / "a.po").write_text(
        header + 'msgid "One"\nmsgstr "Un"\n\nmsgid "Two"\nmsgstr "Deux"\n\n'
        'msgid "Empty"\nmsgstr ""\n',
        encoding="utf-8",
    )
    (folder / "b.po").write_text(header + 'msgid "Two"\nmsgstr "Deux (b)"\n', encoding="utf-8")
    (folder / "notes.txt").write_text('msgid "One"\nmsgstr "Nope"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    catalogue = i18n._catalogue("fr")
    assert {m.id: m.string for m in catalogue if m.id} == {"One": "Un", "Two": "Deux (b)"}
    assert catalogue.num_plurals == 2 and catalogue.domain == "messages"


def test_a_total_beside_its_parts_adds_up_as_shown() -> None:
    """€2,718.50 spent of €3,000 reads `€2,719`: what is left reads `€281`, not `€282`; a
    total of two parts is the sum of the parts as shown."""
    assert i18n.money(271_850, "EUR") == "€2,719" and i18n.money(28_150, "EUR") == "€282"
    assert money_rest(300_000, 271_850, "EUR") == "€281"
    assert money_sum([271_850, 67_950], "EUR") == "€3,399"  # €2,719 + €680
    assert i18n.shown_cents(9_950) == 9_950 and i18n.shown_cents(-15_050) == -15_100
