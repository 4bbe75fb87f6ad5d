"""End to end: the creators of a saved campaign moved from status to status on its card,
asked about at the check-in by which they should have published, and one who declines
replaced in one tap by the next best fit from the roster; old and forged buttons get a clear
answer and change nothing. Results per creator, typed a line each and sent as a shop's
discount codes file, compared per creator and per side."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.sandbox.emulator import BotMessage
from storage.csv_io import import_roster
from storage.models import CampaignCreator, CreatorResult
from tests.conftest import ADMIN, USER, BotHarness
from tests.test_e2e_campaign_changes import open_card, save_campaign
from tests.test_e2e_campaigns import wait_sent

ROSTER_HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


def creators(bot: BotHarness) -> list[CampaignCreator]:
    with Session(bot.engine) as session:
        query = select(CampaignCreator).order_by(col(CampaignCreator.id))
        return list(session.exec(query))


def status_of(bot: BotHarness, creator_id: int | None) -> str:
    return next(c.status for c in creators(bot) if c.id == creator_id)


async def press_data(bot: BotHarness, message: BotMessage, data: str) -> BotMessage:
    """Press a button with `data` on `message` (an old one, or forged), for a message."""
    before = len(bot.sent())
    await bot.emulator.press_data(USER, message, data)
    [answer] = await bot._expect(USER, before, 1)
    return answer


async def notice_for(bot: BotHarness, message: BotMessage, data: str, user: int = USER) -> str:
    """Press a button with `data` on `message`, for the short notice the bot answers with."""

    def answers() -> list[str]:
        events = bot.emulator.chat_events(user)
        return [e.text or "" for e in events if e.kind == "answer"]

    before = len(answers())
    await bot.emulator.press_data(user, message, data)
    await bot.emulator.wait_for(lambda: len(answers()) > before)
    return answers()[-1]


def row_of(creator: CampaignCreator, status: str = "to contact") -> str:
    marks = {"to contact": "⚪", "published": "📣", "declined": "❌"}
    return f"{marks[status]} {creator.handle} · {status}"


async def test_creators_move_along_their_statuses_and_the_late_are_asked_about(
    bot: BotHarness,
) -> None:
    await save_campaign(bot, "Winter cookies")
    card = await open_card(bot)
    first, second, *others = creators(bot)
    assert card.button_texts() == [
        *(row_of(c) for c in (first, second, *others)),
        "✉️ First messages",
        "✏️ Rename",
        "📅 Move",
        "🗑 Delete",
    ]
    assert f"People — {2 + len(others)} to contact\n" in card.text
    [menu] = await bot.press(card, row_of(first))
    assert menu.button_texts() == ["➡️ contacted", "❌ Declined", "◀ The campaign"]
    old_menu = menu
    for step in ("contacted", "agreed", "content approved", "published", "paid"):
        [menu] = await bot.press(menu, f"➡️ {step}")
        assert f"✅ {first.name}: {step}." in menu.text
    assert old_menu.buttons == []  # a used menu's buttons are taken away
    assert menu.button_texts() == ["↩️ Back to: published", "◀ The campaign"]
    [menu] = await bot.press(menu, "↩️ Back to: published")
    assert status_of(bot, first.id) == "published"

    # An old button (made when they were still to contact), a move the rules do not allow,
    # another campaign's number, another user and plain garbage: nothing changes.
    campaign = first.campaign_id
    stale = await press_data(bot, menu, f"pm:{campaign}:{first.id}:to_contact:contacted")
    assert "had already moved (another tap or another chat): nothing changed" in stale.text
    refused = await press_data(bot, menu, f"pm:{campaign}:{first.id}:published:to_contact")
    assert "That move is not one" in refused.text and "nothing changed" in refused.text
    for data in (
        f"pm:{campaign + 1}:{first.id}:published:paid",
        f"pm:{campaign}:{first.id}:published:sold",
        f"pc:{campaign}:{first.id + 1000}",
        "pm:12x",
        "prp:1",
    ):
        assert "expired" in await notice_for(bot, menu, data)
    assert "expired" in await notice_for(bot, menu, f"pc:{campaign}:{first.id}", user=ADMIN)
    assert status_of(bot, first.id) == "published"

    [menu] = await bot.press(menu, "◀ The campaign")
    [menu] = await bot.press(menu, row_of(second))
    [menu] = await bot.press(menu, "❌ Declined")
    card = await open_card(bot)
    assert row_of(first, "published") in card.button_texts()
    assert row_of(second, "declined") in card.button_texts()

    # Two weeks from tomorrow: the launch day and mid-campaign check-ins ask about nobody;
    # the last day's asks about those who have not published (not who declined).
    bot.clock.advance(days=15)
    launch, mid, last = await wait_sent(bot, 3)
    assert "Behind" not in launch and "Behind" not in mid
    assert f"Behind: {len(others)} creators have not published yet" in last
    assert all(f"{c.name} {c.handle} — to contact" in last for c in others)
    assert first.handle not in last and second.handle not in last
    checkin = bot.sent()[-1]
    assert checkin.button_texts() == ["📝 Enter results", *(row_of(c) for c in others)]
    [menu] = await bot.press(checkin, row_of(others[0]))
    assert others[0].name in menu.text and "➡️ contacted" in menu.button_texts()


async def test_a_creator_who_declines_is_replaced_by_the_next_best_fit(bot: BotHarness) -> None:
    await save_campaign(bot, "Winter cookies")
    blogger = next(c for c in creators(bot) if c.platform == "blog")
    instagrammer = next(c for c in creators(bot) if c.platform == "instagram")
    card = await open_card(bot)

    # Nobody in the sample roster could take an Instagram creator's place.
    [menu] = await bot.press(card, row_of(instagrammer))
    [menu] = await bot.press(menu, "❌ Declined")
    assert "Nobody in the roster can take their place" in menu.text
    assert menu.button_texts() == ["🔄 Asked again", "◀ The campaign"]

    # Two bloggers join the roster after the plan: the one who brings more per euro paid
    # (both are paid the fair-pay floor, €50 a post) is offered.
    rows = [
        "Zoé Petit,@zoe_bakes,blog,cooking,9900,2.5,45",
        "Yann Roux,@yann_bakes,blog,cooking,9500,2.0,50",
    ]
    with Session(bot.engine) as session:
        import_roster(
            session=session,
            text=ROSTER_HEADER + "\n".join(rows) + "\n",
            kb=bot.kb,
            currency="EUR",
            actor_id=ADMIN,
            source="test",
        )
    [menu] = await bot.press(card, row_of(blogger))
    [menu] = await bot.press(menu, "❌ Declined")
    assert "Next best fit in the roster within the €200 they leave: Zoé Petit @zoe_bakes" in (
        menu.text
    )
    assert menu.button_texts() == ["🔄 Asked again", "🔀 Replace them", "◀ The campaign"]
    replace = menu.button("🔀 Replace them")["callback_data"]
    [replaced] = await bot.press(menu, "🔀 Replace them")
    assert menu.buttons == []
    assert f"🔀 Zoé Petit takes the place of {blogger.name}, who declined." in replaced.text
    assert "code SHOP-ZOE10" in replaced.text and "to contact" in replaced.text
    *_, zoe = creators(bot)
    assert (zoe.name, zoe.status, zoe.replaces, zoe.niche) == (
        "Zoé Petit",
        "to_contact",
        blogger.id,
        "cooking",
    )
    assert zoe.cost_cents <= blogger.cost_cents and zoe.forecast["conversions"][1] > 0
    assert next(c for c in creators(bot) if c.id == blogger.id).replaced_by == zoe.id

    # The same button again books nobody twice; the declined creator moves no more.
    again = await press_data(bot, menu, replace)
    assert "had already moved" in again.text and "Replaced by Zoé Petit @zoe_bakes" in again.text
    assert again.button_texts() == ["◀ The campaign"]
    assert len(creators(bot)) == 7
    card = await open_card(bot)
    assert f"{blogger.name} {blogger.handle} · declined, replaced" in card.text
    assert row_of(zoe) in card.button_texts() and row_of(blogger, "declined") not in (
        card.button_texts()
    )


async def save_mixed_campaign(bot: BotHarness) -> None:
    """A sales plan with micro and macro creators, saved from tomorrow for two weeks."""
    [rec] = await bot.say("/advise goal=sales budget=30000 niche=cooking")
    assert "micro" in rec.text and "macro" in rec.text
    [ask] = await bot.press(rec, "💾 Save as campaign")
    [ask] = await bot.say("Big cookies")
    [ask] = await bot.press(ask, "Tomorrow")
    [schedule] = await bot.press(ask, "2 weeks")
    await bot.press(schedule, "✅ Accept")


def standing_words(actual: int, forecast: list[float]) -> str:
    low, _mid, high = forecast
    if actual > high:
        return "Ahead of forecast"
    return "Within the forecast range" if actual >= low else "Behind forecast"


async def test_results_per_creator_by_line_and_by_shop_file_compared_per_side(
    bot: BotHarness,
) -> None:
    await save_mixed_campaign(bot)
    booked = [c for c in creators(bot) if c.wave == 1]
    macro = next(c for c in booked if c.side == "macro")
    anna, lea = [c for c in booked if c.side == "micro"][:2]
    micro_count = len([c for c in creators(bot) if c.side == "micro"])
    macro_count = len(creators(bot)) - micro_count
    bot.clock.advance(days=15)
    await wait_sent(bot, 3)

    # One line per creator, by handle or promo code; one who is not the campaign's.
    [saved] = await bot.say(
        f"{macro.handle} 12 sales 3400 reach\n@nobody_here 3 sales\n{anna.promo_code} 2 sales"
    )
    assert "✅ Saved for 2 creators." in saved.text
    assert "@nobody_here is not a creator of this campaign." in saved.text
    assert "Send the corrected lines or file again: what was saved stays." in saved.text
    assert "By creator, in sales (the goal's measure)" in saved.text
    assert f"{macro.name} {macro.handle}: 12 (forecast " in saved.text
    assert standing_words(12, macro.forecast["conversions"]) in saved.text
    assert f"Macro-influencers (1 of {macro_count} reported): 12 (forecast " in saved.text
    assert f"Micro-influencers (1 of {micro_count} reported): 2 (forecast " in saved.text

    # A creator given twice: neither line is kept, and the owner is told.
    [twice] = await bot.say(f"{lea.handle} 4 sales\n@{lea.handle[1:].upper()} 5 sales")
    assert "are the same creator, given twice: give them once." in twice.text
    assert "Nothing was saved." in twice.text

    # The shop's discount codes export: the columns read are said, other codes left aside.
    assert lea.promo_code is not None
    rows = f"Discount code,Type,Orders,Total sales\n{lea.promo_code},percentage,4,180.00\n"
    rows += "WELCOME10,fixed amount,40,900.00\n"
    [read] = await bot.send_file("discounts.csv", rows.encode())
    assert (
        "Read from the file: codes from “Discount code”, sales from “Orders”, revenue from "
        "“Total sales”." in read.text
    )
    assert "✅ Saved for 1 creator." in read.text
    assert "Not this campaign's codes, left aside: WELCOME10." in read.text
    assert f"Micro-influencers (2 of {micro_count} reported): 6 (forecast " in read.text
    with Session(bot.engine) as session:
        results = {
            (r.creator_id, r.conversions, r.reach, r.revenue_cents)
            for r in session.exec(select(CreatorResult))
        }
    assert results == {
        (macro.id, 12, 3400, None),
        (anna.id, 2, None, None),
        (lea.id, 4, None, 18_000),
    }

    # The campaign's card compares them too.
    card = await open_card(bot)
    assert f"{lea.name} {lea.handle}: 4 (forecast " in card.text
    assert f"Macro-influencers (1 of {macro_count} reported): 12" in card.text
