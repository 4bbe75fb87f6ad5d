"""Where a creator stands in a campaign (knowledge.campaigns.pipeline), in words in the
reader's language: on the campaign card, a creator's menu, a check-in and their buttons
(whose marks and moves are the handlers': `handlers.keyboards`)."""

from __future__ import annotations

from knowledge.campaigns.pipeline import CreatorStatus, status_of
from knowledge.writing.i18n import pgettext


def status_words(status: str) -> str:
    """`agreed`, `content approved`… (a status unknown to this version: as stored)."""
    known = status_of(status)
    if known is None:
        return status
    return {
        CreatorStatus.TO_CONTACT: pgettext("creator status", "to contact"),
        CreatorStatus.CONTACTED: pgettext("creator status", "contacted"),
        CreatorStatus.AGREED: pgettext("creator status", "agreed"),
        CreatorStatus.APPROVED: pgettext("creator status", "content approved"),
        CreatorStatus.PUBLISHED: pgettext("creator status", "published"),
        CreatorStatus.PAID: pgettext("creator status", "paid"),
        CreatorStatus.DECLINED: pgettext("creator status", "declined"),
    }[known]
