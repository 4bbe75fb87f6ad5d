"""A new command always wins over an open form, and the bot says so; private chats only."""

from __future__ import annotations

from tests.conftest import ADMIN, USER, BotHarness

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


async def test_a_command_sets_an_open_brief_aside_and_advise_picks_it_up(
    bot: BotHarness,
) -> None:
    [question] = await bot.say("/advise", user=ADMIN)
    await bot.press(question, "Sales", user=ADMIN)
    left, ask_name = await bot.say("/add", count=2, user=ADMIN)
    assert "set your brief aside" in left.text
    assert "What is their name" in ask_name.text
    [ask_platform] = await bot.say("Tom Knit", user=ADMIN)  # answers /add, not the brief
    assert "Which platform" in ask_platform.text
    left, budget_question = await bot.say("/advise", count=2, user=ADMIN)
    assert "I left /add" in left.text
    assert "How much" in budget_question.text  # the goal answered before is kept


async def test_import_after_an_open_brief_reads_the_file(bot: BotHarness) -> None:
    await bot.say("/advise", user=ADMIN)
    left, ask = await bot.say("/import", count=2, user=ADMIN)
    assert "set your brief aside" in left.text and "Send me the roster" in ask.text
    row = "Zed,@zedtest,blog,cooking,50k,9,100\n"
    [preview] = await bot.send_file("mine.csv", (HEADER + row).encode(), user=ADMIN)
    assert "Preview of mine.csv" in preview.text


async def test_a_command_outside_any_form_says_nothing_about_forms(bot: BotHarness) -> None:
    [answer] = await bot.say("/help")
    assert "What I can do" in answer.text


async def test_cancel_is_left_to_the_open_form(bot: BotHarness) -> None:
    await bot.say("/advise")
    [cancelled] = await bot.say("/cancel")
    assert "set your brief aside" not in cancelled.text


async def test_an_unknown_platform_is_asked_again_not_dropped(bot: BotHarness) -> None:
    [question] = await bot.say("/advise goal=sales budget=800 niche=cooking platform=snapchat")
    assert "don't know the platform “snapchat”" in question.text
    [card] = await bot.press(question, "Any platform")
    assert card.text.startswith("Recommendation:")


async def test_briefs_in_a_group_are_ignored(bot: BotHarness) -> None:
    await bot.emulator.send_text(USER, "/advise goal=sales budget=800 niche=cooking", group_id=-100)
    [answer] = await bot.say("/help")  # the next private message is the first answer
    assert "What I can do" in answer.text
    assert not bot.emulator.chat_events(-100)


async def test_key_words_typed_into_an_open_add_go_to_it_not_to_a_new_brief(
    bot: BotHarness,
) -> None:
    """`country=` and `language=` are brief keys too: typed while /add waits for its
    optional details, they are the added person's, and no brief starts."""
    await bot.say("/add", user=ADMIN)
    await bot.say("Tom Knit", user=ADMIN)
    [ask] = await bot.say("TikTok", user=ADMIN)
    for answer in ("@tomknits", "cooking", "12k", "5.5"):
        [ask] = await bot.say(answer, user=ADMIN)
    [draft] = await bot.say("90", user=ADMIN)
    assert "Ready to add" in draft.text
    [draft] = await bot.say("country=FR language=fr", user=ADMIN)
    assert "Ready to add" in draft.text and "country: FR" in draft.text
    assert "campaign for" not in draft.text  # not the brief's first question
    assert ask is not None


async def test_french_names_of_help_and_cancel(bot: BotHarness) -> None:
    [answer] = await bot.say("/aide")
    assert "What I can do" in answer.text
    await bot.say("/advise")
    [cancelled] = await bot.say("/annuler")
    assert "set your brief aside" not in cancelled.text
    assert "Brief cancelled" in cancelled.text
