"""CSV files that spreadsheets open safely: no cell runs as a formula, and no cell is split
or spills into a new row, whatever separator the spreadsheet uses."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

GUARD = "'"
# A formula trigger at the start of a cell or after a separator or line break (where a
# spreadsheet may start a cell), behind any guards already there: guarding adds one, reading
# back drops one, so any text survives the round trip.
_TRIGGER = re.compile(r"(?:^|(?<=[,;\t\r\n]))('*[=+\-@\t\r])")
_GUARDED = re.compile(r"(?:^|(?<=[,;\t\r\n]))'('*[=+\-@\t\r])")
# Cells holding any of these are quoted, so that every spreadsheet reads them as one cell.
_NEEDS_QUOTES = re.compile(r'[,;\t\r\n"]')


def safe_cell(value: str) -> str:
    """`value` with a guard quote before a formula trigger at its start, and before one
    following a separator or line break inside it."""
    return _TRIGGER.sub(rf"{GUARD}\1", value)


def unguard(value: str) -> str:
    """Undo `safe_cell` (an import reads back what an export wrote)."""
    return _GUARDED.sub(r"\1", value)


def _quoted(cell: str) -> str:
    if _NEEDS_QUOTES.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_lines(rows: Iterable[Sequence[object]]) -> Iterable[str]:
    """Each row as one CSV line (comma-separated, LF-terminated): text cells made safe, and
    any cell holding a comma, semicolon, tab, line break or quote quoted."""
    for row in rows:
        cells = [safe_cell(v) if isinstance(v, str) else "" if v is None else str(v) for v in row]
        yield ",".join(_quoted(c) for c in cells) + "\n"


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.writelines(csv_lines(rows))
    return out.getvalue()


def read_back(text: str) -> list[list[str]]:
    """Rows of a CSV written by `csv_lines`, cells unguarded (for tests and imports)."""
    return [[unguard(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
