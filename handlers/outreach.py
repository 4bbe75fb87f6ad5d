"""✉️ First messages, under a plan's shortlist: a short message to each creator booked now,
ready to copy or forward, in the owner's language (knowledge.writing.outreach)."""

from __future__ import annotations

from telegram import Update

from handlers.services import reply
from knowledge.advice.posts import with_posts
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.writing.outreach import booked, first_message_values
from knowledge.writing.replies import Template


async def send_first_messages(
    update: Update, stored: StoredRecommendation, kb: KnowledgeBase
) -> None:
    """An intro, then one message per creator booked now. A plan stored before its lines
    said what they buy gets them made now, as a new plan would."""
    stored = with_posts(stored, kb.posts)
    lines = booked(stored)
    reserve = len({line.id for line in stored.plan.lines if line.reserve})
    await reply(update, Template.FIRST_MESSAGES_INTRO, count=len(lines), reserve=reserve)
    for line in lines:
        await reply(update, Template.FIRST_MESSAGE, **first_message_values(stored, line, kb))
