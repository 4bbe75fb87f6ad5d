"""The edge cleans what a database can't store (issue 24): NUL and other control characters
typed in a chat, and a Telegram language code longer than its column, never reach the
database, on SQLite as on PostgreSQL (CI runs these on both)."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.cleaning import LANGUAGE_CODE, clean_language_code, clean_text, cleaned
from storage.models import Campaign, Reminder, User
from tests.conftest import ADMIN, USER, BotHarness
from tests.test_faults_input import no_error


def test_control_characters_go_and_line_breaks_stay() -> None:
    assert clean_text("call\x00 Léa\x07\x1b[31m\x7f") == "call Léa[31m"
    assert clean_text("line one\nline two\ttab\r\n") == "line one\nline two\ttab\r\n"


def test_a_language_code_fits_its_column() -> None:
    assert clean_language_code("fr") == "fr"
    assert clean_language_code("x" * LANGUAGE_CODE) == "x" * LANGUAGE_CODE
    assert clean_language_code("fr-" + "x" * 30) == "fr"
    assert clean_language_code("x" * 30) is None
    assert clean_language_code("-" + "x" * 30) is None


def test_every_string_of_an_update_is_cleaned_and_nothing_else_changes() -> None:
    data = {
        "update_id": 7,
        "message": {
            "text": "a\x00b",
            "entities": [{"type": "bold", "offset": 0, "length": 1}],
            "from": {"id": 5, "is_bot": False, "language_code": "de-" + "y" * 40},
        },
    }
    assert cleaned(data) == {
        "update_id": 7,
        "message": {
            "text": "ab",
            "entities": [{"type": "bold", "offset": 0, "length": 1}],
            "from": {"id": 5, "is_bot": False, "language_code": "de"},
        },
    }


async def test_nul_typed_in_a_reminder_and_a_campaign_name_is_dropped(bot: BotHarness) -> None:
    [answer] = await bot.say("/remind in 2 hours call\x00 Léa\x01")
    no_error([answer])
    [rec] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    await bot.press(rec, "💾 Save as campaign")
    [ask_start] = await bot.say("Spring\x00 bakes")
    await bot.press(ask_start, "Tomorrow")
    [schedule] = await bot.say("12 days")
    [saved] = await bot.press(schedule, "✅ Accept")
    no_error([saved])
    with Session(bot.engine) as session:
        texts = [r.text for r in session.exec(select(Reminder)).all()]
        names = [c.name for c in session.exec(select(Campaign)).all()]
    assert "call Léa" in texts and names == ["Spring bakes"]


async def test_admin_lookups_typed_with_nul_answer_plainly(bot: BotHarness) -> None:
    for command in ("/roster lea\x00", "/history @lea\x00cuisine", "/edit @x\x00 price=5"):
        [answer] = await bot.say(command, user=ADMIN)
        no_error([answer])


async def test_an_over_long_language_code_is_read_as_its_language(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr-" + "x" * 40
    [welcome] = await bot.say("/start")
    assert "Bonjour" in welcome.text or "objectif" in welcome.text, welcome.text
    [again] = await bot.say("/help")  # the next update of that user works too
    no_error([again])
    with Session(bot.engine) as session:
        user = session.get(User, USER)
    assert user is None or user.language is None or len(user.language) <= LANGUAGE_CODE
