"""End to end: the sample roster steps aside (issue 22): `/sample`, `/sample remove` (after a
Yes that works once) and `/sample restore`, the question after an import of real people,
and the card's line when a plan mixes fictional and real people; in English and in French."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from bot.sandbox.emulator import BotMessage
from knowledge.advice.stored import StoredRecommendation
from storage.models import AuditEntry, SavedBrief
from storage.sample import sample_counts
from tests.conftest import ADMIN, USER, BotHarness
from tests.conftest import spaces_as_read as plain

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"
REAL = (
    HEADER
    + "Real Knit,@realknit,instagram,cooking,20000,4.5,150\n"
    + "Real Two,@realtwo,instagram,cooking,30000,4.0,200\n"
)
MIXED = re.compile(r"🎭 (\d+) of these (\d+) (?:is|are) fictional \(sample roster\), the others")
MIXED_FR = re.compile(r"🎭 (\d+) sur (\d+) (?:est|sont) fictives? \(répertoire d’exemple\)")


def counts(bot: BotHarness) -> tuple[int, int]:
    with Session(bot.engine) as session:
        return sample_counts(session=session)


def audit_actions(bot: BotHarness) -> list[str]:
    with Session(bot.engine) as session:
        return list(session.exec(select(AuditEntry.action).order_by(col(AuditEntry.id))))


def last_recommendation(bot: BotHarness) -> StoredRecommendation:
    with Session(bot.engine) as session:
        saved = session.exec(select(SavedBrief).order_by(col(SavedBrief.id).desc())).first()
    assert saved is not None
    stored = StoredRecommendation.of(saved.recommendation)
    assert stored is not None
    return stored


async def test_sample_remove_and_restore(bot: BotHarness) -> None:
    [status] = await bot.say("/sample", user=ADMIN)
    assert "600 fictional people are in the roster" in status.text
    assert "/sample remove" in status.text and "/sample restore" in status.text

    [ask] = await bot.say("/sample remove", user=ADMIN)
    assert "Remove the 600 sample people from every plan and search?" in ask.text
    assert ask.button_texts() == ["✅ Yes, remove them", "Keep them"]
    [done] = await bot.press(ask, "✅ Yes, remove them", user=ADMIN)
    assert "Removed 600 sample people" in done.text
    assert counts(bot) == (0, 600)
    assert "expired" in await bot.press_for_answer(ask, "✅ Yes, remove them", user=ADMIN)
    assert audit_actions(bot)[-1:] == ["sample_remove"]

    [card] = await bot.say("/advise goal=sales budget=800 niche=cooking")
    assert "fictional" not in card.text  # no one to recommend, and no sample person
    [search] = await bot.say("/roster niche:cooking", user=ADMIN)
    assert "_cooking_" not in search.text  # the sample handles (@lea_cooking_000…)
    [status] = await bot.say("/sample", user=ADMIN)
    assert "no fictional person is in the roster" in status.text
    assert "600 are removed" in status.text
    [none] = await bot.say("/sample remove", user=ADMIN)
    assert "nothing to remove" in none.text

    [back] = await bot.say("/sample restore", user=ADMIN)
    assert "600 sample people are back" in back.text
    assert counts(bot) == (600, 0)
    [card] = await bot.say("/advise goal=sales budget=800 niche=cooking")
    assert "🎭 Fictional people (sample roster)." in card.text
    [log] = await bot.say("/history", user=ADMIN)
    assert f"sample_restore by {ADMIN}: 600 sample people" in log.text
    assert f"sample_remove by {ADMIN}: 600 sample people" in log.text
    [again] = await bot.say("/sample restore", user=ADMIN)
    assert "nothing to restore" in again.text


async def test_sample_is_for_admins_only_and_keep_changes_nothing(bot: BotHarness) -> None:
    [refused] = await bot.say("/sample remove", user=USER)
    assert "for admins only" in refused.text
    assert counts(bot) == (600, 0)
    [ask] = await bot.say("/sample remove", user=ADMIN)
    [kept] = await bot.press(ask, "Keep them", user=ADMIN)
    assert "the sample people stay in the roster" in kept.text
    assert "expired" in await bot.press_for_answer(ask, "✅ Yes, remove them", user=ADMIN)
    assert counts(bot) == (600, 0)


async def test_sample_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[ADMIN] = "fr"
    [status] = await bot.say("/sample", user=ADMIN)
    assert "600 personnes fictives sont dans le répertoire" in plain(status.text)
    [ask] = await bot.say("/sample retirer", user=ADMIN)
    assert "Retirer les 600 personnes d’exemple" in plain(ask.text)
    assert ask.button_texts() == ["✅ Oui, les retirer", "Les garder"]
    [kept] = await bot.press(ask, "Les garder", user=ADMIN)
    assert "Gardées" in kept.text and counts(bot) == (600, 0)
    [ask] = await bot.say("/sample remove", user=ADMIN)
    [done] = await bot.press(ask, "✅ Oui, les retirer", user=ADMIN)
    assert "600 personnes d’exemple retirées" in plain(done.text) and counts(bot) == (0, 600)
    [back] = await bot.say("/sample restaurer", user=ADMIN)
    assert "600 personnes d’exemple sont de retour" in plain(back.text)
    assert counts(bot) == (600, 0)


async def _import_real(bot: BotHarness, confirm: str) -> tuple[str, BotMessage]:
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("real.csv", REAL.encode(), user=ADMIN)
    done, ask = await bot.press(preview, confirm, count=2, user=ADMIN)
    return done.text, ask


async def test_an_import_of_real_people_asks_to_remove_the_sample_ones(bot: BotHarness) -> None:
    done, ask = await _import_real(bot, "✅ Confirm import")
    assert "2 added" in done
    assert "Remove the 600 sample people?" in ask.text
    assert ask.button_texts() == ["✅ Yes, remove them", "Keep them"]
    [removed] = await bot.press(ask, "✅ Yes, remove them", user=ADMIN)
    assert "Removed 600 sample people" in removed.text
    assert counts(bot) == (0, 600)
    [card] = await bot.say("/advise goal=sales budget=1000 niche=cooking platform=instagram")
    assert "Real Knit" in card.text and "fictional" not in card.text

    # Once they are out, a further import asks nothing.
    await bot.say("/import", user=ADMIN)
    more = HEADER + "Real Three,@realthree,instagram,cooking,25000,4.2,180\n"
    [preview] = await bot.send_file("more.csv", more.encode(), user=ADMIN)
    [done_again] = await bot.press(preview, "✅ Confirm import", user=ADMIN)
    assert "1 added" in done_again.text
    [status] = await bot.say("/sample", user=ADMIN)  # the next reply is this one
    assert "no fictional person" in status.text


async def test_an_import_asks_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[ADMIN] = "fr"
    _done, ask = await _import_real(bot, "✅ Confirmer l’import")
    assert "Retirer les 600 personnes d’exemple ?" in plain(ask.text)
    assert ask.button_texts() == ["✅ Oui, les retirer", "Les garder"]
    [kept] = await bot.press(ask, "Les garder", user=ADMIN)
    assert "Gardées" in kept.text and counts(bot) == (600, 0)


async def test_a_plan_mixing_sample_and_real_people_says_so_first(bot: BotHarness) -> None:
    _done, ask = await _import_real(bot, "✅ Confirm import")
    await bot.press(ask, "Keep them", user=ADMIN)
    [card] = await bot.say("/advise goal=sales budget=1000 niche=cooking platform=instagram")
    found = MIXED.search(card.text)
    assert found is not None, card.text
    fictional, people = int(found[1]), int(found[2])
    assert 0 < fictional < people
    assert f"\n{people} creators · " in card.text
    assert "🎭" in "\n".join(card.text.splitlines()[:4])  # after the verdict, plan and key fact
    notice = last_recommendation(bot).notice("sample_people")
    assert notice is not None
    assert notice.params["mixed"] is True and notice.params["people"] == people

    [card] = await bot.say("/advise goal=sales budget=2000 niche=travel platform=instagram")
    assert MIXED.search(card.text) is None  # only sample people there: all fictional
    assert "🎭 Fictional people (sample roster)." in card.text


async def test_the_mixed_line_in_french(bot: BotHarness) -> None:
    _done, ask = await _import_real(bot, "✅ Confirm import")
    await bot.press(ask, "Keep them", user=ADMIN)
    bot.emulator.user_languages[USER] = "fr"
    brief = "/conseil objectif=ventes budget=1000 niche=cuisine plateforme=instagram"
    [card] = await bot.say(brief)
    found = MIXED_FR.search(plain(card.text))
    assert found is not None, card.text
    assert 0 < int(found[1]) < int(found[2])
    assert "les autres réelles" in plain(card.text)
