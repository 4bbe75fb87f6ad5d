"""End to end, in French: a user whose Telegram speaks French goes through a brief, its
recommendation, a campaign and a check-in, typing French, and reads French throughout."""

from __future__ import annotations

import re

from knowledge.writing import i18n
from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as plain
from tests.test_e2e_campaigns import wait_sent

VERDICT = re.compile(
    r"^Recommandation : (?:micro-influenceurs|macro-influenceurs|mix — \d+ % micro / \d+ % macro)"
    r"(?: \([^)]* abonnés(?: et plus)?\))?$"
)
# Words an English reply would hold, none of which a French reply may.
ENGLISH = re.compile(
    r"\b(?:the|and|your|campaign|check-ins?|forecast|people|reached|Noted|Launch day|"
    r"Tomorrow|Accept|Save|budget of)\b"
)


def fr(message: str) -> str:
    """A button's French label, from the catalogue (and never the English one)."""
    with i18n.speaking("fr"):
        label = i18n.gettext(message)
    assert label != message, message
    return label


def assert_french(text: str) -> None:
    leftover = ENGLISH.search(plain(text))
    assert leftover is None, (leftover, text)


async def test_a_whole_campaign_in_french(new_user_bot: BotHarness) -> None:
    bot = new_user_bot
    bot.emulator.user_languages[USER] = "fr"

    [card] = await bot.say("/conseil objectif=ventes budget=2 000 € niche=cuisine")
    assert VERDICT.match(plain(card.text).splitlines()[0]), card.text
    assert_french(card.text)

    [ask_name] = await bot.press(card, fr("💾 Save as campaign"))
    assert "Quel nom lui donner" in plain(ask_name.text)
    [ask_start] = await bot.say("Biscuits d’hiver")
    assert_french(ask_start.text)
    [ask_length] = await bot.say("le 31 février")  # no such day: asked again, nothing lost
    assert_french(ask_length.text)
    [ask_length] = await bot.press(ask_length, fr("Tomorrow"))
    [question] = await bot.say("12 jours")  # asked once: the time zone, guessed from `fr`
    assert "Votre fuseau horaire" in plain(question.text)
    assert_french(question.text)
    _zone_set, schedule = await bot.press(question, "Europe/Paris", count=2)
    text = plain(schedule.text)
    assert "Biscuits d’hiver" in text and "12 jours" in text
    assert "Jour du lancement" in text and "Deux semaines après" in text
    assert re.search(r"\b(?:lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2} \w+\.? 20\d\d", text), text
    assert_french(schedule.text)
    [saved] = await bot.press(schedule, fr("✅ Accept"))
    assert "4 bilans" in plain(saved.text)
    assert_french(saved.text)

    [listing] = await bot.say("/campagnes")
    assert "Biscuits d’hiver" in listing.text
    assert_french(listing.text)

    bot.clock.advance(days=1, hours=12)
    [checkin] = await wait_sent(bot, 1)
    assert "Jour du lancement — Biscuits d’hiver" in checkin
    assert_french(checkin)
    [thanks] = await bot.say("portée=12 000 interactions=900 ventes=12 dépensé=800 € ca=1 500")
    text = plain(thanks.text)
    assert "C’est noté, merci." in text and "66,67 €" in text and "ROI" in text
    assert_french(thanks.text)
    [results] = await bot.say("/resultats")
    assert "Biscuits d’hiver" in results.text and "12k" in results.text
    assert_french(results.text)
