"""Roster CSV import (all-or-nothing, with its audit entry) and export (spreadsheet-safe,
re-importable); the checks an uploaded file goes through, for the chat and the CLI alike."""

from __future__ import annotations

import csv
import gc
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlmodel import Session

from knowledge.base import KnowledgeBase
from knowledge.files.roster_file import roster_labels, yes_no
from knowledge.files.spreadsheet import csv_lines, csv_text, layout_for, unguard
from knowledge.reading.roster_query import RosterQuery
from knowledge.writing.i18n import speaking
from knowledge.writing.replies import ImportProblemKind, ImportReply
from storage.admin import _record, _take_pending_import, save_pending_import
from storage.models import Influencer, InfluencerCreate, handle_key
from storage.roster import UpsertSummary, _upsert, iter_matching, niches_in_roster, plan_upsert
from storage.roster_rows import (
    COLUMNS,
    LOW_ENGAGEMENT_RATE,
    REQUIRED,
    FieldProblem,
    RowInvalid,
    column_name,
    header_row,
    header_words,
    row_fields,
    row_values,
)

MAX_REPORTED_PROBLEMS = 50
DELIMITERS = (",", ";", "\t")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CSV_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "application/csv",
        "application/vnd.ms-excel",
        "text/comma-separated-values",
    }
)
# How many column names a message about the header lists (a file may have thousands).
NAMED_COLUMNS = 5


class UploadRejected(ValueError):
    """A file refused before its rows are read: too big, not CSV, or not UTF-8."""

    def __init__(self, reason: ImportReply) -> None:
        super().__init__(reason.value)
        self.reason = reason


def upload_too_big(size: int | None, max_bytes: int | None = MAX_UPLOAD_BYTES) -> bool:
    return max_bytes is not None and (size or 0) > max_bytes


def read_upload(
    data: bytes, *, name: str, mime_type: str | None, max_bytes: int | None = MAX_UPLOAD_BYTES
) -> str:
    """The text of an uploaded roster file, or UploadRejected: larger than `max_bytes` (None:
    no limit), neither named .csv nor of a text or CSV type, not UTF-8 (a BOM is dropped),
    holding NUL characters, or without a header row of several columns."""
    if upload_too_big(len(data), max_bytes):
        raise UploadRejected(ImportReply.TOO_BIG)
    if not name.lower().endswith(".csv") and mime_type not in CSV_TYPES:
        raise UploadRejected(ImportReply.NOT_CSV)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRejected(ImportReply.NOT_UTF8) from None
    if "\x00" in text or not looks_like_csv(text):
        raise UploadRejected(ImportReply.NOT_CSV)
    return text


@dataclass(frozen=True)
class ImportProblem:
    """One reason a file is refused, as data: import_messages.html says it."""

    kind: ImportProblemKind
    line: int = 1
    columns: tuple[str, ...] = ()  # MISSING_COLUMNS, REPEATED_COLUMNS (as the file names them)
    cells: int = 0  # CELL_COUNT: the cells of the line, and how many the header has
    expected: int = 0
    field: FieldProblem | None = None  # FIELD
    platform: str = ""  # REPEATED_ROW: the row's platform and handle, and the line it repeats
    handle: str = ""
    first_line: int = 0
    detail: str = ""  # UNREADABLE: what the CSV reader said


