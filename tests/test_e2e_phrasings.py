"""End to end, any message is a conversation (issue 22), in English and French: a brief in a
plain message with its town, an answer in words, results in words, questions the bot can
and can't answer, mistyped commands run as meant, and the niche and regulated line of a
cosmetics brief."""

from __future__ import annotations

from bot.sandbox.emulator import BotMessage
from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as _plain
from tests.test_e2e_advise import assert_recommendation
from tests.test_e2e_campaigns import save_a_week_campaign, wait_sent


async def edited_view(bot: BotHarness, card: BotMessage, label: str) -> BotMessage:
    """Press a view's button under the card: the card's message is edited in place."""

    def edits() -> list[BotMessage]:
        return [e.message for e in bot.emulator.chat_events(USER) if e.kind == "edit" and e.message]

    before = len(edits())
    await bot.emulator.press(USER, card, label)
    await bot.emulator.wait_for(lambda: len(edits()) > before)
    return edits()[-1]


async def test_a_local_business_brief_in_a_plain_message_reads_its_town(bot: BotHarness) -> None:
    [platform_question] = await bot.say(
        "we run a small restaurant in Lyon, 1500 euros to spend, we want more visibility"
    )
    assert "Which platform" in platform_question.text
    [summary] = await bot.press(platform_question, "Any platform")  # the country was read
    for line in (
        "Goal: Awareness",
        "Budget: €1,500",
        "Niche: Restaurants",
        "Audience country: France",
    ):
        assert line in summary.text, summary.text
    [card] = await bot.press(summary, "✅ Get my recommendation")
    assert_recommendation(card)


async def test_a_french_brief_in_a_plain_message_reads_french_niche_words(
    bot: BotHarness,
) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [platform_question] = await bot.say(
        "Bonjour, je fais du pain au levain à Lyon, 800 € de budget, je veux plus de ventes"
    )
    assert "Toutes plateformes" in platform_question.button_texts()
    [basket_question] = await bot.press(platform_question, "Toutes plateformes")
    [summary] = await bot.press(basket_question, basket_question.button_texts()[0])
    text = _plain(summary.text)
    assert "Boulangerie" in text and "800 €" in text and "France" in text, text


async def test_a_town_typed_at_the_country_question_is_its_country(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [goal_question] = await bot.say("/conseil")
    [_budget_question] = await bot.press(goal_question, "Ventes")
    [_niche_question] = await bot.say("1 000 €")
    [platform_question] = await bot.say("cosmétiques naturels")
    [country_question] = await bot.press(platform_question, "Toutes plateformes")
    assert "Où sont vos clients" in country_question.text
    [basket_question] = await bot.say("à Genève")
    [summary] = await bot.press(basket_question, basket_question.button_texts()[0])
    text = _plain(summary.text)
    assert "Cosmétiques naturels" in text and "Suisse" in text, text
    [card] = await bot.press(summary, summary.button_texts()[0])
    checklist = await edited_view(bot, card, "☑️ Check-list")
    assert "cosmétiques sont réglementées" in checklist.text
    assert "compléments" not in checklist.text  # not the food-supplement line


async def test_results_in_words_at_a_check_in_in_english_and_french(bot: BotHarness) -> None:
    await save_a_week_campaign(bot, "/advise goal=sales budget=2000 niche=travel")
    bot.clock.advance(days=1)
    await wait_sent(bot, 1)
    [thanks] = await bot.say("ventes 12 dépensé 1160")
    assert "Noted" in thanks.text
    [campaigns] = await bot.say("/results")
    assert "12" in campaigns.text and "1,160" in campaigns.text, campaigns.text


async def test_questions_the_bot_can_and_cannot_answer(bot: BotHarness) -> None:
    [answer] = await bot.say("is tiktok better than instagram?")
    assert "Micro-influencers are on all social networks" in answer.text
    assert "Sources:" in answer.text
    [cannot] = await bot.say("can you design my logo?")
    assert "I can't answer that one" in cannot.text and "/advise" in cannot.text
    bot.emulator.user_languages[USER] = "fr"
    [answer] = await bot.say("c'est quoi un micro-influenceur ?")
    assert "abonnés" in answer.text
    [cannot] = await bot.say("c'est quoi le meilleur hashtag ?")
    assert "Je ne sais pas répondre" in cannot.text and "/conseil" in cannot.text


async def test_a_mistyped_command_is_run_as_the_one_it_plainly_means(bot: BotHarness) -> None:
    taken, goal_question = await bot.say("/advice", count=2)
    assert taken.text == "(Taken as /advise.)"
    assert "campaign for" in goal_question.text
    taken, card = await bot.say("/adivse goal=sales budget=800 niche=cooking", count=2)
    assert taken.text == "(Taken as /advise.)"
    assert_recommendation(card)
    bot.emulator.user_languages[USER] = "fr"
    taken, help_text = await bot.say("/hepl", count=2)
    assert taken.text == "(Compris comme /help.)"
    assert "/conseil" in help_text.text
    taken, goal_question = await bot.say("/consiel", count=2)
    assert taken.text == "(Compris comme /conseil.)"
    assert "objectif" in goal_question.text


async def test_step_by_step_results_in_words(bot: BotHarness) -> None:
    await save_a_week_campaign(bot, "/advise goal=sales budget=2000 niche=travel")
    bot.clock.advance(days=1)
    await wait_sent(bot, 1)
    [ask] = await bot.press(bot.sent()[-1], "📝 Enter results")
    [ask] = await bot.press(ask, "Step by step")
    for typed in ("about 9 thousand", "~300", "around 40", "12 ventes", "environ 1 500 €"):
        [ask] = await bot.say(typed)
        assert "must be a number" not in ask.text, (typed, ask.text)
    [thanks] = await bot.say("1 160 €")
    assert "Noted" in thanks.text and "Spent: €1,160" in thanks.text
