"""Every inline keyboard, each built through `markup` from (label, callback data) pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.callbacks import (
    ACCEPT,
    ANY,
    GO,
    NO,
    SKIP,
    START,
    USE,
    BriefButton,
    CampaignAction,
    Prefix,
    View,
    data,
)
from knowledge.base import Goal
from knowledge.campaigns.pipeline import ASKED_AGAIN, ORDER, CreatorStatus, moves, status_of
from knowledge.campaigns.pipeline_words import status_words
from knowledge.writing import i18n
from knowledge.writing.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, current_language, ngettext
from knowledge.writing.render import Labels
from storage.models import CampaignCreator

Button = tuple[str, str]  # (label, callback data)
MAX_CALLBACK_BYTES = 64
GOAL_LABELS = {
    Goal.SALES: N_("Sales"),
    Goal.AWARENESS: N_("Awareness / reach"),
    Goal.COMMUNITY: N_("Engagement / community"),
    Goal.LAUNCH: N_("Product launch"),
    Goal.AMBASSADOR: N_("Long-term ambassador"),
}
ANSWER_LABELS = (
    ("goal", N_("Goal")),
    ("budget", N_("Budget")),
    ("niche", N_("Niche")),
    ("platform", N_("Platform")),
    ("country", N_("Country")),
    ("language", N_("Language")),
    ("order_value", N_("Basket")),
    ("margin", N_("Margin")),
    ("gifting", N_("Seeding")),
    ("discount", N_("Discount")),
    ("shop", N_("Shop address")),
    ("shop_name", N_("Shop name")),
    ("date", N_("Date")),
    ("paid_use", N_("Paid ads use")),
)
# (label, callback data): the data stays English whatever the language.
CAMPAIGN_STARTS = (
    (N_("Today"), "today"),
    (N_("Tomorrow"), "tomorrow"),
    (N_("Next Monday"), "next monday"),
)
CAMPAIGN_LENGTHS = ((N_("1 week"), 7), (N_("2 weeks"), 14), (N_("4 weeks"), 28))
COMMON_ZONES = (
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Toronto",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "UTC",
)


def markup(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """The keyboard of these rows of buttons; empty rows are left out, and a button whose
    data would not fit Telegram's 64 bytes is never built."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=value) for label, value in row]
            for row in rows
            if row
        ]
    )


