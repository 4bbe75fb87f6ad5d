"""Results as owners report them at a check-in: `reach=12000 sales=35 spent=700` or
`portée=12 000 ventes=35 dépensé=700 €`, read into the fields they are stored in, with every
problem named in plain words."""

from __future__ import annotations

import re

from knowledge.reading.matching import ascii_fold
from knowledge.reading.parsing import (
    CURRENCY_ALIASES,
    BudgetError,
    TooLarge,
    parse_count,
    parse_price,
)
from knowledge.writing import i18n
from knowledge.writing.i18n import N_, _

# Results people report: the name they type, in English or French without accents (`dépensé`
# is read as `depense`) → the field it is stored in.
RESULT_FIELDS = {
    "reach": "reach",
    "views": "reach",
    "impressions": "reach",
    "engagements": "engagements",
    "engagement": "engagements",
    "likes": "engagements",
    "clicks": "clicks",
    "click": "clicks",
    "visits": "clicks",
    "sales": "conversions",
    "conversions": "conversions",
    "orders": "conversions",
    "signups": "conversions",
    "revenue": "revenue_cents",
    "turnover": "revenue_cents",
    "spent": "spent_cents",
    "spend": "spent_cents",
    "cost": "spent_cents",
    "portee": "reach",
    "vues": "reach",
    "interactions": "engagements",
    "clics": "clicks",
    "clic": "clicks",
    "visites": "clicks",
    "ventes": "conversions",
    "commandes": "conversions",
    "inscriptions": "conversions",
    "ca": "revenue_cents",
    "chiffre_d_affaires": "revenue_cents",
    "revenus": "revenue_cents",
    "depense": "spent_cents",
    "depenses": "spent_cents",
    "cout": "spent_cents",
}


RESULT_ORDER = ("reach", "engagements", "clicks", "conversions", "revenue_cents", "spent_cents")


MONEY = {"revenue_cents", "spent_cents"}


# `key=value`: a key is letters (accented ones too: `portée=`) or `_`; a value, one word, with
# its thousands groups (`12 000`, `1 500,50`) and its currency (`800 €`) if written apart.
_PAIR = re.compile(
    r"([^\W\d]+)\s*[=:]\s*(\S+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:(?<=\d{3})[.,]\d+)?"
    r"(?:\s*(?:"
    + "|".join(re.escape(c) for c in sorted(CURRENCY_ALIASES, key=len, reverse=True))
    + r")(?!\w)(?!\s*[=:]))?)",
    re.IGNORECASE,
)


# Results as people type them, shown when a line can't be read (in the reader's language).
EXAMPLE = N_("1,200 people reached, 3 sales")


class ResultsInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_result_value(field: str, text: str, currency: str) -> int:
    """One reported figure: a count (`12000`, `12k`) or an amount of money in `currency`
    (cents; `700`, `€700`), also in words (`about 9 thousand`, `environ 15 000`, `12
    ventes` at the sales question). Raises ValueError saying what is wrong with it."""
    cleaned = text.strip()
    example = "700" if field in MONEY else "35"
    not_a_figure = ValueError(
        _("must be a number of zero or more, like %(example)s") % {"example": example}
    )
    if cleaned.startswith("-"):
        raise not_a_figure
    try:
        return parse_price(cleaned, currency) if field in MONEY else parse_count(cleaned)
    except BudgetError as exc:
        raise ValueError(
            _("is in %(currency)s: amounts here are in %(ours)s, like %(example)s")
            % {"currency": exc.currency, "ours": currency.upper(), "example": example}
        ) from None
    except TooLarge as exc:
        limit = i18n.money(exc.limit, currency) if field in MONEY else i18n.number(exc.limit)
        raise ValueError(_("is more than %(limit)s") % {"limit": limit}) from None
    except ValueError:
        # In words: the one figure of the text, if no word names another field.
        figures = [figure for clause in _CLAUSES.split(cleaned) for figure in _worded(clause)]
        if len(figures) == 1 and figures[0][1] in (None, field) and figures[0][0] != cleaned:
            return parse_result_value(field, figures[0][0], currency)
        raise not_a_figure from None


