"""End to end in French: a user whose Telegram speaks French runs a whole guided brief with
the French buttons and gets the French verdict line, views and plan file."""

from __future__ import annotations

import re

from bot.sandbox.emulator import BotMessage
from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as _plain

VERDICT = re.compile(
    r"^Recommandation[\u00a0\u202f]: (micro-influenceurs|macro-influenceurs"
    r"|mix — (\d+)[\u00a0\u202f]% micro / (\d+)[\u00a0\u202f]% macro)"
    r"( \((moins de [\d\u00a0\u202f,]+[kM]?|[\d,]+[kM]?–[\d,]+[kM]?|[\d,]+[kM]? abonnés et plus)"
    r"( abonnés)?\))?$"
)
ENGLISH = re.compile(r"\b(Recommendation|the|and|with|of|creators?|people|followers|sales)\b")
CARD_BUTTONS = [
    "💡 Pourquoi",
    "👥 Sélection",
    "📈 Prévisions",
    "📄 Plan (CSV)",
    "☑️ Check-list",
    "💾 Enregistrer comme campagne",
    "✏️ Modifier une réponse",
]


async def _view(bot: BotHarness, card: BotMessage, label: str) -> BotMessage:
    """Press a view's button under the card: the card's message is edited in place."""

    def edits() -> list[BotMessage]:
        return [e.message for e in bot.emulator.chat_events(USER) if e.kind == "edit" and e.message]

    before = len(edits())
    await bot.emulator.press(USER, card, label)
    await bot.emulator.wait_for(lambda: len(edits()) > before)
    return edits()[-1]


async def test_a_whole_guided_brief_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [welcome] = await bot.say("/start")
    assert "choisir entre micro-influenceurs et macro-influenceurs" in welcome.text
    assert welcome.button_texts() == ["Obtenir une recommandation"]
    [goal_question] = await bot.press(welcome, "Obtenir une recommandation")
    assert _plain(goal_question.text) == "Quel est l’objectif de la campagne ?"
    assert goal_question.button_texts()[:2] == ["Ventes", "Notoriété / portée"]
    [budget_question] = await bot.press(goal_question, "Ventes")
    assert "Combien pouvez-vous dépenser au total" in budget_question.text
    [niche_question] = await bot.say("1 500 €")
    assert "Cuisine" in niche_question.button_texts()
    [platform_question] = await bot.press(niche_question, "Cuisine")
    assert "Toutes plateformes" in platform_question.button_texts()
    [country_question] = await bot.press(platform_question, "Instagram")
    assert "Où sont vos clients" in country_question.text
    assert country_question.button_texts() == ["France (ici)", "N’importe où"]
    [basket_question] = await bot.press(country_question, "France (ici)")
    assert "Combien un client dépense-t-il en moyenne" in basket_question.text
    [summary] = await bot.press(basket_question, "Passer")
    summary_text = _plain(summary.text)
    assert "Objectif : Ventes" in summary_text and "Budget : 1 500 €" in summary_text
    assert "Niche : Cuisine" in summary_text and "Plateforme : Instagram" in summary_text
    assert "Pays de l’audience : France" in summary_text
    [card] = await bot.press(summary, "✅ Obtenir ma recommandation")

    lines = card.text.splitlines()
    match = VERDICT.match(lines[0])
    assert match, lines[0]
    if match.group(2):
        assert int(match.group(2)) + int(match.group(3)) == 100
    assert _plain(lines[-1]) == "Ventes · 1 500 € · Cuisine · Instagram · audience : France"
    assert re.search(r"^\d+ créateurs? · ", _plain(card.text), re.M), card.text
    assert not ENGLISH.search(card.text), card.text
    assert card.button_texts() == CARD_BUTTONS

    why = await _view(bot, card, "💡 Pourquoi")
    assert _plain(why.text).startswith("Pourquoi ce choix : ")
    assert "« Notre lecture » signale le raisonnement propre du bot." in _plain(why.text)
    assert "(notre traduction)" not in why.text  # the sources' words are one tap away
    assert why.button_texts() == ["📜 Les mots des sources", "◀ Retour"]
    quoted = await _view(bot, why, "📜 Les mots des sources")
    assert "(notre traduction)" in quoted.text and "  « " in _plain(quoted.text)
    assert "  “" not in quoted.text  # every quote in French, marked as our translation
    assert quoted.button_texts() == ["📜 Citations originales (EN)", "◀ Retour"]
    original = await _view(bot, quoted, "📜 Citations originales (EN)")
    assert "  “" in original.text and "(notre traduction)" not in original.text
    assert "Les citations ci-dessus sont dans l’anglais des sources." in original.text
    assert _plain(original.text).startswith("Pourquoi ce choix : ")
    assert original.button_texts() == ["📜 Citations en français", "◀ Retour"]
    quoted = await _view(bot, original, "📜 Citations en français")
    assert "(notre traduction)" in quoted.text
    why = await _view(bot, quoted, "◀ Retour")
    assert why.button_texts() == ["📜 Les mots des sources", "◀ Retour"]
    back = await _view(bot, why, "◀ Retour")
    assert back.button_texts() == CARD_BUTTONS
    forecast = await _view(bot, back, "📈 Prévisions")
    assert _plain(forecast.text).startswith("Prévisions : fourchettes d’un résultat faible")
    assert forecast.button_texts() == ["🧮 Le détail des calculs", "◀ Retour"]

    card = await _view(bot, forecast, "◀ Retour")
    [plan_file] = await bot.press(card, "📄 Plan (CSV)")
    assert re.match(r"📄 Le plan : \d+ créateurs?, une ligne par créateur", _plain(plan_file.text))
    data = bot.file(plan_file).decode("utf-8")
    assert data.startswith("\ufeffVague;Réservé;Nom;Compte;Lien du profil;Plateforme")


async def test_a_one_line_brief_in_french_and_the_same_in_english(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr-FR"
    [french] = await bot.say("/conseil goal=sales budget=800 niche=cooking platform=instagram")
    assert VERDICT.match(french.text.splitlines()[0]), french.text
    assert _plain(french.text.splitlines()[-1]) == "Ventes · 800 € · Cuisine · Instagram"
    bot.emulator.user_languages[USER] = "en"
    [english] = await bot.say("/advise goal=sales budget=800 niche=cooking platform=instagram")
    assert english.text.splitlines()[0].startswith("Recommendation: ")
    assert english.text.splitlines()[-1] == "Sales · €800 · Cooking · Instagram"
    assert english.button_texts()[0] == "💡 Why"


async def test_why_in_english_keeps_the_sources_quotes_and_no_quotes_button(
    bot: BotHarness,
) -> None:
    [card] = await bot.say("/advise goal=sales budget=800 niche=cooking platform=instagram")
    why = await _view(bot, card, "💡 Why")
    assert "  “" not in why.text and why.button_texts() == ["📜 The sources' words", "◀ Back"]
    why = await _view(bot, why, "📜 The sources' words")
    assert "  “" in why.text and "our translation" not in why.text
    assert why.button_texts() == ["◀ Back"]
