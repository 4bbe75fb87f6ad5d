"""A first message to each booked creator of a plan, ready to send (issue 23, part 5): the
greeting by name, who the shop is, the offer (what is bought and the fee), the approval and
usage terms, the promo code and link, and the ad label the post must carry; in the
creator's language when a message can be written in it (English, French, German, Spanish,
Italian or Portuguese: i18n.MESSAGE_LANGUAGES, the last four for these messages only), else
in English, from the `first_message` template. What the owner reads about them stays in the
owner's language."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from knowledge.advice.posts import line_language
from knowledge.advice.stored import Json, StoredLine, StoredRecommendation
from knowledge.base import KnowledgeBase, in_currency
from knowledge.writing.i18n import (
    DEFAULT_LANGUAGE,
    MESSAGE_LANGUAGES,
    base_language,
    gettext,
    writing_to,
)
from knowledge.writing.render import TELEGRAM_LIMIT, Labels, render, utf16_len
from knowledge.writing.replies import Template

# A creator's own blog or podcast is "your blog" in a message ("work with you on your blog"),
# not a platform's name ("on Blog", a planner's read).
OWN_CHANNEL = {
    "blog": lambda _platform: gettext("your blog"),
    "podcast": lambda _platform: gettext("your podcast"),
}


# Languages whose nouns keep their capital inside a sentence (“aus dem Bereich Mode”).
CAPITALISED_NOUNS = {"de"}


def in_sentence(label: str) -> str:
    """A niche's name inside a sentence: in lower case (`your cooking audience`), but for an
    acronym (`DIY`, `3D`) and in a language whose nouns keep their capital (German)."""
    if base_language() in CAPITALISED_NOUNS:
        return label
    return " ".join(
        word if sum(c.isupper() or c.isdigit() for c in word) > 1 else word.lower()
        for word in label.split(" ")
    )


def booked(stored: StoredRecommendation) -> list[StoredLine]:
    """The lines booked now (a wave-2 reserve line waits for wave 1's results), one per
    creator, in the plan's order."""
    seen: set[int] = set()
    lines = []
    for line in stored.plan.lines:
        if not line.reserve and line.id not in seen:
            seen.add(line.id)
            lines.append(line)
    return lines


def reserve_only(stored: StoredRecommendation) -> int:
    """The creators booked only in the wave-2 reserve: those also in wave 1 already have
    their message (a planner's read: "the 9 reserve creators", 4 of them in wave 1)."""
    now = {line.id for line in booked(stored)}
    return len({line.id for line in stored.plan.lines if line.reserve} - now)


def shop_words(stored: StoredRecommendation) -> str | None:
    """The shop as the owner named it, else its web address's host (without `www.`)."""
    brief = stored.brief
    if brief.shop_name:
        return brief.shop_name
    host = urlsplit(brief.shop_url).hostname if brief.shop_url else None
    return host.removeprefix("www.") if host else None


def first_message_values(stored: StoredRecommendation, line: StoredLine, kb: KnowledgeBase) -> Json:
    """What the `first_message` template is rendered with for `line`."""
    name = line.name.split()[0] if line.name.split() else line.handle
    # The creator's own niche as the plan found them (a cooking creator for a bakery's brief
    # has a cooking audience), in lower case inside the sentence.
    found = next((note[1] for note in line.notes if note[0] == "niche" and note[1]), None)
    niche = str(found[0]) if found else stored.brief.niche
    fee = opening_offer_cents(line, kb, stored.brief.currency) or line.cost_cents
    return {
        "line": line,
        "first_name": name,
        "shop": shop_words(stored),
        "niche": in_sentence(Labels(kb).niche(niche)),
        "field": in_sentence(Labels(kb).niche(stored.brief.niche)),  # the shop's, as briefed
        "platform": OWN_CHANNEL.get(line.platform, Labels(kb).platform)(line.platform),
        "discount": stored.brief.discount_pct or kb.posts.discount_pct,
        "disclosure": Labels(kb).disclosure(line.disclosure or "other"),
        "currency": stored.brief.currency,
        "launch": stored.brief.start_date,  # the launch or start date, when given
        # a nearby niche's audience is close to the shop's customers, not theirs
        "close": niche != stored.brief.niche,
        # the fee the message offers: an opening under the plan's when the ask is over market
        "fee_cents": fee,
        "usage_fee_cents": line.usage_cents * fee // line.cost_cents if line.cost_cents else 0,
    }


def creator_language(stored: StoredRecommendation, line: StoredLine) -> str | None:
    """The language the creator reads, among those a first message is written in
    (MESSAGE_LANGUAGES); None when their audience speaks another, or nothing says which
    (their message is then in English, and the owner is told so)."""
    spoken = line_language(line, stored.brief)
    return spoken if spoken in MESSAGE_LANGUAGES else None


def first_message(stored: StoredRecommendation, line: StoredLine, kb: KnowledgeBase) -> str:
    """The first message to the creator of `line`, written in their language (English
    when there is no message in it), with their country's money and dates (Brazil's
    Portuguese: `€ 1.500`, Portugal's `1500 €`)."""
    language = creator_language(stored, line) or DEFAULT_LANGUAGE
    with writing_to(language, line.country or stored.brief.country):
        return render(Template.FIRST_MESSAGE, **first_message_values(stored, line, kb))


def first_message_in_chat(
    stored: StoredRecommendation, line: StoredLine, kb: KnowledgeBase
) -> tuple[str, tuple[str, str] | None]:
    """The first message to `line`'s creator as the chat shows it (to whom, with their
    contact, then the message in a block one tap copies; as plain text when the block would
    not fit one Telegram message), and what its copy button copies (`copy_text`)."""
    message = first_message(stored, line, kb)
    values: Json = {"name": line.name, "handle": line.handle, "contact": line.contact}
    text = render(Template.FIRST_MESSAGE_SENT, message=Markup(message), copyable=True, **values)
    if utf16_len(text) > TELEGRAM_LIMIT:
        text = render(
            Template.FIRST_MESSAGE_SENT, message=Markup(message), copyable=False, **values
        )
    return text, copy_text(html.unescape(message), line)


def first_message_subject(stored: StoredRecommendation, line: StoredLine) -> str:
    """The subject of the first message sent by email, in the creator's language."""
    language = creator_language(stored, line) or DEFAULT_LANGUAGE
    with writing_to(language, line.country or stored.brief.country):
        return html.unescape(render(Template.FIRST_MESSAGE_SUBJECT, shop=shop_words(stored)))


COPY_LIMIT = 256
"""The most a Telegram copy-text button copies (characters)."""


def copy_text(message: str, line: StoredLine) -> tuple[str, str] | None:
    """What the copy button under a first message copies in one tap, and which it is: the
    whole message (`message`, as the creator reads it) when it fits the button, else the
    promo code and link (`code_link`), for the shop's discount settings, else the code
    alone (`code`); None when there is nothing to copy."""
    if utf16_len(message) <= COPY_LIMIT:
        return "message", message
    both = f"{line.promo_code}\n{line.link}" if line.link and line.promo_code else ""
    if both and utf16_len(both) <= COPY_LIMIT:
        return "code_link", both
    return ("code", line.promo_code[:COPY_LIMIT]) if line.promo_code else None


# An email address in a roster's free-text contact ("anna@example.com", "DM, or
# anna@example.com"); nothing that could end the address and start a mailto's fields.
EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
CRLF = "\r\n"
MAILTO_LIMIT = 8000
"""The longest mailto: link made. Phones' mail apps open far longer, but a body that would
go past it is left out (the subject alone), rather than cut."""


def email_in(contact: str | None) -> str | None:
    """The first email address in a roster's contact, None when it holds none."""
    found = EMAIL.search(contact or "")
    return found.group() if found else None


def mailto_link(address: str, subject: str, body: str) -> str:
    """A `mailto:` link to `address` with the subject and body filled in, each encoded
    whole (RFC 6068: an `&`, `?`, `=` or line break typed in them stays text, never another
    field or header; line breaks as CRLF); without the body when the link would be over
    MAILTO_LIMIT."""
    to = quote(address, safe="@")
    head = f"mailto:{to}?subject={quote(subject, safe='')}"
    full = f"{head}&body={quote(CRLF.join(body.splitlines()), safe='')}"
    return full if len(full) <= MAILTO_LIMIT else head


def in_english_instead(stored: StoredRecommendation) -> int:
    """How many of the messages are in English because their creator's language is none
    a message is written in, or not known."""
    return sum(creator_language(stored, line) is None for line in booked(stored))


def opening_offer_cents(line: StoredLine, kb: KnowledgeBase, currency: str) -> int | None:
    """What `line`'s first message offers when its creator asks over what agencies pay for
    the people a post reaches: the market's price for its posts (`market_offer_cents`), never
    under the fair-pay floor a post, plus any paid-use fee at the same share of it; None:
    the message offers the plan's fee. The plan keeps the creator's ask, the most to pay."""
    floor_cents = in_currency(kb.assumptions.fair_pay_floor, currency) or 0
    offer = market_offer_cents(line)
    if offer is None or offer < floor_cents * line.posts:
        return None
    return offer + line.usage_cents * offer // (line.price_cents * line.posts)


def counter_offers(stored: StoredRecommendation, kb: KnowledgeBase) -> list[tuple[str, int, int]]:
    """For the owner: each booked creator whose first message opens under the plan's fee
    (`opening_offer_cents`), with that opening and the plan's fee, their ceiling."""
    offers = []
    for line in booked(stored):
        opening = opening_offer_cents(line, kb, stored.brief.currency)
        if opening is not None:
            offers.append((line.name, opening, line.cost_cents))
    return offers


NEGOTIATING_STEP = 1_000  # an opening offer is rounded down to whole tens of the currency


def market_offer_cents(line: StoredLine) -> int | None:
    """What to offer for `line` when its ask is over what agencies quote for the people a
    post reaches (the shortlist says "negotiate"): the market's top for those people, per
    post, rounded down, times its posts; never under the price the engine would pay anyway
    for a creator raised to the fair-pay floor (None: nothing to negotiate)."""
    note = next((note for note in line.notes if note[0] == "over_market"), None)
    if note is None or line.seeding:
        return None
    per_thousand, top = float(note[1]), float(note[2])
    if per_thousand <= top:
        return None
    per_post = int(line.price_cents * top / per_thousand) // NEGOTIATING_STEP * NEGOTIATING_STEP
    if per_post <= 0:
        return None
    return per_post * line.posts
