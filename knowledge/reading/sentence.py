"""What a sentence names besides its goal, platform and country: its budget (after a budget
word, with a currency, or an amount standing alone) and its niche (the one named, the one the
others named are related to, or the business's)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.base import KnowledgeBase
from knowledge.reading.matching import niche_words_vocabulary
from knowledge.reading.parsing import BudgetError, BudgetProblem, amounts_in, parse_budget

# Parts of a sentence: an amount belongs to the words of its own part (`budget 500, 20 candles`).
_CLAUSE = re.compile(
    r"[;!?\n]|[,.](?=\s|$)|\s(?:and|but|with|for|et|mais|avec|pour)\s", re.IGNORECASE
)
# Words that make the amount after them, in the same part, the budget.
_BUDGET_WORDS = re.compile(
    r"(?i)\b(?:budget|spend|spending|afford|invest|dépenser|depenser|investir|enveloppe)\b"
)


def just_an_amount(text: str, currency: str) -> bool:
    """Whether the whole text is an amount (`800`, `€2k`), readable or not as a budget."""
    try:
        parse_budget(text, currency)
    except BudgetError as exc:
        return exc.problem is not BudgetProblem.UNREADABLE
    return True


def budget_in(text: str, currency: str) -> str | None:
    """The budget as written in a sentence (or the whole text, if it is just an amount), or
    None when it names none, or several."""
    if just_an_amount(text, currency):
        return text
    said: list[str] = []  # after a budget word
    signed: list[str] = []  # written with a currency
    for clause in _CLAUSE.split(text):
        for amount in amounts_in(clause):
            after = clause[amount.start + len(amount.text) :]
            if _BUDGET_WORDS.search(clause[: amount.start]) or _BUDGET_AFTER.match(after):
                said.append(amount.text)
            elif amount.currency:
                signed.append(amount.text)
    for found in (said, signed, _alone(text, currency)):
        if found:
            return found[0] if len(set(found)) == 1 else None
    return None


# A word saying an amount is rough (`about 3k`): the amount after it stands alone all the same.
_ROUGHLY = re.compile(
    r"(?i)^(?:about|around|roughly|approximately|approx\.?|circa|max(?:imum)?|up to|~"
    r"|environ|à peu près|autour de|près de|jusqu['’]à)\s*"
)
# A year, not money, when it stands alone (`since 2015`).
_YEAR = re.compile(r"(?:19|20)\d\d")


def _alone(text: str, currency: str) -> list[str]:
    """Amounts with no currency and no budget word that still read as the budget: a part of
    the sentence that is just an amount, roughly or not (`tattoo studio, 1.5k, need more…`;
    `about 3k`), or an amount ending the message (`nail salon 500`). A year, or a figure
    under ALONE_AT_LEAST (`hello 12`), is not one."""
    parts = [
        _ROUGHLY.sub("", part.strip(" \t()-–—:"))
        for part in _CLAUSE.split(text)
        if part and part.strip()
    ]
    found = [part for part in parts if _is_amount(part, currency)]
    last = text.rstrip(" \t.!?)").split()
    if not found and len(last) > 1 and _is_amount(last[-1], currency):
        found = [last[-1]]
    return [amount for amount in found if not _YEAR.fullmatch(amount)]


ALONE_AT_LEAST = 50  # in the deployment's currency: a lone figure under it is no budget


def _is_amount(text: str, currency: str) -> bool:
    amounts = amounts_in(text)
    if len(amounts) != 1 or amounts[0].text != text:
        return False
    try:
        return parse_budget(text, currency).cents >= ALONE_AT_LEAST * 100
    except BudgetError:
        return False


# Words naming a business, after the niche it is in (`a family bike shop`, `board game cafe`):
# among several niches named, that one is the business's.
_BUSINESS_WORDS = frozenset(
    {"shop", "store", "studio", "cafe", "bar", "salon", "school", "brand", "boutique", "atelier"}
    | {"hotel", "gym", "place", "workshop", "rental", "rentals", "club", "agency", "planner"}
)
# A budget word right after the amount (`4k budget`, `300 euros de budget`).
_BUDGET_AFTER = re.compile(
    r"(?i)\s*(?:(?:de|of)\s+)?budget\b"
    r"|\s*(?:to|à|a)\s+(?:spend|put|invest|play with|mettre|investir|d[ée]penser)\b"
)
# Words saying how a thing is made: a niche of their own (DIY) only when nothing else is named
# (`handmade jewellery` is Jewellery).
_MADE_BY_HAND = re.compile(
    r"(?i)\b(?:hand[- ]?made|home[- ]?made|faite?s? (?:à la )?main|faite?s? maison"
    r"|artisan(?:al|ale|ales|aux))\b"
)


# A niche named as one (`travel niche`, `in the food niche`, `niche: travel`, `niche voyage`):
# it wins over what the shop sells (`I sell travel backpacks, …, travel niche`: Travel, not
# Bags, a planner's read).
_MARKED_NICHE = re.compile(
    r"(?i)\b(?P<before>(?:[^\W\d_][\w&'’-]*\s+)?[^\W\d_][\w&'’-]*)\s+niche\b"
    r"|\bniche\s*(?:[:=]|is\b|est\b)?\s*(?:de\s+la\s+|du\s+|des\s+|de\s+l['’]\s*)?"
    r"(?P<after>[^\W\d_][\w&'’-]*(?:\s+[^\W\d_][\w&'’-]*)?)"
)


def niche_in(
    text: str, kb: KnowledgeBase, roster_niches: Iterable[str], french: bool
) -> str | None:
    """The niche a sentence names: the one it names as its niche (`travel niche`) or alone in
    its list (`…, 8k, fashion, basket €60`), else the only one, or the one all others named
    are related to (candles, for `handmade candles`), or else the one named besides how it
    is made (`handmade jewellery`)."""
    vocabulary = niche_words_vocabulary(kb, roster_niches, french)
    marked = [m.group("before") or m.group("after") for m in _MARKED_NICHE.finditer(text)]
    items = [item.strip() for item in re.split(r"[,;\n]+", text)]
    # A niche's word or two alone as an item of a list (`Swimwear shop, …, 8k, fashion,
    # basket €60`; `candle shop, €1,500, home decor`: Home decor, a planner's read).
    listed = [
        item
        for item in items
        if len(item.split()) <= 2 and not set(item.lower().split()) & _BUSINESS_WORDS
    ]
    listed = listed if len(items) > 1 else []
    for words in (*marked, *listed):
        named = vocabulary.all_named_in(words)
        if len(named) == 1 and (words in marked or vocabulary.all_named_in(text) != named):
            return named[0]
    for words in (text, _MADE_BY_HAND.sub(" ", text)):
        named = vocabulary.all_named_in(words)
        covering = [
            slug
            for slug in named
            if set(named) <= {slug, *(kb.niches[slug].related if slug in kb.niches else ())}
        ]
        if len(covering) == 1:
            return covering[0]
    business = vocabulary.named_before(text, _BUSINESS_WORDS)
    return business[0] if len(business) == 1 else None


# A basket or a margin named in a sentence (`panier 12, marge 60`, `average order €40, 30%
# margin`): the word, then the figure (an amount; a percentage), or the figure then the word.
_AMOUNT_TEXT = r"(?:€\s*)?\d+(?:[ .,]\d{3})*(?:[.,]\d{1,2})?(?:k\b)?\s*(?:€|eur(?:os?)?\b)?"
_BASKET = re.compile(
    rf"(?i)\b(?:panier(?:\s+moyen)?|basket|average\s+order(?:\s+value)?|order\s+value|aov)"
    rf"\s*(?:de|of|is|est|:|=|at|à)?\s*(?P<value>{_AMOUNT_TEXT})"
)
_MARGIN = re.compile(
    r"(?i)\b(?:marge|margin)\s*(?:de|of|is|est|:|=|at|à)?\s*(?P<value>\d+(?:[.,]\d+)?\s*%?)"
    r"|(?P<before>\d+(?:[.,]\d+)?\s*%)\s*(?:de\s+)?(?:marge|margin)\b"
)


def basket_and_margin(text: str) -> tuple[dict[str, str], str]:
    """The basket and the margin a sentence names, as written (`{"order_value": "12",
    "margin": "60"}`), and the sentence without them (so `marge 60` is not a budget)."""
    found: dict[str, str] = {}
    for field, pattern in (("order_value", _BASKET), ("margin", _MARGIN)):
        match = pattern.search(text)
        if match is not None:
            found[field] = (match.group("value") or match.group("before") or "").strip(" ,.")
            text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    return found, text
