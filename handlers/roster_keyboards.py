"""The inline keyboards of the roster's administration: pages, an influencer's card, the
confirmations of a removal, an edit, an import and the sample roster's removal, the /add
form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardMarkup

from handlers.callbacks import NO, AddAction, Prefix, RosterAction, data
from handlers.keyboards import confirm, grid, markup
from knowledge.writing.i18n import _


def roster_page(row_ids: Sequence[int], page: int, pages: int, offset: int) -> InlineKeyboardMarkup:
    opens = [
        (str(offset + n), data(Prefix.ROSTER, RosterAction.OPEN, i))
        for n, i in enumerate(row_ids, start=1)
    ]
    navigation = []
    if page > 0:
        navigation.append((_("◀ Previous"), data(Prefix.ROSTER, RosterAction.PAGE, page - 1)))
    if page + 1 < pages:
        navigation.append((_("Next ▶"), data(Prefix.ROSTER, RosterAction.PAGE, page + 1)))
    return markup([opens[:5], opens[5:], navigation])


def influencer_card(influencer_id: int, active: bool, version: str) -> InlineKeyboardMarkup:
    """Edit and Remove, or Restore (which works while the record is as shown: `version`)."""
    if active:
        return markup(
            [
                [
                    (_("✏️ Edit"), data(Prefix.ROSTER, RosterAction.EDIT, influencer_id)),
                    (_("🗑 Remove"), data(Prefix.ROSTER, RosterAction.REMOVE, influencer_id)),
                ]
            ]
        )
    restore = data(Prefix.ROSTER, RosterAction.RESTORE, influencer_id, version)
    return markup([[(_("↩️ Restore"), restore)]])


def confirm_remove(influencer_id: int, version: str) -> InlineKeyboardMarkup:
    """Yes, remove (works while the record is as it was asked about: `version`) or Keep."""
    return confirm(
        _("Yes, remove"),
        data(Prefix.ROSTER, RosterAction.CONFIRM_REMOVE, influencer_id, version),
        _("Keep"),
        data(Prefix.ROSTER, RosterAction.KEEP),
    )


def confirm_purge(influencer_id: int, version: str) -> InlineKeyboardMarkup:
    """Delete for good (works while the record is as it was asked about) or Keep."""
    return confirm(
        _("Yes, delete for good"),
        data(Prefix.ROSTER, RosterAction.CONFIRM_PURGE, influencer_id, version),
        _("Keep"),
        data(Prefix.ROSTER, RosterAction.KEEP),
    )


def confirm_edit(nonce: str) -> InlineKeyboardMarkup:
    return confirm(
        _("✅ Confirm"), data(Prefix.EDIT, nonce), _("Cancel"), data(Prefix.EDIT, nonce, NO)
    )


def confirm_import(pending_id: int) -> InlineKeyboardMarkup:
    return confirm(
        _("✅ Confirm import"),
        data(Prefix.IMPORT, pending_id),
        _("Cancel"),
        data(Prefix.IMPORT, pending_id, NO),
    )


def remove_sample(nonce: str) -> InlineKeyboardMarkup:
    return confirm(
        _("✅ Yes, remove them"),
        data(Prefix.SAMPLE, nonce),
        _("Keep them"),
        data(Prefix.SAMPLE, nonce, NO),
    )


def add_draft() -> InlineKeyboardMarkup:
    return markup(
        [
            [
                (_("💾 Save"), data(Prefix.ADD, AddAction.SAVE)),
                (_("Cancel"), data(Prefix.ADD, AddAction.CANCEL)),
            ]
        ]
    )


def add_platforms(platforms: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`platforms`: (id, label) pairs."""
    buttons = [(label, data(Prefix.ADD, AddAction.PLATFORM, slug)) for slug, label in platforms]
    return markup(grid(buttons, 3))


def add_new_niche() -> InlineKeyboardMarkup:
    return markup([[(_("➕ Add as a new niche"), data(Prefix.ADD, AddAction.NEW_NICHE))]])
