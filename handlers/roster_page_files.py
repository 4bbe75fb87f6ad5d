"""The roster page's files (issue 25, part 1): a CSV imported through the page, checked,
previewed and confirmed as in the chat (the same storage code and the same words as /import:
handlers.roster_files's worker-thread steps, templates/import_messages.html), with the same
audit entry; and the table's current search and filters exported as /export writes a CSV.

An upload may be as large as the chat takes (storage.csv_io.MAX_UPLOAD_BYTES): the listener
reads the form up to UPLOAD_LIMIT and refuses more (413) before anything is checked."""

from __future__ import annotations

import asyncio
import io
import tempfile
from typing import BinaryIO

from markupsafe import Markup

from handlers.roster_files import confirm_staged, preview_values, stage_file
from handlers.roster_page import href_of, query_of, state_of
from handlers.services import Services
from handlers.web import (
    INIT_FIELD,
    Attachment,
    PageAccess,
    PageRequest,
    PageResponse,
    page_language,
    signed_in_admin,
)
from knowledge.reading.init_data import WebAppUser
from knowledge.reading.parsing import parse_id
from knowledge.reading.roster_query import RosterQuery
from knowledge.writing import i18n
from knowledge.writing.render import render
from knowledge.writing.replies import ImportReply, Template
from knowledge.writing.web_pages import render_page
from storage.admin import cancel_pending_import
from storage.csv_io import (
    MAX_UPLOAD_BYTES,
    RosterRejected,
    UploadRejected,
    export_for_spreadsheet,
    read_upload,
)

# The largest form with a file the listener reads: the file as the chat takes it (5 MB), and
# room for the form's other fields and the multipart framing.
UPLOAD_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024
FILE_FIELD = "file"
CSV_TYPE = "text/csv"


def _import_page(
    request: PageRequest, message: str, *, pending: int | None = None, status: int = 200
) -> PageResponse:
    """The import's page: what the chat would say, with Confirm and Cancel under a preview,
    else the form to send a file (again) and the way back to the table."""
    init, state = request.get(INIT_FIELD), state_of(request)
    body = render_page(
        "roster_import.html",
        message=Markup(message),
        pending=pending,
        hidden=[(INIT_FIELD, init), *state.items()],
        back=href_of(init, state),
    )
    return PageResponse(status, body)


def _imports(kind: ImportReply, **values: object) -> str:
    return render(Template.IMPORT_MESSAGES, kind=kind, **values)


def _rejected(exc: RosterRejected) -> str:
    return _imports(ImportReply.REJECTED, problems=exc.problems[:20], total=exc.total)


async def _preview(s: Services, request: PageRequest, user: WebAppUser) -> PageResponse:
    """A file sent: read and checked as /import reads and checks it, then its preview."""
    upload = request.files.get(FILE_FIELD)
    if upload is None or not upload.data:
        return _import_page(request, _imports(ImportReply.SEND_FILE), status=400)
    name = upload.name or "roster.csv"
    try:
        text = await asyncio.to_thread(
            read_upload, upload.data, name=name, mime_type=upload.content_type
        )
    except UploadRejected as exc:
        return _import_page(request, _imports(exc.reason, file_name=name), status=422)
    try:
        staged = await asyncio.to_thread(stage_file, s, user.id, name, text)
    except RosterRejected as exc:
        return _import_page(request, _rejected(exc), status=422)
    preview = render(Template.IMPORT_MESSAGES, **preview_values(staged, name))
    return _import_page(request, preview, pending=staged.pending_id)


async def _settle(
    s: Services, request: PageRequest, user: WebAppUser, pending_id: int, confirm: bool
) -> PageResponse:
    """Confirm (imported, all or nothing, with its audit entry) or Cancel (nothing changes)
    under a preview; each works once (409 after)."""
    if not confirm:
        with s.session() as session:
            done = cancel_pending_import(session=session, pending_id=pending_id, admin_id=user.id)
        if not done:
            return _import_page(request, render(Template.EXPIRED), status=409)
        return _import_page(request, _imports(ImportReply.CANCELLED))
    try:
        confirmed = await asyncio.to_thread(confirm_staged, s, pending_id, user.id)
    except RosterRejected as exc:
        return _import_page(request, _rejected(exc), status=422)
    finally:
        s.roster.invalidate()
    if confirmed is None:
        return _import_page(request, render(Template.EXPIRED), status=409)
    done_text = _imports(ImportReply.DONE, file_name=confirmed.file_name, summary=confirmed.summary)
    return _import_page(request, done_text)


async def import_file(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """POST (multipart): a CSV file to preview; or `action` confirm or cancel, for the
    `pending` file a preview showed."""
    user = signed_in_admin(s, access, request)
    if isinstance(user, PageResponse):
        return user
    with i18n.speaking(page_language(s, user)):
        action, pending_id = request.get("action"), parse_id(request.get("pending"))
        if action in ("confirm", "cancel") and pending_id is not None:
            return await _settle(s, request, user, pending_id, action == "confirm")
        if action:
            return _import_page(request, render(Template.EXPIRED), status=400)
        return await _preview(s, request, user)


def _exported(s: Services, query: RosterQuery, language: str) -> BinaryIO:
    """The CSV /export writes for `query`, in a temporary file (a million rows are never held
    in memory), at its start."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the listener closes it, once sent)
    try:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        with s.session() as session:
            export_for_spreadsheet(session=session, out=text, query=query, language=language)
        text.flush()
        text.detach()
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


async def export_file(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """GET: the creators the table's search and filters find (removed ones too when shown),
    as /export writes them, in the admin's language, as a file to download."""
    user = signed_in_admin(s, access, request)
    if isinstance(user, PageResponse):
        return user
    language = page_language(s, user)
    query = query_of(s, state_of(request))
    data = await asyncio.to_thread(_exported, s, query, language)
    name = f"roster-{s.clock.now():%Y%m%d-%H%M}.csv"
    return PageResponse(200, attachment=Attachment(name, CSV_TYPE, data))
