"""CSV files that spreadsheets open right and safely: the separator, decimal mark and BOM a
spreadsheet in the reader's language expects; no cell runs as a formula, and no cell is split
or spills into a new row, whatever separator the spreadsheet uses.

Formula guard: a `'` goes before a formula start only where the text after it could run
something. `=` always starts a formula, so it is always guarded (as are a tab or carriage
return, which hide what follows). After `+`, `-` or `@` nothing can run without a name and a
bracket (`@SUM(1)`, `=HYPERLINK(…)`), a pipe (`cmd|' /C calc'!A0`) or a sheet reference, so a
plain signed number or phone number (`-12,5`, `+33 6 12 34 56 78`) and a lone `@handle` are
left as they are: the reader sees no stray quote, and the worst a spreadsheet does with them
is read a number or a name it does not know. The rest of the cell, to its end, is what is
checked: a spreadsheet that does not split on a separator inside it sees all of it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GUARD = "'"
# Where a spreadsheet may start a cell: the start, or after a separator or line break.
_CELL_START = r"(?:^|(?<=[,;\t\r\n]))"
# A formula trigger at a cell start, behind any guards already there: guarding adds one,
# reading back drops one, so any text survives the round trip.
_TRIGGER = re.compile(_CELL_START + r"('*)([=+\-@\t\r])")
_GUARDED = re.compile(_CELL_START + r"'('*[=+\-@\t\r])")
# What may follow a trigger, to the end of the cell, without anything to run.
_HARMLESS = {
    "+": re.compile(r"[\d .,/()%+\-\u00a0\u202f]*"),
    "-": re.compile(r"[\d .,/()%+\-\u00a0\u202f]*"),
    "@": re.compile(r"[^\W_][\w.]*"),
}
# Cells holding any of these are quoted, so that every spreadsheet reads them as one cell.
_NEEDS_QUOTES = re.compile(r'[,;\t\r\n"]')
BOM = "\ufeff"


@dataclass(frozen=True)
class Layout:
    """How a spreadsheet reads a CSV: its separator, its decimal mark, and whether the file
    starts with a BOM (Excel reads accents right only with one)."""

    separator: str = ","
    decimal_mark: str = "."
    bom: bool = False


# For scripts and the command line: commas, dots, no BOM.
MACHINE = Layout()
# Excel, LibreOffice and Google Sheets in each language: French ones split on `;` and read
# `4,2` as a number.
LAYOUTS = {"en": Layout(",", ".", bom=True), "fr": Layout(";", ",", bom=True)}


def layout_for(language: str) -> Layout:
    return LAYOUTS.get(language, LAYOUTS["en"])


def _guard(match: re.Match[str]) -> str:
    quotes, trigger = match[1], match[2]
    rest = match.string[match.end() :]
    harmless = _HARMLESS.get(trigger)
    if not quotes and harmless is not None and harmless.fullmatch(rest):
        return match[0]
    return GUARD + match[0]


def safe_cell(value: str) -> str:
    """`value` with a guard quote before each formula start (at its start, or after a
    separator or line break inside it) that could run something, or that already has a
    guard-like quote before it."""
    return _TRIGGER.sub(_guard, value)


def unguard(value: str) -> str:
    """Undo `safe_cell` (an import reads back what an export wrote)."""
    return _GUARDED.sub(r"\1", value)


def number_text(value: float, layout: Layout = MACHINE) -> str:
    """`4.1` → `4.1` (`4,1` with a decimal comma), `350.0` → `350`: up to six decimals, none
    trailing, no grouping (every spreadsheet reads it as a number)."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", layout.decimal_mark)


def _cell(value: object, layout: Layout) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return number_text(value, layout)  # never holds the layout's separator
    cell = safe_cell(str(value))
    if _NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_lines(rows: Iterable[Sequence[object]], layout: Layout = MACHINE) -> Iterable[str]:
    """Each row as one CSV line (split by the layout's separator, LF-terminated): numbers
    with its decimal mark, unquoted; text cells made safe, and quoted when they hold a comma,
    semicolon, tab, line break or quote."""
    for row in rows:
        yield layout.separator.join(_cell(v, layout) for v in row) + "\n"


def csv_text(rows: Iterable[Sequence[object]], layout: Layout = MACHINE) -> str:
    out = io.StringIO()
    if layout.bom:
        out.write(BOM)
    out.writelines(csv_lines(rows, layout))
    return out.getvalue()


def read_back(text: str, layout: Layout = MACHINE) -> list[list[str]]:
    """Rows of a CSV written by `csv_lines`, cells unguarded (for tests and imports)."""
    reader = csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), delimiter=layout.separator)
    return [[unguard(c) for c in row] for row in reader]
