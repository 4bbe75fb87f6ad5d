"""The creator briefs (issue 23, part 5): one printable page per creator booked now, holding
in full what their first message says (the offer, the use of the content, the code and link,
the ad label) and the message itself, for the owner to forward or print; where the roster's
contact holds an email address, a `mailto:` link opens the owner's mail app with the message
written (its subject and body filled in). An HTML document,
which any phone opens in its browser; in the owner's language, each message in its
creator's (knowledge.writing.outreach.first_message)."""

from __future__ import annotations

import html

from markupsafe import Markup

from knowledge.advice.posts import with_posts
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.files.plan_file import profile_url
from knowledge.writing.i18n import DEFAULT_LANGUAGE, current_language
from knowledge.writing.outreach import (
    booked,
    creator_language,
    email_in,
    first_message,
    first_message_subject,
    first_message_values,
    mailto_link,
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
    ".mail{display:inline-block;padding:.6em 1em;border:1px solid #888;border-radius:6px}"
)


def creator_briefs_html(stored: StoredRecommendation, kb: KnowledgeBase) -> str:
    """The document, one section (a printed page) per creator booked now."""
    stored = with_posts(stored, kb.posts)
    pages = []
    for line in booked(stored):
        values = first_message_values(stored, line, kb)
        message = first_message(stored, line, kb)
        address = email_in(line.contact)
        subject = first_message_subject(stored, line)
        pages.append(
            values
            | {
                "message": Markup(message),
                "message_language": creator_language(stored, line) or DEFAULT_LANGUAGE,
                "profile": profile_url(line, kb),
                "email": address,
                "mailto": address and mailto_link(address, subject, html.unescape(message)),
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


def emails_in_briefs(stored: StoredRecommendation) -> int:
    """How many of the creators booked now can be written to from the document (their
    contact holds an email address)."""
    return sum(email_in(line.contact) is not None for line in booked(stored))
