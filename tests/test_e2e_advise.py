"""End to end: the real bot polling the Bot API emulator over HTTP on 127.0.0.1."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from bot.sandbox.emulator import BotMessage
from knowledge.advice.stored import StoredRecommendation
from knowledge.writing.render import phone_lines
from knowledge.writing.views import CARD_LINES
from storage.models import SavedBrief
from storage.state import load_conversations, load_user_data
from tests.conftest import USER, BotHarness

VERDICT = re.compile(
    r"^Recommendation: (micro-influencers|macro-influencers|mix — (\d+)% micro / (\d+)% macro)"
    r"( \(((nano|mid|mega), )?(under [\d.,]+[kM]?|[\d.,]+[kM]?–[\d.,]+[kM]?|[\d.,]+[kM]?\+)"
    r" followers\))?$"
)


CARD_BUTTONS = [
    "💡 Why",
    "👥 Shortlist",
    "📈 Forecast",
    "📄 Plan (CSV)",
    "☑️ Checklist",
    "💾 Save as campaign",
    "✏️ Change an answer",
]
EMPTY_PLAN_BUTTONS = [b for b in CARD_BUTTONS if b not in ("📄 Plan (CSV)", "💾 Save as campaign")]


def assert_recommendation(message: BotMessage) -> None:
    """A recommendation's card: the verdict line first, the plan, under 1,000 characters,
    with the buttons to its views."""
    text = message.text
    first = text.splitlines()[0]
    match = VERDICT.match(first)
    assert match, first
    if match.group(2):
        assert int(match.group(2)) + int(match.group(3)) == 100
    assert re.search(r"^\d+ creators? · ", text, re.M) or "no one here can be booked yet." in text
    assert len(text) < 600, len(text)
    assert phone_lines(text) <= CARD_LINES, text
    assert message.button_texts() in (CARD_BUTTONS, EMPTY_PLAN_BUTTONS)


async def test_start_help_and_commands_menu(bot: BotHarness) -> None:
    [welcome] = await bot.say("/start")
    assert "micro-influencers" in welcome.text
    assert welcome.button_texts() == ["Get a recommendation"]
    [help_text] = await bot.say("/help")
    for command in ("/advise", "/new", "/cancel", "/help"):
        assert command in help_text.text
    assert {c["command"] for c in bot.emulator.commands["default"]} >= {"advise", "help", "cancel"}


async def test_guided_flow_with_buttons(bot: BotHarness) -> None:
    [welcome] = await bot.say("/start")
    [goal_question] = await bot.press(welcome, "Get a recommendation")
    assert "campaign for" in goal_question.text
    [budget_question] = await bot.press(goal_question, "Sales")
    assert goal_question.buttons == []  # answered questions lose their buttons
    assert "How much" in budget_question.text
    [niche_question] = await bot.say("1 500 €")
    assert "Cooking" in niche_question.button_texts()
    [platform_question] = await bot.press(niche_question, "Cooking")
    assert "Any platform" in platform_question.button_texts()
    [country_question] = await bot.press(platform_question, "Instagram")
    assert "Where are your customers?" in country_question.text  # every guided brief asks
    [basket_question] = await bot.press(country_question, "Anywhere")
    assert "spend on average" in basket_question.text  # a sales brief asks, and may skip
    [summary] = await bot.press(basket_question, "Skip")
    assert "Budget: €1,500" in summary.text and "Niche: Cooking" in summary.text
    [recommendation] = await bot.press(summary, "✅ Get my recommendation")
    assert_recommendation(recommendation)
    assert "Sales · €1,500 · Cooking · Instagram" in recommendation.text
    assert recommendation.button_texts() == CARD_BUTTONS
    with Session(bot.engine) as session:
        saved = session.exec(select(SavedBrief)).all()
    assert [(b.user_id, b.niche, b.budget_cents) for b in saved] == [(USER, "cooking", 150000)]


async def test_a_guided_sales_brief_with_basket_and_margin_says_if_it_pays(
    bot: BotHarness,
) -> None:
    [question] = await bot.say("/advise goal=sales budget=800 niche=cooking")
    assert question.text.startswith("Recommendation:")  # one line: no questions asked
    [goal_question] = await bot.say("/advise")
    await bot.press(goal_question, "Sales")
    await bot.say("800")
    [platform_question] = await bot.say("cooking")
    [country] = await bot.press(platform_question, "Any platform")
    [basket] = await bot.press(country, "Anywhere")
    [margin] = await bot.say("25")
    assert "margin" in margin.text
    [bad] = await bot.say("lots")
    assert "couldn't read “lots” as a margin" in bad.text
    [summary] = await bot.say("30%")
    assert "Average basket: €25" in summary.text and "Margin: 30%" in summary.text
    [card] = await bot.press(summary, "✅ Get my recommendation")
    # €7.50 earned a sale, and no creator costs that little a sale: a test, not a campaign.
    assert "A test, not a sales campaign: it needs " in card.text
    assert basket is not None


async def test_change_one_answer_from_the_summary(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Awareness / reach")
    [niche_question] = await bot.say("2k")
    [platform_question] = await bot.say("cuisine")
    [country_question] = await bot.press(platform_question, "Any platform")
    [summary] = await bot.press(country_question, "Anywhere")
    assert "Niche: Cooking" in summary.text
    [nudge] = await bot.say("looks good")
    assert "Please use the buttons" in nudge.text and "Budget: €2,000" in nudge.text
    [budget_question] = await bot.press(nudge, "Budget")
    assert "How much" in budget_question.text
    [summary2] = await bot.say("3,000")
    assert "Budget: €3,000" in summary2.text
    assert "Goal: Awareness / reach" in summary2.text and "Niche: Cooking" in summary2.text
    [recommendation] = await bot.press(summary2, "✅ Get my recommendation")
    assert_recommendation(recommendation)
    assert "niche" in niche_question.text


async def test_one_line_brief(bot: BotHarness) -> None:
    [recommendation] = await bot.say(
        "/advise goal=sales budget=800 niche=cooking platform=instagram"
    )
    assert_recommendation(recommendation)
    assert "Sales · €800 · Cooking · Instagram" in recommendation.text


async def test_a_sentence_with_pairs_after_it_is_read_whole(bot: BotHarness) -> None:
    """A fifteenth read: the sentence before `gifting=yes product_value=25` was refused ("I
    couldn't use …") and the brief began again at its first question."""
    [recommendation] = await bot.say(
        "/advise Sales for my bakery, €800, cooking, Instagram, France, basket €25,"
        " margin 50%, gifting=yes product_value=25"
    )
    assert "couldn't use" not in recommendation.text
    assert "Sales · €800 · Cooking · Instagram · audience in France" in recommendation.text
    with Session(bot.engine) as session:
        saved = session.exec(select(SavedBrief)).one()
    stored = StoredRecommendation.of(saved.recommendation)
    assert stored is not None and stored.brief.gifting and stored.brief.order_value_cents == 2_500
    assert stored.brief.margin_pct == 50 and stored.brief.product_value_cents == 2_500


async def test_typed_goal_sentence_and_a_budget_that_buys_nobody(bot: BotHarness) -> None:
    [question] = await bot.say("/advise budget=about 10 euros niche=cooking")
    [recommendation] = await bot.say("We want to sell more")
    assert "Sales · €10 · Cooking" in recommendation.text
    assert "can't buy anyone here" in recommendation.text
    assert "can't buy any macro" not in recommendation.text
    assert recommendation.button_texts() == EMPTY_PLAN_BUTTONS  # no campaign for an empty plan
    assert "campaign for" in question.text


async def test_key_value_words_without_the_command(bot: BotHarness) -> None:
    [recommendation] = await bot.say("goal=sales budget=800 niche=cooking")
    assert "Sales · €800 · Cooking · any platform" in recommendation.text
    [question] = await bot.say("/advise")
    await bot.press(question, "Awareness / reach")
    [niche_question] = await bot.say("2k")
    [country_question] = await bot.say("niche=travel platform=youtube")  # fills the open brief
    [summary] = await bot.press(country_question, "Anywhere")
    assert "Goal: Awareness / reach" in summary.text and "Budget: €2,000" in summary.text
    assert "Niche: Travel" in summary.text and "Platform: YouTube" in summary.text
    assert "niche" in niche_question.text


async def test_one_line_brief_asks_only_for_what_is_missing(bot: BotHarness) -> None:
    [question] = await bot.say("/new goal=launch niche=Do it yourself")
    assert "How much" in question.text
    [recommendation] = await bot.say("€2k")
    assert_recommendation(recommendation)
    assert "Product launch · €2,000 · DIY · any platform" in recommendation.text


async def test_one_line_brief_with_bad_values_gets_the_same_messages(bot: BotHarness) -> None:
    [budget_problem] = await bot.say("/advise goal=sales budget=$3,000 niche=travel")
    assert "Budgets here are in EUR, not USD" in budget_problem.text
    assert "other answers are kept" in budget_problem.text
    [recommendation] = await bot.say("3000")
    assert "Sales · €3,000 · Travel" in recommendation.text


async def test_unknown_one_line_key_is_named(bot: BotHarness) -> None:
    unknown, question = await bot.say("/advise colour=blue goal=sales", count=2)
    assert "colour" in unknown.text
    assert "How much" in question.text


async def test_every_bad_budget_form_is_re_asked_and_answers_are_kept(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Engagement / community")
    cases = {
        "0": "more than zero",
        "-50": "more than zero",
        "2000000000": "over a billion",
        "lots of money": "couldn't read a budget",
        "$3,000": "not USD",
        "CAD 900": "not CAD",
        "12 XYZ": "don't know the currency",
    }
    for text, expected in cases.items():
        [answer] = await bot.say(text)
        assert expected in answer.text, (text, answer.text)
    [niche_question] = await bot.say("900")
    assert "niche" in niche_question.text
    [platform_question] = await bot.press(niche_question, "Travel")
    [country_question] = await bot.press(platform_question, "Any platform")
    [summary] = await bot.press(country_question, "Anywhere")
    assert "Goal: Engagement / community" in summary.text and "Budget: €900" in summary.text


async def test_cancel_at_any_step_and_outside(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Sales")
    [cancelled] = await bot.say("/cancel")
    assert "cancelled" in cancelled.text
    [nothing] = await bot.say("/cancel")
    assert "nothing to cancel" in nothing.text
    [stray] = await bot.say("800")
    assert "/advise" in stray.text


async def test_stale_button_says_expired(bot: BotHarness) -> None:
    [first] = await bot.say("/advise")
    [second] = await bot.say("/advise")
    answer = await bot.press_for_answer(first, "Sales")
    assert "expired" in answer
    [budget_question] = await bot.press(second, "Sales")
    assert "How much" in budget_question.text


async def test_button_after_the_brief_ended_is_expired(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.say("/cancel")
    answer = await bot.press_for_answer(question, "Product launch")
    assert "expired" in answer


async def test_sticker_and_photo_where_text_is_expected(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Sales")
    refusal, again = await bot.send_other("sticker", count=2)
    assert "only read text" in refusal.text and "How much" in again.text
    refusal, again = await bot.send_other("photo", count=2)
    assert "only read text" in refusal.text and "How much" in again.text
    [niche_question] = await bot.say("700")
    assert "niche" in niche_question.text


async def test_five_thousand_character_message(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Sales")
    [answer] = await bot.say("9" * 10 + " " + "x" * 4990)
    assert "couldn't read a budget" in answer.text
    assert len(answer.text) < 400
    [answer] = await bot.say("y" * 5000)
    assert "couldn't read a budget" in answer.text


async def test_names_with_markup_characters_do_not_break_messages(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Sales")
    [answer] = await bot.say("<b>&*_ 12 € 5")
    assert "<b>&amp;*_" not in answer.text and "<b>&*_" in answer.text


async def test_unknown_niche_offers_suggestions(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Sales")
    await bot.say("500")
    [answer] = await bot.say("cookng")  # a close spelling is understood
    assert "platform" in answer.text.lower()
    [question] = await bot.say("/advise")
    await bot.press(question, "Sales")
    await bot.say("500")
    [answer] = await bot.say("underwater basket weaving")
    assert "don't know the niche" in answer.text
    assert answer.buttons


async def test_restart_in_the_middle_of_a_brief(bot: BotHarness) -> None:
    [question] = await bot.say("/advise")
    await bot.press(question, "Awareness / reach")
    await bot.say("5k")
    # Updates are handled in order: once the sticker is answered, the brief's update is done.
    await bot.send_other("sticker", count=2)
    with Session(bot.engine) as session:
        states = load_conversations(session=session, name="advise")
    assert states == {(USER, USER): "niche"}  # written at once, not on a timer
    await bot.stop_bot()
    await bot.start_bot()
    [platform_question] = await bot.say("travel")
    [country_question] = await bot.press(platform_question, "Any platform")
    [summary] = await bot.press(country_question, "Anywhere")
    assert "Goal: Awareness / reach" in summary.text and "Budget: €5,000" in summary.text
    [recommendation] = await bot.press(summary, "✅ Get my recommendation")
    assert_recommendation(recommendation)


def stored_state(bot: BotHarness) -> tuple[dict, dict]:
    with Session(bot.engine) as session:
        answers = {user: data for user, (data, _version) in load_user_data(session=session).items()}
        return load_conversations(session=session, name="advise"), answers


async def test_brief_state_is_stored_only_while_a_brief_is_open(bot: BotHarness) -> None:
    """Persistence skips writes that change nothing, but never one that does."""
    [answer] = await bot.say("/advise goal=sales budget=2k niche=cooking")
    assert_recommendation(answer)
    assert stored_state(bot) == ({}, {})  # a one-line brief leaves nothing open
    await bot.say("/advise")
    await bot.send_other("sticker", count=2)
    states, user_data = stored_state(bot)
    assert states == {(USER, USER): "goal"} and "brief" in user_data[USER]
    await bot.stop_bot()
    await bot.start_bot()
    [cancelled] = await bot.say("/cancel")
    assert "cancel" in cancelled.text.lower()
    await bot.say("/help")
    states, user_data = stored_state(bot)
    assert states == {} and "brief" not in user_data[USER]


async def test_unknown_command_and_group_chat(bot: BotHarness) -> None:
    [answer] = await bot.say("/frobnicate")
    assert "/help" in answer.text
