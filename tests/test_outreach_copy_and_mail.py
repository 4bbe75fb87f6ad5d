"""A first message copied in one tap and written by email (issue 23, part 5): the copy-text
button's text (Telegram's 256 characters at most), the `mailto:` link of the creator briefs
(its fields encoded whole, whatever a name or a shop's name holds), the email address found
in a roster's free-text contact, and the emulator refusing buttons as Telegram does."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot.sandbox.emulator import ApiError, BotApiEmulator
from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import Goal, KnowledgeBase
from knowledge.files.creator_briefs import creator_briefs_html, emails_in_briefs
from knowledge.writing import i18n
from knowledge.writing.outreach import (
    COPY_LIMIT,
    MAILTO_LIMIT,
    booked,
    copy_text,
    email_in,
    first_message,
    first_message_in_chat,
    mailto_link,
)
from tests.test_templates_fr_brief import _fashion

# A name and a shop's name that would add fields or headers to a link built by pasting.
TRICKY_NAME = "Léa & Co?cc=evil@example.net\nBcc: evil@example.net"
TRICKY_SHOP = "Tom & Jerry? body=spam"


def _stored(kb: KnowledgeBase, **brief: object) -> StoredRecommendation:
    base = Brief(goal=Goal.SALES, budget_cents=800_000, currency="EUR", niche="fashion")
    people = [
        replace(
            c,
            name=TRICKY_NAME if c.id == 0 else c.name,
            country="FR" if c.id % 2 else "GB",
            contact=f"DM, or lea.{c.id}+shop@mail.example.fr." if c.id < 100 else "@max on DM",
        )
        for c in _fashion()
    ]
    return snapshot(recommend(replace(base, **brief), people, kb), kb)  # type: ignore[arg-type]


def test_an_email_is_found_in_a_free_text_contact() -> None:
    assert email_in("DM, or lea.1+shop@mail.example.fr.") == "lea.1+shop@mail.example.fr"
    assert email_in("anna@example.com?cc=evil@example.net") == "anna@example.com"
    assert email_in("<anna@example.com>, +33 6 12 34 56 78") == "anna@example.com"
    for none in ("@anna on Instagram", "+33 6 12 34 56 78", "anna@localhost", "", None):
        assert email_in(none) is None


def test_a_mailto_link_fills_the_subject_and_body_and_nothing_else() -> None:
    body = "Hello Léa,\n\nThe offer: 2 Reels & 1 Story?\nbcc=evil@example.net"
    link = mailto_link("lea+shop@example.fr", "A collaboration with Tom & Jerry?", body)
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "lea+shop@example.fr"
    assert "\n" not in link and " " not in link and link.count("?") == link.count("&") == 1
    fields = parse_qs(parts.query, keep_blank_values=True)
    assert fields == {
        "subject": ["A collaboration with Tom & Jerry?"],
        "body": ["Hello Léa,\r\n\r\nThe offer: 2 Reels & 1 Story?\r\nbcc=evil@example.net"],
    }


def test_a_mailto_link_too_long_for_its_body_keeps_the_subject_only() -> None:
    long = "é" * MAILTO_LIMIT  # 6 characters each, encoded
    link = mailto_link("lea@example.fr", "Hello", long)
    assert link == "mailto:lea@example.fr?subject=Hello" and len(link) <= MAILTO_LIMIT
    fits = mailto_link("lea@example.fr", "Hello", "é" * 1300)
    assert 7_000 < len(fits) <= MAILTO_LIMIT and "&body=" in fits


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_creator_briefs_write_to_each_email_with_the_message_in_full(
    kb: KnowledgeBase, language: str
) -> None:
    stored = _stored(kb, shop_name=TRICKY_SHOP)
    lines = booked(stored)
    with i18n.speaking(language):
        document = creator_briefs_html(stored, kb)
    links = [html.unescape(href) for href in re.findall(r'href="(mailto:[^"]+)"', document)]
    emailed = [line for line in lines if email_in(line.contact)]
    assert emails_in_briefs(stored) == len(emailed) > 0
    assert any(line.name == TRICKY_NAME for line in emailed)
    assert len(links) == 2 * len(emailed)  # the contact, and the button under the message
    for line in emailed:
        link = next(link for link in links if f"lea.{line.id}%2Bshop@" in link)
        assert link.count("?") == link.count("&") == 1 and "\n" not in link
        fields = parse_qs(urlsplit(link).query)
        assert set(fields) == {"subject", "body"}
        # The message in the creator's language whatever the owner's: French for France.
        subject = "Une collaboration avec" if line.country == "FR" else "A collaboration with"
        assert fields["subject"] == [f"{subject} {TRICKY_SHOP}"]
        message = html.unescape(first_message(stored, line, kb))
        assert fields["body"] == ["\r\n".join(message.splitlines())]
        assert len(link) <= MAILTO_LIMIT
    said = {"en": "Send it by email to", "fr": "L’envoyer par e-mail à"}[language]
    assert document.count(said) == len(emailed)


def test_the_copy_button_copies_the_message_when_it_fits_else_the_code_and_link(
    kb: KnowledgeBase,
) -> None:
    stored = _stored(kb, shop_url="https://example.com/shop")
    line = booked(stored)[0]
    assert copy_text("Hello Léa, a short one.", line) == ("message", "Hello Léa, a short one.")
    message = html.unescape(first_message(stored, line, kb))
    assert len(message) > COPY_LIMIT
    assert copy_text(message, line) == ("code_link", f"{line.promo_code}\n{line.link}")
    far = line.model_copy(update={"link": "https://example.com/?" + "x" * COPY_LIMIT})
    assert copy_text(message, far) == ("code", line.promo_code)
    unlinked = line.model_copy(update={"link": None})
    assert copy_text(message, unlinked) == ("code", line.promo_code)


def test_the_chat_shows_whom_to_and_the_message_in_a_block_a_tap_copies(
    kb: KnowledgeBase,
) -> None:
    stored = _stored(kb, shop_name=TRICKY_SHOP)
    line = next(line for line in booked(stored) if line.name == TRICKY_NAME)
    with i18n.speaking("fr"):
        text, (kind, copied) = first_message_in_chat(stored, line, kb)
    head, block = text.split("<pre>")
    assert head.startswith("✉️ À Léa &amp; Co?cc=evil@example.net")  # escaped, as typed
    assert head.endswith("(@lea0), DM, or lea.0+shop@mail.example.fr.\u202f:\n")
    assert block.startswith("Hello Léa,") and block.endswith("</pre>")  # GB: English
    assert kind == "code" and copied == line.promo_code


def test_the_emulator_refuses_buttons_telegram_refuses() -> None:
    def check(button: dict[str, object]) -> None:
        BotApiEmulator._buttons({"reply_markup": {"inline_keyboard": [[button]]}})

    check({"text": "📎", "copy_text": {"text": "x" * COPY_LIMIT}})
    check({"text": "Site", "url": "https://example.com"})
    for refused in (
        {"text": "📎", "copy_text": {"text": "x" * (COPY_LIMIT + 1)}},
        {"text": "📎", "copy_text": {"text": ""}},
        {"text": "Mail", "url": "mailto:lea@example.fr?subject=Hi"},
        {"text": "Both", "url": "https://example.com", "callback_data": "x"},
        {"text": "None"},
        {"text": "Long", "callback_data": "x" * 65},
    ):
        with pytest.raises(ApiError):
            check(refused)
