"""The creator briefs (issue 23, part 5): one printable page per creator booked now, holding
in full what their first message says (the offer, the use of the content, the code and link,
the ad label) and the message itself, for the owner to forward or print. An HTML document,
which any phone opens in its browser; in the owner's language, each message in its
creator's (knowledge.writing.outreach.first_message)."""

from __future__ import annotations

from markupsafe import Markup

from knowledge.advice.posts import with_posts
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.files.plan_file import profile_url
from knowledge.writing.i18n import DEFAULT_LANGUAGE, current_language
from knowledge.writing.outreach import (
    booked,
    creator_language,
    first_message,
    first_message_values,
    shop_words,
)
from knowledge.writing.render import Labels, render
from knowledge.writing.replies import Template

# The page's look: readable on a phone, one creator per printed page.
STYLE = Markup(
    "body{font-family:system-ui,sans-serif;max-width:40em;margin:1em auto;padding:0 1em;"
    "line-height:1.45}"
    "section{break-after:page;page-break-after:always;padding-bottom:1.5em;"
    "border-bottom:1px solid #ccc;margin-bottom:1.5em}"
    "section:last-child{break-after:auto;page-break-after:auto;border-bottom:none}"
    ".message{white-space:pre-wrap;background:#f5f5f5;padding:.8em 1em;border-radius:6px}"
    "th{text-align:left;padding-right:1em;vertical-align:top}"
    "td{vertical-align:top;overflow-wrap:anywhere}"
)


def creator_briefs_html(stored: StoredRecommendation, kb: KnowledgeBase) -> str:
    """The document, one section (a printed page) per creator booked now."""
    stored = with_posts(stored, kb.posts)
    pages = []
    for line in booked(stored):
        values = first_message_values(stored, line, kb)
        pages.append(
            values
            | {
                "message": Markup(first_message(stored, line, kb)),
                "message_language": creator_language(stored, line) or DEFAULT_LANGUAGE,
                "profile": profile_url(line, kb),
            }
        )
    shop = shop_words(stored) or Labels(kb).niche(stored.brief.niche)
    return render(
        Template.CREATOR_BRIEFS,
        pages=pages,
        style=STYLE,
        language=current_language(),
        title=render(Template.CREATOR_BRIEFS_TITLE, shop=shop),
    )
