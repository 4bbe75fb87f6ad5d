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
from knowledge.reading.result_words import (
    DID,
    FILLERS,
    HEDGES,
    MONEY_NAMES,
    MONEY_WORDS,
    PEOPLE,
    PREAMBLE,
    RESULT_FIELDS,
    RESULT_WORDS,
    SPENT_BEFORE,
    ZERO,
)
from knowledge.writing import i18n
from knowledge.writing.i18n import N_, _

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


_TOKEN = re.compile(
    r"(?P<number>\d(?:[\d.,'’]|[ \u00a0\u202f](?=\d{3}(?!\d)))*"
    r"(?:\s*(?:thousand|mille|millions?|k)(?![^\W\d_]))?)"
    r"|(?P<word>[^\W\d_]+)|(?P<sign>[€$£])",
    re.IGNORECASE,
)
# Clauses: `;`, a new line, a comma not inside a figure (`1,160`), a full stop before a space,
# `/` or `|`, and `and` / `et` between two parts.
_CLAUSES = re.compile(r"[;\n/|]+|,(?!\d)|\.\s|\s(?:and|et)\s", re.IGNORECASE)


def _word_field(word: str) -> str | None:
    if word.lower() == "ça":  # « ça a touché… », not `CA` (chiffre d'affaires)
        return None
    plain = ascii_fold(word)
    return RESULT_WORDS.get(plain) or RESULT_WORDS.get(plain.removesuffix("s"))


def _field_of(tokens: list[tuple[str, str]], j: int, money: bool) -> str | None:
    """The field the word at `j` names for a figure beside it (`money`: written with a
    currency): an amount beside a sales word is what they brought in (`180 € in sales`);
    people who bought are sales (`5 people bought`)."""
    word = ascii_fold(tokens[j][1])
    field = _word_field(tokens[j][1])
    if field is None and money:
        field = MONEY_WORDS.get(word)
    if word in PEOPLE:
        following = [ascii_fold(t) for kind, t in tokens[j + 1 : j + 3] if kind == "word"]
        field = next((DID[w] for w in following if w in DID), field)
    if money and field == "conversions":
        return "revenue_cents"
    return field


def _worded(clause: str) -> list[tuple[str, str | None, bool]]:
    """The figures of one clause: (as written, with its currency; the field the words beside
    it name, or None; whether it is money after `for`, the spend unless the message says the
    spend elsewhere)."""
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(ZERO.sub("0", clause))]
    # A clause that starts with a word naming a figure names each figure before it
    # (`ventes 12 dépensé 1160`); else after it first (`12 ventes, 3 clics`).
    word_first = bool(tokens) and tokens[0][0] == "word" and bool(_word_field(tokens[0][1]))
    used: set[int] = set()
    found = []
    for i, (kind, text) in enumerate(tokens):
        if kind != "number":
            continue
        after = [j for j in range(i + 1, len(tokens)) if tokens[j][0] != "sign"][:1]
        before: list[int] = []
        for j in range(i - 1, -1, -1):
            if tokens[j][0] == "number":
                break
            if not (before == [] and ascii_fold(tokens[j][1]) in HEDGES):
                before.append(j)
        # The currency written beside it, kept with it (so `$700` is not taken for euros).
        signs = [tokens[j][1] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
        currency = [t for t in signs if t in "€$£"] + [
            tokens[j][1]
            for j in after
            if tokens[j][0] == "word" and ascii_fold(tokens[j][1]) in MONEY_NAMES
        ]
        words_after = _words_after(tokens, i)
        near = before + words_after if word_first else words_after + before
        money = bool(currency)
        named = [j for j in near if j not in used and _field_of(tokens, j, money)]
        written = f"{text} {currency[0]}" if currency else text
        word_before = [tokens[j][1] for j in before if tokens[j][0] != "sign"][:1]
        spent = money and any(ascii_fold(w) in SPENT_BEFORE for w in word_before)
        sold_for = money and bool(before) and _word_field(tokens[before[0]][1]) == "conversions"
        if named:
            used.add(named[0])
            found.append((written, _field_of(tokens, named[0], money), False))
        elif sold_for:  # `4 sales = 310 €`
            found.append((written, "revenue_cents", False))
        else:
            found.append((written, "spent_cents" if spent else None, spent))
    return found


def _words_after(tokens: list[tuple[str, str]], i: int) -> list[int]:
    """The two words after the figure at `i` that may name it, before the next figure:
    currency signs and words and fillers (`de`, `of`) skipped (`310 link clicks`,
    `890 € de chiffre`)."""
    words: list[int] = []
    for j in range(i + 1, len(tokens)):
        kind, text = tokens[j]
        if kind == "number" or len(words) == 2:
            break
        plain = ascii_fold(text)
        if kind == "word" and plain not in FILLERS and plain not in MONEY_NAMES:
            words.append(j)
    return words


def is_worded_results(text: str) -> bool:
    """Whether `text` starts with a figure a word beside it names (`sales 12, spent 1160`,
    `12 ventes pour 1 160 €`, `890 € de chiffre`), after a greeting if any (`Hi, the video
    reached 45 000 people`): results typed in words. A brief's `1500 euros to spend` is not."""
    for clause in _CLAUSES.split(text.strip()):
        tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(clause or "")]
        if not any(kind == "number" for kind, _t in tokens):
            if all(ascii_fold(t) in PREAMBLE for kind, t in tokens if kind == "word"):
                continue
            return False
        return any(
            _named_beside(tokens, i) for i, (kind, _t) in enumerate(tokens) if kind == "number"
        )
    return False


