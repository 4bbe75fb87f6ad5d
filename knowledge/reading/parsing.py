"""Read the numbers people type: budgets, prices, follower counts, percentages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple

from knowledge.reading import money_words as slang

MAX_BUDGET = Decimal(10) ** 9
# The largest count read (followers, reach, sales…): beyond any real one, well within the
# database's 64-bit integers. Money is read up to MAX_BUDGET, in cents.
MAX_COUNT = 10**12
MAX_CENTS = int(MAX_BUDGET) * 100
_ID = re.compile(r"[0-9]{1,18}")

# Symbols and words people put beside an amount, mapped to ISO 4217 codes.
CURRENCY_ALIASES: dict[str, str] = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "ca$": "CAD",
    "c$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "chf": "CHF",
    "fr": "CHF",
    "¥": "JPY",
    "jpy": "JPY",
    "yen": "JPY",
    "₹": "INR",
    "inr": "INR",
    "rupees": "INR",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "pln": "PLN",
    "czk": "CZK",
    "mxn": "MXN",
    "brl": "BRL",
    "r$": "BRL",
    "zar": "ZAR",
    "nzd": "NZD",
    "sgd": "SGD",
    "hkd": "HKD",
    "cny": "CNY",
    "krw": "KRW",
    "₩": "KRW",
    "try": "TRY",
    "₺": "TRY",
    "aed": "AED",
    "mad": "MAD",
    "xof": "XOF",
}

_SCALES = {
    "k": 1_000,
    "thousand": 1_000,
    "mille": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
# The no-break and thin spaces that group thousands (`1 500`, as French is written), read as
# plain spaces one for one.
_GROUPING_SPACES = str.maketrans(dict.fromkeys("\u00a0\u202f\u2009", " "))
_AMOUNT = re.compile(
    r"(?P<number>\d(?:[\d.,' ’]*\d)?)"
    r"(?:\s*(?P<scale>thousand|mille|millions|million|billion|mn|bn|k|m|b)(?![a-z]))?",
    re.IGNORECASE,
)
_MINUS = re.compile(r"[-−–]")
# Words people put around a budget that do not change the amount: "about 2k", "max 1500 €",
# "autour de 3000€", "jusqu'à 2 000 €".
BUDGET_HEDGES = (
    "about",
    "around",
    "roughly",
    "approx",
    "approximately",
    "max",
    "maximum",
    "up to",
    "at most",
    "environ",
    "env",
    "autour de",
    "aux alentours de",
    "à peu près",
    "a peu pres",
    "approximativement",
    "jusqu'à",
    "jusqu'a",
    "au maximum",
    "au max",
    "maxi",
    "au plus",
    "tout au plus",
    "pas plus de",
)
_FILLER = re.compile(
    r"\b(?:"
    + "|".join(re.escape(h) for h in sorted(BUDGET_HEDGES, key=len, reverse=True))
    + r")(?!\w)|[~≈.!]",
    re.IGNORECASE,
)


class TooLarge(ValueError):
    """A number over the largest one read (`limit`)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,}")
        self.limit = limit


def parse_id(text: str) -> int | None:
    """A database or Telegram id: 1 to 18 ASCII digits (so it fits 64 bits); None otherwise
    (`²`, a 20-digit number, `12a`)."""
    cleaned = text.strip()
    return int(cleaned) if _ID.fullmatch(cleaned) else None


class BudgetProblem(StrEnum):
    UNREADABLE = "unreadable"
    NOT_POSITIVE = "not_positive"
    TOO_LARGE = "too_large"
    WRONG_CURRENCY = "wrong_currency"
    UNKNOWN_CURRENCY = "unknown_currency"


