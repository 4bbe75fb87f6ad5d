"""✉️ First messages, under a plan's shortlist: a short message to each creator booked now,
ready to copy or forward, each in its creator's language (knowledge.writing.outreach), after
the creator briefs, one printable page each (knowledge.files.creator_briefs); what the owner
reads about them is in the owner's language."""

from __future__ import annotations

import io

from telegram import InputFile, Update

from handlers.services import reply, send_text
from knowledge.advice.posts import with_posts
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.files.creator_briefs import creator_briefs_html
from knowledge.writing.outreach import booked, counter_offers, first_message, in_english_instead
from knowledge.writing.render import render
from knowledge.writing.replies import Template


async def send_first_messages(
    update: Update, stored: StoredRecommendation, kb: KnowledgeBase
) -> None:
    """The creator briefs' document (sent at once: it goes first), then an intro and one
    message per creator booked now (held until the state is saved). A plan stored before its
    lines said what they buy gets them made now, as a new plan would."""
    stored = with_posts(stored, kb.posts)
    lines = booked(stored)
    chat = update.effective_chat
    if lines and chat is not None:
        document = creator_briefs_html(stored, kb).encode()
        await chat.send_document(
            InputFile(io.BytesIO(document), "creator-briefs.html"),
            caption=render(Template.CREATOR_BRIEFS_CAPTION, count=len(lines)),
        )
    reserve = len({line.id for line in stored.plan.lines if line.reserve})
    await reply(
        update,
        Template.FIRST_MESSAGES_INTRO,
        count=len(lines),
        reserve=reserve,
        counters=counter_offers(stored, kb),
        currency=stored.brief.currency,
        english=in_english_instead(stored),
    )
    for line in lines:
        await send_text(update, first_message(stored, line, kb))