def grid(buttons: Sequence[Button], width: int) -> list[list[Button]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def numbered(prefix: Prefix, ids: Sequence[int], mark: str = "", first: int = 1) -> list[Button]:
    """One button per id, labelled with its number in a list shown above it."""
    return [(f"{mark}{n}", data(prefix, i)) for n, i in enumerate(ids, start=first)]


def confirm(yes: str, yes_data: str, no: str, no_data: str) -> InlineKeyboardMarkup:
    """One row: a confirming button and a backing-out one."""
    return markup([[(yes, yes_data), (no, no_data)]])


# ---- the brief ----


def start_brief() -> InlineKeyboardMarkup:
    return markup([[(_("Get a recommendation"), data(Prefix.ADVISE, START))]])


def recommendation_card(
    saved_id: int | None, has_plan: bool, widen: bool = False
) -> InlineKeyboardMarkup:
    """Under a card: its views and actions (Start over if unsaved); `widen`: any platform."""
    if saved_id is None:
        return markup([[(_("🆕 Start over"), data(Prefix.ADVISE, START))]])
    to = partial(data, Prefix.VIEW, saved_id)
    rows: list[list[Button]] = [
        [(_("💡 Why"), to(View.WHY)), (_("👥 Shortlist"), to(View.SHORTLIST))],
        [(_("☑️ Checklist"), to(View.CHECKLIST))],
        [(_("✏️ Change an answer"), data(Prefix.CHANGE_ANSWER, saved_id))],
    ]
    rows[0].append((_("📈 Forecast"), to(View.FORECAST)))
    if has_plan:
        rows[1].insert(0, (_("📄 Plan (CSV)"), to(View.PLAN_FILE)))
        rows[2].insert(0, (_("💾 Save as campaign"), data(Prefix.SAVE_CAMPAIGN, saved_id)))
    if widen:
        rows.append([(_("🌐 Plan it on any platform"), to(View.ANY_PLATFORM))])
    return markup(rows)


def recommendation_view(
    saved_id: int, view: View, page: int, pages: int, has_plan: bool
) -> InlineKeyboardMarkup:
    """Under a view in place of the card: pages, How (under Forecast), quotes (Why), Back."""
    if view is View.CARD:
        return recommendation_card(saved_id, has_plan)
    to = partial(data, Prefix.VIEW, saved_id)
    rows: list[list[Button]] = []
    if view in (View.SHORTLIST, View.HOW) and pages > 1:
        turn = [("◀", to(view, page - 1))] if page > 0 else []
        rows.append(turn + ([("▶", to(view, page + 1))] if page + 1 < pages else []))
    if view is View.SHORTLIST and has_plan:
        rows.append([(_("✉️ First messages"), to(View.FIRST_MESSAGES, page))])
    if view is View.FORECAST:
        rows.append([(_("🧮 How these numbers are made"), to(View.HOW))])
    if view is View.WHY:
        rows.append([(_("📜 The sources' words"), to(View.WHY_QUOTES))])
    if view is View.WHY_QUOTES and current_language() != DEFAULT_LANGUAGE:  # their English
        rows.append([(_("📜 Original quotes (EN)"), to(View.WHY_ORIGINAL))])
    elif view is View.WHY_ORIGINAL:
        rows.append([(_("📜 Quotes translated"), to(View.WHY_QUOTES))])
    back = {View.HOW: View.FORECAST, View.WHY_QUOTES: View.WHY, View.WHY_ORIGINAL: View.WHY}
    return markup([*rows, [(_("◀ Back"), to(back.get(view, View.CARD)))]])


def goals(brief_id: str) -> InlineKeyboardMarkup:
    return markup(
        [(_(label), data(Prefix.BRIEF, brief_id, BriefButton.GOAL, goal))]
        for goal, label in GOAL_LABELS.items()
    )


def choices(
    brief_id: str,
    field: BriefButton,
    values: Iterable[str],
    labels: Labels,
    extra: str | None = None,
) -> InlineKeyboardMarkup:
    """One button per niche or platform id (those whose data fit Telegram's 64 bytes)."""
    name = labels.niche if field is BriefButton.NICHE else labels.platform
    buttons = [
        (name(value), value_data)
        for value in values
        if len((value_data := data(Prefix.BRIEF, brief_id, field, value)).encode())
        <= MAX_CALLBACK_BYTES
    ]
    if extra is not None:
        buttons.append((extra, data(Prefix.BRIEF, brief_id, field, ANY)))
    return markup(grid(buttons, 3 if field is BriefButton.NICHE else 2))


def summary(brief_id: str) -> InlineKeyboardMarkup:
    """Confirm, or one button per answer to change (the optional ones too, so none has to be
    typed)."""
    change = [
        (_(label), data(Prefix.BRIEF, brief_id, BriefButton.CHANGE, name))
        for name, label in ANSWER_LABELS
    ]
    confirm_button = (
        _("✅ Get my recommendation"),
        data(Prefix.BRIEF, brief_id, BriefButton.CONFIRM),
    )
    return markup([[confirm_button], *grid(change, 3)])


def skip(brief_id: str, field: str) -> InlineKeyboardMarkup:
    """Under an optional question: leave it out (a launch date: not decided yet)."""
    label = _("Not decided yet") if field == "date" else _("Skip")
    return markup([[(label, data(Prefix.BRIEF, brief_id, BriefButton.SKIP, field))]])


def audience_country(brief_id: str, guess: str | None, labels: Labels) -> InlineKeyboardMarkup:
    """Where the customers are: the user's own country (a guess) in one tap, or anywhere."""
    row = []
    if guess is not None:
        here = _("%(country)s (here)") % {"country": labels.country(guess)}
        row.append((here, data(Prefix.BRIEF, brief_id, BriefButton.COUNTRY, guess)))
    row.append((_("Anywhere"), data(Prefix.BRIEF, brief_id, BriefButton.SKIP, "country")))
    return markup([row])


def change_which(brief_id: str) -> InlineKeyboardMarkup:
    """Which answer of a brief to change."""
    buttons = [
        (_(label), data(Prefix.BRIEF, brief_id, BriefButton.CHANGE, field))
        for field, label in ANSWER_LABELS
    ]
    return markup(grid(buttons, 3))


# ---- campaigns, check-ins, reminders, time zones ----


def campaign_name(proposal: str) -> InlineKeyboardMarkup:
    return markup([[(_("Use “%(name)s”") % {"name": proposal}, data(Prefix.CAMPAIGN_NAME, USE))]])


def campaign_start(
    prefix: Prefix = Prefix.CAMPAIGN_START, planned: date | None = None
) -> InlineKeyboardMarkup:
    """When a campaign starts; `planned`: the first posting day of the plan it is saved from,
    offered first."""
    rows = [[(_(label), data(prefix, value)) for label, value in CAMPAIGN_STARTS]]
    if planned is not None:
        label = _("📅 %(day)s, as planned") % {"day": i18n.when(planned, "day")}
        rows.insert(0, [(label, data(prefix, planned.isoformat()))])
    return markup(rows)


def campaign_length(planned: int | None = None) -> InlineKeyboardMarkup:
    """How long a campaign lasts; `planned`: the days the plan's posting windows span, offered
    first."""
    rows = [[(_(label), data(Prefix.CAMPAIGN_LENGTH, d)) for label, d in CAMPAIGN_LENGTHS]]
    if planned is not None:
        label = ngettext("📅 %(num)s day, as planned", "📅 %(num)s days, as planned", planned)
        rows.insert(0, [(label % {"num": planned}, data(Prefix.CAMPAIGN_LENGTH, planned))])
    return markup(rows)


def campaign_schedule(stage_labels: dict[str, str]) -> InlineKeyboardMarkup:
    moves = [
        (_("Move %(stage)s") % {"stage": label.lower()}, data(Prefix.CAMPAIGN_MOVE, stage))
        for stage, label in stage_labels.items()
    ]
    return markup([[(_("✅ Accept"), data(Prefix.CAMPAIGN_ACCEPT, ACCEPT))], *grid(moves, 2)])


def campaigns(campaign_ids: Sequence[int], waiting: str | None = None) -> InlineKeyboardMarkup:
    """A button per campaign; `waiting`: the name of a schedule set aside, to review."""
    rows = grid(numbered(Prefix.OPEN_CAMPAIGN, campaign_ids), 5)
    if waiting is not None:
        rows.append(
            [(_("📅 Review “%(name)s”") % {"name": waiting[:30]}, data(Prefix.RESUME_CAMPAIGN, GO))]
        )
    return markup(rows)


# A creator's status, on their button (tests/test_emoji_meanings.py).
MARKS = {
    CreatorStatus.TO_CONTACT: "⚪",
    CreatorStatus.CONTACTED: "📨",
    CreatorStatus.AGREED: "👌",
    CreatorStatus.APPROVED: "👍",
    CreatorStatus.PUBLISHED: "📣",
    CreatorStatus.PAID: "🧾",
    CreatorStatus.DECLINED: "❌",
}


def status_mark(status: str) -> str:
    known = status_of(status)
    return MARKS[known] if known is not None else "•"


def move_words(start: CreatorStatus, end: CreatorStatus) -> str:
    """A move's button: `➡️ agreed`, `❌ Declined`, `↩️ Back to: contacted`, `🔄 Asked
    again`."""
    if end is CreatorStatus.DECLINED:
        return _("❌ Declined")
    if start is CreatorStatus.DECLINED and end is ASKED_AGAIN:
        return _("🔄 Asked again")
    if start is not CreatorStatus.DECLINED and ORDER.index(end) < ORDER.index(start):
        return _("↩️ Back to: %(status)s") % {"status": status_words(end)}
    return _("➡️ %(status)s") % {"status": status_words(end)}


def _creator_row(campaign_id: int, creator: CampaignCreator) -> list[Button]:
    """A creator's button: where they stand; it opens their menu."""
    label = f"{status_mark(creator.status)} {creator.handle} · {status_words(creator.status)}"
    return [(label, data(Prefix.CREATOR, campaign_id, creator.id))]


def campaign_card(
    campaign_id: int, creators: Sequence[CampaignCreator] = (), brief_id: int | None = None
) -> InlineKeyboardMarkup:
    """One row per creator still in the campaign (those replaced left out), their first
    messages (from the campaign's plan, `brief_id`), then the campaign's own actions."""
    actions = ((_("✏️ Rename"), CampaignAction.RENAME), (_("📅 Move"), CampaignAction.MOVE))
    to_plan = data(Prefix.VIEW, brief_id, View.FIRST_MESSAGES) if brief_id else None
    return markup(
        [
            *(_creator_row(campaign_id, c) for c in creators if c.replaced_by is None),
            *([[(_("✉️ First messages"), to_plan)]] if to_plan and creators else []),
            [(label, data(Prefix.CHANGE_CAMPAIGN, campaign_id, a)) for label, a in actions],
            [(_("🗑 Delete"), data(Prefix.CHANGE_CAMPAIGN, campaign_id, CampaignAction.DELETE))],
        ]
    )


def creator_menu(
    campaign_id: int, creator: CampaignCreator, fit_id: int | None
) -> InlineKeyboardMarkup:
    """A creator's moves (knowledge.campaigns.pipeline.moves), the replacement by the next
    best fit (`fit_id`: their roster id) for one who declined, and back to the campaign."""
    start = status_of(creator.status)
    rows: list[list[Button]] = []
    if start is not None:
        rows += [
            [
                (
                    move_words(start, end),
                    data(Prefix.MOVE_CREATOR, campaign_id, creator.id, start, end),
                )
            ]
            for end in moves(start, creator.replaced_by is not None)
        ]
    if fit_id is not None:
        label = _("🔀 Replace them")
        rows.append([(label, data(Prefix.REPLACE_CREATOR, campaign_id, creator.id, fit_id))])
    rows.append([(_("◀ The campaign"), data(Prefix.OPEN_CAMPAIGN, campaign_id))])
    return markup(rows)


def checkin(
    reminder_id: int, campaign_id: int | None = None, behind: Sequence[CampaignCreator] = ()
) -> InlineKeyboardMarkup:
    """Enter results; and a button to each creator behind, which opens their menu."""
    rows = [[(_("📝 Enter results"), data(Prefix.ENTER_RESULTS, reminder_id))]]
    if campaign_id is not None:
        rows += [_creator_row(campaign_id, c) for c in behind]
    return markup(rows)


def delete_campaign(campaign_id: int) -> InlineKeyboardMarkup:
    return markup(
        [
            [
                (_("🗑 Yes, delete"), data(Prefix.DELETE_CAMPAIGN, campaign_id)),
                (_("Keep"), data(Prefix.DELETE_CAMPAIGN, campaign_id, NO)),
            ]
        ]
    )


def results_step_by_step() -> InlineKeyboardMarkup:
    return markup([[(_("Step by step"), data(Prefix.RESULTS_STEP, GO))]])


def results_skip() -> InlineKeyboardMarkup:
    return markup([[(_("Skip"), data(Prefix.RESULTS_STEP, SKIP))]])


def reminders(
    reminder_ids: Sequence[int], page: int = 0, pages: int = 1, first: int = 1
) -> InlineKeyboardMarkup:
    """A cancel button per listed reminder (numbered from `first`), and the other pages."""
    turn = [(_("◀ Previous"), data(Prefix.REMINDERS_PAGE, page - 1))] if page > 0 else []
    if page + 1 < pages:
        turn.append((_("Next ▶"), data(Prefix.REMINDERS_PAGE, page + 1)))
    cancel = numbered(Prefix.CANCEL_REMINDER, reminder_ids, mark="✖ ", first=first)
    return markup([*grid(cancel, 5), turn])


def timezones() -> InlineKeyboardMarkup:
    return markup(grid([(z, data(Prefix.TIMEZONE, z)) for z in COMMON_ZONES], 2))


def languages() -> InlineKeyboardMarkup:
    """One button per language, each named in itself (`English`, `Français`)."""
    return markup([[(name, data(Prefix.LANGUAGE, code)) for code, name in LANGUAGES.items()]])


def confirm_forget(nonce: str) -> InlineKeyboardMarkup:
    return confirm(
        _("Yes, erase everything"),
        data(Prefix.FORGET, nonce),
        _("Keep"),
        data(Prefix.FORGET, nonce, NO),
    )