def _named_beside(tokens: list[tuple[str, str]], i: int) -> bool:
    money = any(
        t in "€$£" or ascii_fold(t) in MONEY_NAMES for _k, t in tokens[max(0, i - 1) : i + 2]
    )
    beside = (*_word_before(tokens, i), *_words_after(tokens, i)[:1])
    return any(_field_of(tokens, j, money) for j in beside)


def _word_before(tokens: list[tuple[str, str]], i: int) -> list[int]:
    """The word right before the figure at `i` that may name it: signs, pronouns and hedges
    skipped (`spent €150`, `cost me 600`)."""
    for j in range(i - 1, -1, -1):
        kind, text = tokens[j]
        if kind == "number":
            return []
        if kind == "word" and ascii_fold(text) not in HEDGES:
            return [j]
    return []


def parse_worded_results(text: str, currency: str) -> dict[str, int]:
    """`sales 12, revenue 150, spent 1160`, `sold 3 boxes so far, spent 680`, `about 9
    thousand people reached`, `12 ventes pour 1 160 €` → stored fields; a figure no word
    names is a problem, with an example of what to type. Likes, comments and shares add up
    to the engagements."""
    values: dict[str, int] = {}
    problems: list[str] = []
    figures = [figure for clause in _CLAUSES.split(text) for figure in _worded(clause or "")]
    spend_named = any(field == "spent_cents" and not spent for _w, field, spent in figures)
    for written, field, spent in figures:
        if spent and spend_named:
            field = "revenue_cents"
        if field is None:
            problems.append(
                _("I couldn't tell what “%(text)s” counts. Type results like: %(example)s")
                % {"text": written.strip()[:30], "example": _(EXAMPLE)}
            )
            continue
        before = values.get(field)
        _read_value(field, field.removesuffix("_cents"), written, currency, values, problems)
        if field == "engagements" and before is not None and field in values:
            values[field] += before
    if problems:
        raise ResultsInvalid(problems)
    return values


def parse_results(text: str, currency: str) -> dict[str, int]:
    """`reach=12000 sales=35 spent=700` or `portée=12 000 ventes=35 dépensé=700 €` → stored
    fields; every problem named in plain words, with an example of what to type. Results in
    words (no `key=`) are read by `parse_worded_results`."""
    if not _PAIR.search(text) and is_worded_results(text):
        return parse_worded_results(text, currency)
    try:
        return _parse_pairs(text, currency)
    except ResultsInvalid as pairs_problem:
        # Words around a colon or an equals sign (`Hi, results: the video reached 45 000
        # people`, `4 sales = 310 €`): read as results in words when that reads every figure
        # and more of them than the pairs (`reach=1200 lots of sales` stays refused).
        if is_worded_results(text):
            try:
                worded = parse_worded_results(text, currency)
            except ResultsInvalid:
                raise pairs_problem from None
            if len(worded) > len(_PAIR.findall(text)):
                return worded
        raise


def _parse_pairs(text: str, currency: str) -> dict[str, int]:
    pairs = _PAIR.findall(text)
    leftover = " ".join(re.sub(r"[/|]", " ", _PAIR.sub(" ", text)).split())
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