_FIRST_KEY = re.compile(r"^\s*([^\W\d]+)\s*[=:]")


def is_results_line(text: str) -> bool:
    """Whether `text` starts as a line of results does (`reach=…`, `portée : …`), and not as
    another form's `key=value` words (`goal=…`, `country=…`)."""
    first = _FIRST_KEY.match(text)
    if first is not None:
        return ascii_fold(first.group(1)) in RESULT_FIELDS
    return is_worded_results(text)


def _read_value(
    field: str, key: str, raw: str, currency: str, values: dict[str, int], problems: list[str]
) -> None:
    """One figure into `values`, or what is wrong with it (named by `key`) into `problems`."""
    try:
        values[field] = parse_result_value(field, raw, currency)
    except ValueError as exc:
        problems.append(
            _("%(key)s “%(value)s” %(problem)s") % {"key": key, "value": raw[:30], "problem": exc}
        )


def value_problem(text: str, problem: object) -> str:
    """What is wrong with one figure typed at its own question: `“abc” must be a number…`."""
    return _("“%(value)s” %(problem)s") % {"value": text[:30], "problem": problem}


# Results in words: the word beside a figure names it (`sales 12`, `12 ventes`, `sold 3
# boxes`, `spent 680`); more words than the `key=` ones, verbs included.
RESULT_WORDS = {
    **{key.replace("_", " "): field for key, field in RESULT_FIELDS.items()},
    "sold": "conversions",
    "sale": "conversions",
    "order": "conversions",
    "vendu": "conversions",
    "vendus": "conversions",
    "vente": "conversions",
    "commande": "conversions",
    "reached": "reach",
    "view": "reach",
    "vue": "reach",
    "personnes": "reach",
    "people": "reach",
    "like": "engagements",
    "comments": "engagements",
    "visit": "clicks",
    "visite": "clicks",
    "paid": "spent_cents",
    "paye": "spent_cents",
    "earned": "revenue_cents",
    "revenu": "revenue_cents",
    "chiffre": "revenue_cents",
    "affaires": "revenue_cents",
    "engagement": "engagements",
    "commentaire": "engagements",
    "share": "engagements",
    "partage": "engagements",
}
# Before an amount of money, a word that makes it the spend (`12 ventes pour 1 160 €`).
SPENT_BEFORE = frozenset({"for", "pour"})
_TOKEN = re.compile(
    r"(?P<number>\d(?:[\d.,'’]|[ \u00a0\u202f](?=\d{3}(?!\d)))*"
    r"(?:\s*(?:thousand|mille|millions?|k)(?![^\W\d_]))?)"
    r"|(?P<word>[^\W\d_]+)|(?P<sign>[€$£])",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"[;\n]+|,(?!\d)")  # not the comma of `1,160`


def _word_field(word: str) -> str | None:
    plain = ascii_fold(word)
    return RESULT_WORDS.get(plain) or RESULT_WORDS.get(plain.removesuffix("s"))


