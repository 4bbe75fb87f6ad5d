"""Inline keyboards. Button data carry the brief's id, so an old button is recognised as stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from knowledge.base import Goal
from knowledge.render import Labels

START_OVER = "advise:start"
GOAL_LABELS = {
    Goal.SALES: "Sales / conversions",
    Goal.AWARENESS: "Awareness / reach",
    Goal.COMMUNITY: "Engagement / community",
    Goal.LAUNCH: "Product launch",
    Goal.AMBASSADOR: "Long-term ambassador",
}
MAX_CALLBACK_BYTES = 64


def callback(brief_id: str, *parts: str) -> str:
    return ":".join(("b", brief_id, *parts))


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def confirm_keyboard(yes: str, yes_data: str, no: str, no_data: str) -> InlineKeyboardMarkup:
    """One row: a confirming button and a backing-out one."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=yes_data),
                InlineKeyboardButton(no, callback_data=no_data),
            ]
        ]
    )


def start_keyboard(text: str = "Get a recommendation") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=START_OVER)]])


def recommendation_keyboard(saved_brief_id: int | None) -> InlineKeyboardMarkup:
    """Under a recommendation: start over, or follow it as a campaign."""
    rows = [[InlineKeyboardButton("🔁 Start over", callback_data=START_OVER)]]
    if saved_brief_id is not None:
        rows.append(
            [InlineKeyboardButton("💾 Save as campaign", callback_data=f"camp:{saved_brief_id}")]
        )
    return InlineKeyboardMarkup(rows)


def goal_keyboard(brief_id: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(label, callback_data=callback(brief_id, "goal", goal.value))
        for goal, label in GOAL_LABELS.items()
    ]
    return InlineKeyboardMarkup(_rows(buttons, 1))


def choice_keyboard(
    brief_id: str, field: str, values: Iterable[str], label: Labels, extra: str | None = None
) -> InlineKeyboardMarkup:
    """One button per niche or platform id (those whose data fit Telegram's 64 bytes)."""
    name = label.niche if field == "niche" else label.platform
    buttons = [
        InlineKeyboardButton(name(value), callback_data=data)
        for value in values
        if len((data := callback(brief_id, field, value)).encode()) <= MAX_CALLBACK_BYTES
    ]
    if extra is not None:
        buttons.append(InlineKeyboardButton(extra, callback_data=callback(brief_id, field, "any")))
    return InlineKeyboardMarkup(_rows(buttons, 3 if field == "niche" else 2))


def summary_keyboard(brief_id: str) -> InlineKeyboardMarkup:
    change = [
        InlineKeyboardButton(f"Change {name}", callback_data=callback(brief_id, "change", name))
        for name in ("goal", "budget", "niche", "platform")
    ]
    confirm = InlineKeyboardButton(
        "✅ Get my recommendation", callback_data=callback(brief_id, "confirm")
    )
    return InlineKeyboardMarkup([[confirm], *_rows(change, 2)])
