"""End to end, the shop's name before the first messages (issue 23, part 5): a brief that
names no shop is asked its name once, in one message with a Skip button, when ✉️ First
messages is pressed; the typed name is kept in the saved brief (as `shop_name=` would be),
so the messages, the codes, the plan file and the creator briefs say it, and the question is
not asked again; Skip keeps the SHOP- codes and says how to give the name; a name too long
is asked again; /cancel and another command leave the question as they leave a form."""

from __future__ import annotations

from bot.sandbox.emulator import BotMessage
from tests.conftest import USER, BotHarness
from tests.conftest import spaces_as_read as plain
from tests.test_e2e_files import table
from tests.test_e2e_phrasings import edited_view

BRIEF = "/advise goal=sales budget=2000 niche=cooking platform=instagram"


async def _codes(bot: BotHarness, card: BotMessage) -> list[str]:
    """The booked creators' promo codes, from the plan file under the card."""
    [plan_file] = await bot.press(card, "📄 Plan (CSV)")
    header, *rows, _totals = table(bot.file(plan_file), ",")
    column = {name: i for i, name in enumerate(header)}
    return [row[column["Promo code"]] for row in rows if row[column["Booked"]] == "yes"]


async def test_the_shops_name_is_asked_once_then_used_everywhere(bot: BotHarness) -> None:
    [card] = await bot.say(BRIEF)
    codes = await _codes(bot, card)
    assert codes and all(code.startswith("SHOP-") for code in codes)
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    [question] = await bot.press(shortlist, "✉️ First messages")
    assert "Before the messages: what is your shop's name?" in question.text
    assert question.button_texts() == ["Skip"]

    [again] = await bot.say("x" * 61)  # not a name: asked again, nothing else changed
    assert "A shop's name is 1 to 60 characters, with a letter" in again.text
    [again] = await bot.say("2")  # a button's number typed, say: not a name either
    assert "A shop's name is 1 to 60 characters, with a letter" in again.text
    briefs, intro, *messages = await bot.say("Chez  Marie", 2 + len(codes))
    assert "No shop name yet" not in plain(intro.text)
    assert len(messages) == len(codes)
    for message in messages:
        text = plain(message.text)
        assert any(
            said in text
            for said in (
                "I run Chez Marie, a small cooking business, and",
                "Je tiens Chez Marie, une petite entreprise (secteur : cuisine), et",
                "ich führe Chez Marie, ein kleines Unternehmen aus dem Bereich Kochen, und",
                "Tengo Chez Marie, un pequeño negocio del sector cocina, y",
            )
        )
        assert "SHOP-" not in text and "CHEZMARIE-" in text
    document = bot.file(briefs).decode()
    assert "Creator briefs: Chez Marie" in document and "SHOP-" not in document
    # The Shortlist the button was pressed under shows the codes the messages give (a
    # planner's read: SHOP- codes on screen above CHEZMARIE- ones in the messages).
    redrawn = [
        e.message
        for e in bot.emulator.chat_events(USER)
        if e.kind == "edit" and e.message and e.message.message_id == shortlist.message_id
    ][-1]
    assert "CHEZMARIE-" in redrawn.text and "SHOP-" not in redrawn.text
    assert "✉️ First messages" in redrawn.button_texts()

    # Kept in the saved brief: the plan file under the card says it, and no question again.
    card = await edited_view(bot, shortlist, "◀ Back")
    renamed = await _codes(bot, card)
    assert [code.replace("CHEZMARIE-", "SHOP-") for code in renamed] == codes
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    briefs, intro, *messages = await bot.press(shortlist, "✉️ First messages", 2 + len(codes))
    assert briefs.document is not None and intro.text.startswith("✉️ ")
    assert all("CHEZMARIE-" in message.text for message in messages)


async def test_a_name_typed_as_shop_name_words_is_read_as_the_name(bot: BotHarness) -> None:
    [card] = await bot.say(BRIEF)
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    [_question] = await bot.press(shortlist, "✉️ First messages")
    _briefs, _intro, first, *_rest = await bot.say("shop_name=La Mie Dorée", 3)
    assert "LAMIEDOREE-" in first.text and "shop_name" not in first.text


async def test_skip_keeps_the_shop_codes_and_says_how_to_give_the_name(bot: BotHarness) -> None:
    [card] = await bot.say(BRIEF)
    codes = await _codes(bot, card)
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    [question] = await bot.press(shortlist, "✉️ First messages")
    _briefs, intro, *messages = await bot.press(question, "Skip", 2 + len(codes))
    said = plain(intro.text)
    assert (
        "No shop name yet: the messages don't name your shop and the codes start with SHOP." in said
    )
    assert "press ✉️ First messages again, or ✏️ Change an answer under the plan" in said
    assert all("SHOP-" in message.text for message in messages)
    # Pressed again, the question comes back (the name is still not known).
    [question] = await bot.press(shortlist, "✉️ First messages")
    assert "what is your shop's name?" in question.text


async def test_cancel_or_another_command_leaves_the_question(bot: BotHarness) -> None:
    [card] = await bot.say(BRIEF)
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    await bot.press(shortlist, "✉️ First messages")
    [cancelled] = await bot.say("/cancel")
    assert "cancelled" in cancelled.text  # (the forms' one word for /cancel)
    [stray] = await bot.say("Chez Marie")  # no longer an answer: nothing is named
    assert "CHEZMARIE" not in stray.text

    [question] = await bot.press(shortlist, "✉️ First messages")
    assert "what is your shop's name?" in question.text
    left, *_campaigns = await bot.say("/campaigns", 2)
    assert "I left the question about your shop's name: nothing was changed." in left.text
    codes = await _codes(bot, await edited_view(bot, shortlist, "◀ Back"))
    assert all(code.startswith("SHOP-") for code in codes)


async def test_the_question_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [card] = await bot.say("/conseil objectif=ventes budget=800 niche=cuisine plateforme=instagram")
    shortlist = await edited_view(bot, card, "👥 Sélection")
    [question] = await bot.press(shortlist, "✉️ Premiers messages")
    assert "Avant les messages : quel est le nom de votre boutique ?" in plain(question.text)
    assert question.button_texts() == ["Passer"]
    [again] = await bot.say("y" * 61)
    assert "Le nom d’une boutique fait de 1 à 60 caractères, dont une lettre" in plain(again.text)
    _briefs, intro = await bot.press(again, "Passer", 2)
    assert "Pas encore de nom de boutique : les messages ne nomment pas" in plain(intro.text)
    assert "ou sur ✏️ Modifier une réponse sous le plan et tapez nom_boutique=…" in plain(intro.text)


async def test_changing_an_answer_leaves_the_question(bot: BotHarness) -> None:
    """✏️ Change an answer opens the brief again: what is typed next answers the brief, not
    the shop's name question left open above it."""
    [card] = await bot.say(BRIEF)
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    await bot.press(shortlist, "✉️ First messages")
    card = await edited_view(bot, shortlist, "◀ Back")
    await bot.press(card, "✏️ Change an answer")
    [new_card] = await bot.say("budget=900")
    assert new_card.document is None and "€900" in new_card.text
    assert "BUDGET" not in new_card.text


async def test_skip_typed_is_skip(bot: BotHarness) -> None:
    [card] = await bot.say(BRIEF)
    shortlist = await edited_view(bot, card, "👥 Shortlist")
    await bot.press(shortlist, "✉️ First messages")
    _briefs, intro, first, *_rest = await bot.say("skip", 3)
    assert "No shop name yet" in plain(intro.text) and "SHOP-" in first.text
