"""Results per creator at a check-in: one line per creator, named by their handle or promo
code (`@anna 12 sales 3400 reach`, `BAKERY-ANNA10: ventes=12`), or a shop's export of its
discount codes (a CSV whose columns are named as in Shopify's: `Discount code` or `Code`,
`Orders` or `Total orders`, `Total sales`).

Every creator read without a problem is kept; a handle or code that is not the campaign's,
or a creator named twice, is a problem said in plain words (the twice-named creator's
figures are not kept: which of them is right is the owner's to say). A shop's file holds
its other discount codes too: those are left aside and listed, not refused.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.reading.csv_cells import header_key
from knowledge.reading.parsing import parse_count, parse_price
from knowledge.reading.results import ResultsInvalid, parse_results
from knowledge.writing.i18n import _

# A line's first word: a handle, or a promo code (words joined by hyphens, one with a digit).
_LEAD = re.compile(r"^\s*(@[\w.]+|(?=[\w-]*\d)\w+(?:-\w+)+)\s*[:,;—–-]?\s*(.*)$", re.S)
# A shop's discount export, its columns as Shopify names them (header_key forms): the first
# found of each is read.
CODE_COLUMNS = ("discount_code", "code")
ORDER_COLUMNS = ("orders", "total_orders")
SALES_COLUMNS = ("total_sales",)


@dataclass(frozen=True)
class Named:
    """A creator of the campaign, as the owner may name them."""

    id: int
    handle: str
    promo_code: str | None


@dataclass
class PerCreator:
    """What was read: figures per creator id, the problems, and (a file) the columns read
    as (field, the file's own header) and the codes left aside."""

    values: dict[int, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)
    left_aside: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return text.strip().lstrip("@").casefold()


def _finder(creators: Sequence[Named]) -> dict[str, int]:
    """Each creator by handle (without @) and promo code, case forgiven."""
    found: dict[str, int] = {}
    for c in creators:
        found[_key(c.handle)] = c.id
        if c.promo_code:
            found[_key(c.promo_code)] = c.id
    return found


def is_per_creator(text: str) -> bool:
    """Whether every line of `text` starts with a handle or a promo code, then a figure."""
    lines = [line for line in text.splitlines() if line.strip()]
    leads = [_LEAD.match(line) for line in lines]
    return bool(lines) and all(
        lead is not None and any(ch.isdigit() for ch in lead.group(2)) for lead in leads
    )


def _keep(read: PerCreator, twice: set[int], seen: dict[int, str], who: str, id_: int) -> bool:
    """Note a creator named; False (and a problem, once) when they were named before."""
    if id_ in seen:
        if id_ not in twice:
            read.problems.append(
                _("%(first)s and %(second)s are the same creator, given twice: give them once.")
                % {"first": seen[id_], "second": who}
            )
        twice.add(id_)
        return False
    seen[id_] = who
    return True


def read_lines(text: str, creators: Sequence[Named], currency: str) -> PerCreator:
    """One line per creator: `@anna 12 sales 3400 reach`, `BAKERY-ANNA10 ventes=12`."""
    found, read = _finder(creators), PerCreator()
    seen: dict[int, str] = {}
    twice: set[int] = set()
    for line in (line for line in text.splitlines() if line.strip()):
        lead = _LEAD.match(line)
        if lead is None:
            read.problems.append(
                _("“%(line)s” names no creator: start it with their @handle or promo code.")
                % {"line": line.strip()[:40]}
            )
            continue
        who, rest = lead.group(1), lead.group(2)
        id_ = found.get(_key(who))
        if id_ is None:
            read.problems.append(
                _("%(who)s is not a creator of this campaign.") % {"who": who[:40]}
            )
            continue
        if not _keep(read, twice, seen, who, id_):
            continue
        try:
            read.values[id_] = parse_results(rest, currency)
        except ResultsInvalid as exc:
            read.problems += [f"{who}: {problem}" for problem in exc.problems]
    for id_ in twice:
        read.values.pop(id_, None)
    return read


def _column(header: list[str], wanted: Sequence[str]) -> int | None:
    keys = [header_key(cell) for cell in header]
    return next((keys.index(k) for k in wanted if k in keys), None)


def _rows(text: str) -> list[list[str]]:
    """The file's rows, its delimiter (`,`, `;` or a tab) told from its first line."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]


def read_codes_file(text: str, creators: Sequence[Named], currency: str) -> PerCreator:
    """A shop's discount codes export: orders (sales) and total sales (revenue) per code."""
    read = PerCreator()
    rows = _rows(text)
    header = rows[0] if rows else []
    code = _column(header, CODE_COLUMNS)
    figures = [
        (name, index)
        for name, index in (
            ("conversions", _column(header, ORDER_COLUMNS)),
            ("revenue_cents", _column(header, SALES_COLUMNS)),
        )
        if index is not None
    ]
    if code is None or not figures:
        read.problems.append(
            _(
                "I couldn't find the columns: a discount codes file needs a “Discount code” "
                "(or “Code”) column, and “Orders” (or “Total orders”) or “Total sales”."
            )
        )
        return read
    read.columns = [("code", header[code]), *((name, header[i]) for name, i in figures)]
    found = _finder(creators)
    seen: dict[int, str] = {}
    twice: set[int] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        given = cells[code].strip()
        id_ = found.get(_key(given)) if given else None
        if id_ is None:
            if given:
                read.left_aside.append(given[:40])
            continue
        if _keep(read, twice, seen, given, id_):
            read.values[id_] = _figures(read, number, given, cells, figures, currency)
    for id_ in twice:
        read.values.pop(id_, None)
    return read


def _figures(
    read: PerCreator,
    number: int,
    code: str,
    cells: list[str],
    figures: list[tuple[str, int]],
    currency: str,
) -> dict[str, int]:
    values: dict[str, int] = {}
    for name, index in figures:
        cell = cells[index].strip()
        if not cell:
            continue
        try:
            values[name] = (
                parse_price(cell, currency) if name == "revenue_cents" else parse_count(cell)
            )
        except ValueError:
            read.problems.append(
                _("Line %(line)s (%(code)s): “%(value)s” is not a figure I can read.")
                % {"line": number, "code": code, "value": cell[:30]}
            )
    return values