class BudgetError(ValueError):
    """A budget (or a price) that can't be taken, and why."""

    def __init__(self, problem: BudgetProblem, currency: str | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.currency = currency


@dataclass(frozen=True)
class Budget:
    cents: int
    currency: str


def _to_decimal(number: str, scaled: bool) -> Decimal | None:
    """Turn '1,500', '1 500', '1.500,50', '1 500,50' or '2.5' into a Decimal, or None if the
    grouping is odd."""
    number = number.replace("’", "'")
    marks = [c for c in number if c in ".,"]
    decimal_mark: str | None = None
    if "." in marks and "," in marks:
        decimal_mark = marks[-1]
    elif marks:
        mark = marks[0]
        whole, tail = number.rsplit(mark, 1)
        # Three digits after a lone mark group thousands (`1,500`), unless the thousands are
        # already grouped by spaces (`1 234,567`, as French is written).
        spaced = " " in whole or "'" in whole
        if len(marks) == 1 and not (len(tail) == 3 and not scaled and not spaced):
            decimal_mark = mark
    if decimal_mark is not None:
        whole, fraction = number.rsplit(decimal_mark, 1)
        if not fraction.isdigit():
            return None
    else:
        whole, fraction = number, ""
    groups = re.split(r"[.,' ]", whole)
    if any(not g.isdigit() for g in groups) or any(len(g) != 3 for g in groups[1:]):
        return None
    if len(groups) > 1 and not 1 <= len(groups[0]) <= 3:
        return None
    try:
        return Decimal("".join(groups) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        return None


def _currency_of(words: str, after: bool = False) -> str | None:
    """The ISO code named by the text around an amount (`after` it: `e` counts); '' if none;
    LOCAL_MONEY for slang (`balles`); None if not a currency."""
    token = _SPACES.sub("", words.lower())
    if not token:
        return ""
    if token in CURRENCY_ALIASES:
        return CURRENCY_ALIASES[token]
    if after and token in slang.AFTER_AMOUNT_ALIASES:
        return slang.AFTER_AMOUNT_ALIASES[token]
    if after and token in slang.LOCAL_MONEY_WORDS:
        return slang.LOCAL_MONEY
    if re.fullmatch(r"[a-z]{3}", token) and token.upper() in CURRENCY_ALIASES.values():
        return token.upper()
    return None


class _Money(NamedTuple):
    amount: Decimal
    currency: str  # the ISO code written beside the amount, "" if none
    negative: bool


def _read_money(text: str) -> _Money:
    """One amount, with the currency written around it if any. Raises BudgetError."""
    cleaned = _SPACES.sub(" ", slang.spelled_out(text).strip())
    matches = list(_AMOUNT.finditer(cleaned))
    if len(matches) != 1 or len(cleaned) > 60:
        raise BudgetError(BudgetProblem.UNREADABLE)
    match = matches[0]
    before, after = cleaned[: match.start()].replace("’", "'"), cleaned[match.end() :]
    negative = bool(_MINUS.search(before))
    before = _FILLER.sub(" ", _MINUS.sub("", before).replace("+", ""))
    after = _FILLER.sub(" ", after)
    named = [c for c in (_currency_of(before), _currency_of(after, True)) if c != ""]
    found = [c for c in named if c is not None]
    if len(found) < len(named):  # a word beside the amount that is not a currency
        leftover = (before + after).strip()
        if re.fullmatch(r"[A-Za-z]{3}", leftover):
            raise BudgetError(BudgetProblem.UNKNOWN_CURRENCY, leftover.upper())
        raise BudgetError(BudgetProblem.UNREADABLE)
    if len(found) > 1 and found[0] != found[1]:
        raise BudgetError(BudgetProblem.UNREADABLE)
    scale_word = (match.group("scale") or "").lower()
    value = _to_decimal(match.group("number").strip(), scaled=bool(scale_word))
    if value is None:
        raise BudgetError(BudgetProblem.UNREADABLE)
    currency = "" if not found or found[0] == slang.LOCAL_MONEY else found[0]
    return _Money(value * _SCALES.get(scale_word, 1), currency, negative)


@dataclass(frozen=True)
class Amount:
    """An amount written in a sentence: as written, with the currency sign or word beside it
    (`500 euros`, `€2k`, `500 balles`); the ISO code of that currency ("" if none,
    LOCAL_MONEY for slang: the deployment's currency); where it starts."""

    text: str
    currency: str
    start: int


# Punctuation around a currency sign or word: `(€500)`, `500€,`.
_AROUND = "()[]{}<>:;,.!?\"'“”«»"


def _beside(word: str, before: bool, next_word: str = "") -> tuple[str, str]:
    """A word written against an amount, and its currency code; ("", "") if not a currency.
    Before an amount, a word counts only as a sign or in capitals (`$`, `€`, `CAD`): `try 2`
    is a verb, not Turkish lira; after one, `e` is an ordinal before `arrondissement`…"""
    word = word.strip(_AROUND)
    if not word or (before and word.isalpha() and not word.isupper()):
        return ("", "")
    if word.lower() == "e" and next_word.lower().strip(_AROUND) in slang.ORDINAL_NOUNS:
        return ("", "")
    code = _currency_of(word, not before)
    return (word, code) if code else ("", "")


def amounts_in(text: str) -> list[Amount]:
    """Each amount in a sentence, with the currency written right before or after it:
    `budget 500 euros for 20 candles` → `500 euros` (EUR) and `20` (none)."""
    amounts: list[Amount] = []
    text = slang.spelled_out(text.translate(_GROUPING_SPACES))
    for match in _AMOUNT.finditer(text):
        before = text[: match.start()].split()
        after = text[match.end() :].split(maxsplit=2)
        sign_before, code_before = _beside(before[-1], True) if before else ("", "")
        next_word = after[1] if len(after) > 1 else ""
        sign_after, code_after = _beside(after[0], False, next_word) if after else ("", "")
        written = " ".join(w for w in (sign_before, match.group(0).strip(), sign_after) if w)
        amounts.append(Amount(written, code_before or code_after, match.start()))
    return amounts


def parse_budget(text: str, currency: str) -> Budget:
    """Read a budget such as `800`, `1 500 €`, `€2k`, `2.5k`, `about 2000 euros`, `$3,000`,
    `CAD 900`, `500e`, `500 balles` or `mille euros`.

    `currency` is the deployment's currency: an amount in any other one is refused,
    never converted.
    """
    money = _read_money(text)
    if money.currency and money.currency != currency.upper():
        raise BudgetError(BudgetProblem.WRONG_CURRENCY, money.currency)
    if money.negative or money.amount <= 0:
        raise BudgetError(BudgetProblem.NOT_POSITIVE)
    if money.amount > MAX_BUDGET:
        raise BudgetError(BudgetProblem.TOO_LARGE)
    cents = int((money.amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if cents <= 0:
        raise BudgetError(BudgetProblem.NOT_POSITIVE)
    return Budget(cents=cents, currency=currency.upper())


def _plain_amount(text: str) -> Decimal | None:
    """The amount in `text` alone (`24000`, `24,000`, `24 000`, `24k`, `1.2M`), or None."""
    cleaned = _SPACES.sub(" ", str(text).strip()).lower()
    if cleaned.isascii() and cleaned.isdigit():
        return Decimal(cleaned)
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        return None
    scale_word = (match.group("scale") or "").lower()
    value = _to_decimal(match.group("number").strip(), scaled=bool(scale_word))
    return None if value is None else value * _SCALES.get(scale_word, 1)


def parse_count(text: str, limit: int = MAX_COUNT) -> int:
    """Read a follower count: `24000`, `24,000`, `24 000`, `24k`, `1.2M`. Raises ValueError
    (TooLarge over `limit`)."""
    count = _plain_amount(text)
    if count is None:
        raise ValueError(f"not a number: {text!r}")
    if count != count.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    if count > limit:
        raise TooLarge(limit)
    return int(count)


def parse_percent(text: str) -> float:
    """Read a percentage such as `3.2`, `3,2` or `3.2%`. Raises ValueError."""
    cleaned = str(text).strip().rstrip("%").strip().replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        raise ValueError(f"not a percentage: {text!r}")
    return float(cleaned)


def parse_price(text: str, currency: str) -> int:
    """Read an amount of zero or more into cents: `350`, `1,200`, `349.99`, `1.2k`, `€350`,
    `350 EUR`. An amount marked in another currency than `currency` raises BudgetError
    (WRONG_CURRENCY, the only BudgetError raised here); one over MAX_BUDGET, TooLarge (its
    limit in cents); anything else unreadable, ValueError."""
    value = _plain_amount(text)
    if value is None:
        try:
            money = _read_money(str(text))
        except BudgetError:
            raise ValueError(f"not a price: {text!r}") from None
        if money.currency and money.currency != currency.upper():
            raise BudgetError(BudgetProblem.WRONG_CURRENCY, money.currency)
        if money.negative:
            raise ValueError(f"not a price of zero or more: {text!r}")
        value = money.amount
    cents = int((value * 100).quantize(Decimal(1), ROUND_HALF_UP))
    if cents > MAX_CENTS:
        raise TooLarge(MAX_CENTS)
    return cents


# What people type to leave an optional answer out (a platform, a result they don't know).
SKIP_WORDS = frozenset(
    {"skip", "-", "?", "none", "n/a", "any", "all", "any platform", "don't know", "dont know"}
    | {"no idea", "not sure", "dunno", "idk", "i don't know", "i dont know", "unknown"}
    | {"any platforms", "all platforms", "no preference", "either", "whatever"}
    | {"passer", "aucun", "aucune", "peu importe", "je ne sais pas", "je sais pas", "sais pas"}
    | {"toutes plateformes", "toutes les plateformes", "n'importe laquelle", "pas de préférence"}
    | {"aucune idée", "aucune idee", "pas d'idée", "pas d'idee", "jsp"}
)


def is_skip(text: str) -> bool:
    """Whether `text` says "no answer" (`skip`, `-`, `?`, `any`, `passer`, `no idea!`…)."""
    words = " ".join(text.lower().replace("’", "'").split())
    return words in SKIP_WORDS or words.rstrip(" .!?…") in SKIP_WORDS


def margin_of(text: str, basket_cents: int | None, currency: str) -> float | None:
    """A margin in %: typed as one (`40`, `40%`), or as money per sale (`€15`, `15 euros`),
    the same share of the basket given. None when it can't be read (money, no basket)."""
    try:
        return parse_percent(text)
    except ValueError:
        pass
    try:
        cents = parse_price(text, currency)
    except (ValueError, BudgetError):
        return None
    return cents * 100 / basket_cents if basket_cents else None