def _worded(clause: str) -> list[tuple[str, str | None]]:
    """The figures of one clause: (as written, with its currency; the field the word beside
    it names, or the spend for money after `for`, or None)."""
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(clause)]
    # A clause that starts with a word naming a figure names each figure before it
    # (`ventes 12 dépensé 1160`); else after it first (`12 ventes, 3 clics`).
    word_first = bool(tokens) and tokens[0][0] == "word" and bool(_word_field(tokens[0][1]))
    used: set[int] = set()
    found = []
    for i, (kind, text) in enumerate(tokens):
        if kind != "number":
            continue
        after = [j for j in range(i + 1, len(tokens)) if tokens[j][0] != "sign"][:1]
        before = []
        for j in range(i - 1, -1, -1):
            if tokens[j][0] == "number":
                break
            before.append(j)
        words_after = [j for j in after if tokens[j][0] == "word"]
        near = before + words_after if word_first else words_after + before
        named = [j for j in near if j not in used and _word_field(tokens[j][1])]
        # The currency written beside it, kept with it (so `$700` is not taken for euros).
        signs = [tokens[j][1] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
        currency = [t for t in signs if t in "€$£"] + [
            tokens[j][1]
            for j in after
            if tokens[j][0] == "word" and ascii_fold(tokens[j][1]) in CURRENCY_ALIASES
        ]
        written = f"{text} {currency[0]}" if currency else text
        word_before = [tokens[j][1] for j in before if tokens[j][0] != "sign"][:1]
        spent = bool(currency) and any(ascii_fold(w) in SPENT_BEFORE for w in word_before)
        if named:
            used.add(named[0])
            found.append((written, _word_field(tokens[named[0]][1])))
        else:
            found.append((written, "spent_cents" if spent else None))
    return found


def is_worded_results(text: str) -> bool:
    """Whether `text` starts with a figure its word names (`sales 12, spent 1160`,
    `12 ventes pour 1 160 €`): results typed in words."""
    first = _CLAUSES.split(text.strip(), maxsplit=1)[0]
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(first) if m.lastgroup != "sign"]
    return any(
        kind == "number"
        and any(
            tokens[j][0] == "word" and _word_field(tokens[j][1])
            for j in (i - 1, i + 1)
            if 0 <= j < len(tokens)
        )
        for i, (kind, _text) in enumerate(tokens)
    )


def parse_worded_results(text: str, currency: str) -> dict[str, int]:
    """`sales 12, revenue 150, spent 1160`, `sold 3 boxes so far, spent 680`, `about 9
    thousand people reached`, `12 ventes pour 1 160 €` → stored fields; a figure no word
    names is a problem, with an example of what to type."""
    values: dict[str, int] = {}
    problems = []
    for clause in _CLAUSES.split(text):
        for written, field in _worded(clause):
            if field is None:
                problems.append(
                    _("I couldn't tell what “%(text)s” counts. Type results like: %(example)s")
                    % {"text": written.strip()[:30], "example": _(EXAMPLE)}
                )
                continue
            _read_value(field, field.removesuffix("_cents"), written, currency, values, problems)
    if problems:
        raise ResultsInvalid(problems)
    return values


def parse_results(text: str, currency: str) -> dict[str, int]:
    """`reach=12000 sales=35 spent=700` or `portée=12 000 ventes=35 dépensé=700 €` → stored
    fields; every problem named in plain words, with an example of what to type. Results in
    words (no `key=`) are read by `parse_worded_results`."""
    if not _PAIR.search(text) and is_worded_results(text):
        return parse_worded_results(text, currency)
    pairs = _PAIR.findall(text)
    leftover = " ".join(_PAIR.sub(" ", text).split())
    problems = []
    example = _(EXAMPLE)
    if leftover:
        problems.append(
            _("I couldn't read “%(text)s”. Type results like: %(example)s")
            % {"text": leftover[:30], "example": example}
        )
    values: dict[str, int] = {}
    for key, value in pairs:
        raw = value.rstrip(",;")  # `ventes : 40, dépensé : 800 €`: the list's own commas
        field = RESULT_FIELDS.get(ascii_fold(key))
        if field is None:
            problems.append(
                _(
                    "I don't know “%(key)s”: type reach, engagements, clicks, sales, revenue "
                    "or spent, like: %(example)s"
                )
                % {"key": key[:30], "example": example}
            )
            continue
        _read_value(field, key, raw, currency, values, problems)
    if problems:
        raise ResultsInvalid(problems)
    if not values:
        raise ResultsInvalid(
            [_("I found no results there. Type them like: %(example)s") % {"example": example}]
        )
    return values