class RosterRejected(ValueError):
    """The file was refused as a whole; `problems` say why, by line."""

    def __init__(self, problems: list[ImportProblem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        shown = "; ".join(f"line {p.line}: {p.kind}" for p in problems[:5])
        super().__init__(f"{self.total} problem(s): {shown}")


@dataclass
class ParsedRoster:
    items: list[dict[str, Any]]  # each row's checked values (see roster_rows.row_fields)
    ignored_columns: list[str] = field(default_factory=list)
    # Niches the import would bring into the roster (no active influencer has them yet, so
    # they would appear among every user's niche choices), with how many rows have each:
    # filled when the file is compared with the roster (preview_roster, import_roster).
    new_niches: dict[str, int] = field(default_factory=dict)
    # The lines whose engagement rate is under LOW_ENGAGEMENT_RATE: taken, but worth a look
    # (a fraction typed for a percentage reads as a tiny rate).
    low_rate_lines: list[int] = field(default_factory=list)


def some_of(names: list[str], shown: int = NAMED_COLUMNS) -> str:
    """A few names and how many more: `a, b, c and 99,997 more`."""
    head = ", ".join(names[:shown])
    rest = len(names) - shown
    return f"{head} and {rest:,} more" if rest > 0 else head


def _header_cells(text: str, delimiter: str) -> list[str]:
    """The first line's cells split by `delimiter` ([] when it can't be read as CSV)."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        return next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _delimiter(text: str) -> str:
    """The separator whose reading of the header row finds the most columns the import knows
    (the first on a tie): spreadsheets set to a locale with a decimal comma (French,
    German…) save CSV with `;` instead of `,`. A header missing a column is still split
    right, so the message names only the columns truly missing."""
    known = set(COLUMNS)
    found = [
        len(known.intersection(column_name(h) for h in _header_cells(text, delimiter)))
        for delimiter in DELIMITERS
    ]
    return DELIMITERS[found.index(max(found))]


def looks_like_csv(text: str) -> bool:
    """Whether the first line reads as a header of several columns, with any separator
    a roster CSV may use."""
    return any(len(_header_cells(text, delimiter)) > 1 for delimiter in DELIMITERS)


def parse_roster_csv(text: str, kb: KnowledgeBase, currency: str) -> ParsedRoster:
    """Check every row of a roster CSV; raise RosterRejected listing the problems by line."""
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text)
    # A `;` file comes from a spreadsheet that writes decimal commas (`1 250,50`).
    decimal_comma = delimiter == ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise RosterRejected([ImportProblem(ImportProblemKind.EMPTY)]) from None
    except csv.Error as exc:
        raise RosterRejected(
            [ImportProblem(ImportProblemKind.UNREADABLE, detail=str(exc))]
        ) from None
    names = [column_name(h) for h in header]
    _check_header(header, names)
    ignored = [h for h, n in zip(header, names, strict=True) if n not in COLUMNS]

    problems: list[ImportProblem] = []
    items: list[dict[str, Any]] = []
    low_rate_lines: list[int] = []
    seen: dict[tuple[str, str], int] = {}
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                problems.append(
                    ImportProblem(
                        ImportProblemKind.CELL_COUNT, start, cells=len(row), expected=len(names)
                    )
                )
                continue
            # The export's guards against formulas are dropped again (knowledge.files.spreadsheet).
            raw = {n: unguard(v) for n, v in zip(names, row, strict=True) if n in COLUMNS}
            try:
                item = row_fields(raw, kb, currency, decimal_comma)
            except RowInvalid as exc:
                problems.extend(
                    ImportProblem(ImportProblemKind.FIELD, start, field=p) for p in exc.problems
                )
                continue
            key = (item["platform"], handle_key(item["handle"]))
            if key in seen:
                repeated = ImportProblem(
                    ImportProblemKind.REPEATED_ROW,
                    start,
                    platform=key[0],
                    handle=item["handle"],
                    first_line=seen[key],
                )
                problems.append(repeated)
                continue
            seen[key] = start
            items.append(item)
            if item["engagement_rate"] < LOW_ENGAGEMENT_RATE:
                low_rate_lines.append(start)
    except csv.Error as exc:
        problems.append(
            ImportProblem(ImportProblemKind.UNREADABLE, reader.line_num, detail=str(exc))
        )
    if problems:
        raise RosterRejected(problems[:MAX_REPORTED_PROBLEMS], total=len(problems))
    if not items:
        raise RosterRejected([ImportProblem(ImportProblemKind.NO_ROWS, 0)])
    return ParsedRoster(items=items, ignored_columns=ignored, low_rate_lines=low_rate_lines)


def _check_header(header: list[str], names: list[str]) -> None:
    """RosterRejected when a required column is missing, or a column is there twice (in
    one language or in both: `followers` and `abonnés`)."""
    counts = Counter(names)
    labels = roster_labels()  # named as the export in the reader's language names them
    missing = tuple(labels[c] for c in REQUIRED if c not in counts)
    repeated = tuple(
        " / ".join(
            dict.fromkeys(h.strip() for h, n in zip(header, names, strict=True) if n == name)
        )
        for name in sorted(n for n, count in counts.items() if n and count > 1)
    )
    problems = []
    if missing:
        problems.append(ImportProblem(ImportProblemKind.MISSING_COLUMNS, columns=missing))
    if repeated:
        problems.append(ImportProblem(ImportProblemKind.REPEATED_COLUMNS, columns=repeated))
    if problems:
        raise RosterRejected(problems)


def _note_new_niches(session: Session, parsed: ParsedRoster) -> None:
    """Fill `parsed.new_niches`: the niches of its rows that no active influencer has (an
    import would add them to every user's niche buttons)."""
    known = set(niches_in_roster(session=session))
    counted = Counter(n for item in parsed.items for n in item["niches"] if n not in known)
    parsed.new_niches = dict(sorted(counted.items()))


def import_roster(
    *, session: Session, text: str, kb: KnowledgeBase, currency: str, actor_id: int, source: str
) -> tuple[UpsertSummary, ParsedRoster]:
    """Parse then upsert, with the audit entry (`actor_id` imported `source`), in one
    transaction: any problem leaves the database untouched."""
    with cyclic_gc_paused():
        parsed = parse_roster_csv(text, kb, currency)
        try:
            _note_new_niches(session, parsed)
            summary = _upsert(session, parsed.items, kb)
            _audit_import(session, actor_id, source, summary)
            session.commit()
        except Exception:
            session.rollback()
            raise
    return summary, parsed


def _audit_import(session: Session, actor_id: int, source: str, summary: UpsertSummary) -> None:
    _record(
        session=session,
        actor_id=actor_id,
        action="import",
        summary=f"{source}: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged",
    )


@dataclass(frozen=True)
class StagedImport:
    """A checked file kept until its Confirm, and what it would do."""

    pending_id: int
    summary: UpsertSummary
    parsed: ParsedRoster


def stage_import(
    *, session: Session, admin_id: int, file_name: str, text: str, kb: KnowledgeBase, currency: str
) -> StagedImport:
    """Check every row and keep the file for Confirm (RosterRejected when it would be
    refused); committed."""
    summary, parsed = preview_roster(session=session, text=text, kb=kb, currency=currency)
    pending_id = save_pending_import(
        session=session, admin_id=admin_id, file_name=file_name, content=text
    )
    return StagedImport(pending_id, summary, parsed)


@dataclass(frozen=True)
class ConfirmedImport:
    file_name: str
    summary: UpsertSummary


def confirm_import(
    *, session: Session, pending_id: int, admin_id: int, kb: KnowledgeBase, currency: str
) -> ConfirmedImport | None:
    """Import a staged file, all or nothing, with its audit entry; None when it was already
    confirmed, cancelled or has expired. A file refused now (the roster changed since the
    preview) raises RosterRejected and changes nothing."""
    pending = _take_pending_import(session=session, pending_id=pending_id, admin_id=admin_id)
    if pending is None:
        session.commit()
        return None
    file_name, content = pending.file_name, pending.content
    try:
        summary, _ = import_roster(
            session=session,
            text=content,
            kb=kb,
            currency=currency,
            actor_id=admin_id,
            source=file_name,
        )
    except RosterRejected:
        # Nothing was imported; the staged file is dropped all the same, as a Confirm
        # button works once.
        _take_pending_import(session=session, pending_id=pending_id, admin_id=admin_id)
        session.commit()
        raise
    return ConfirmedImport(file_name, summary)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large import builds its rows.

    The import makes hundreds of thousands of objects without cycles; each collection would
    walk them all again (about a tenth of a 100,000-row import). Reference counting still
    frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def roster_row(influencer: Influencer, niches: Iterable[str]) -> list[str]:
    """An influencer's cells, in COLUMNS order, as the import reads them."""
    item = InfluencerCreate.model_validate(influencer, update={"niches": list(niches)})
    values = row_values(item)
    return [values[column] for column in COLUMNS]


def export_roster(
    *, session: Session, out: TextIO, active_only: bool = True, language: str = "en"
) -> int:
    """Write the roster as CSV with the import's columns, named in `language` (`en` or
    `fr`); returns the number of rows."""
    everyone = RosterQuery(include_inactive=not active_only)
    return export_matching(session=session, out=out, query=everyone, language=language)


def preview_roster(
    *, session: Session, text: str, kb: KnowledgeBase, currency: str
) -> tuple[UpsertSummary, ParsedRoster]:
    """What importing `text` would do, without writing (RosterRejected if it would be refused)."""
    with cyclic_gc_paused():
        parsed = parse_roster_csv(text, kb, currency)
        _note_new_niches(session, parsed)
        return plan_upsert(session=session, items=parsed.items).summary, parsed


def export_matching(
    *, session: Session, out: TextIO, query: RosterQuery, language: str = "en"
) -> int:
    """Write the influencers matching `query` as machine-readable CSV (commas, decimal points,
    the columns' keys; spreadsheet-safe: see knowledge.files.spreadsheet.csv_lines), the
    header in `language` (`en` or `fr`; the values are the same in both); returns the number
    of rows."""
    out.writelines(csv_lines([header_row(language)]))
    count = 0
    for influencer, niches in iter_matching(session=session, query=query):
        out.writelines(csv_lines([roster_row(influencer, niches)]))
        count += 1
    return count


def spreadsheet_row(influencer: Influencer, niches: Iterable[str]) -> list[object]:
    """An influencer's cells, in COLUMNS order, for a spreadsheet: numbers as numbers, the
    yes/no word in the language being spoken, the handle without its `@` (a cell starting
    with one reads as a formula in Excel; the import keeps the roster's own form)."""
    item = InfluencerCreate.model_validate(influencer, update={"niches": list(niches)})
    values: dict[str, object] = {
        **row_values(item),
        "handle": item.handle.strip().lstrip("@"),
        "followers": item.followers,
        "engagement_rate": item.engagement_rate,
        "price_per_post": item.price_cents / 100,
        "posts_per_week": item.posts_per_week,
        "audience_quality": item.audience_quality,
        "open_to_exclusivity": yes_no(item.open_to_exclusivity),
    }
    return [values[column] for column in COLUMNS]


def export_for_spreadsheet(
    *, session: Session, out: TextIO, query: RosterQuery, language: str
) -> int:
    """Write the influencers matching `query` as the spreadsheets of `language` open a CSV
    (knowledge.files.spreadsheet.LAYOUTS: in French `;`, decimal commas; a BOM), the header
    in words; `/import` reads it back. Returns the number of rows."""
    layout = layout_for(language)
    count = 0
    with speaking(language):
        out.write(csv_text([header_words()], layout))
        for influencer, niches in iter_matching(session=session, query=query):
            out.writelines(csv_lines([spreadsheet_row(influencer, niches)], layout))
            count += 1
    return count
