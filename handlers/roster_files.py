"""/import (a CSV file checked whole, previewed, applied all or nothing on Confirm), /export
(the roster, or a search of it, as a CSV document) and /history (the audit log).

An import's preview and its Confirm read and write up to hundreds of thousands of rows: they
run in a worker thread with their own session, so every other chat is answered meanwhile.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

from telegram import InputFile, Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from handlers import roster_keyboards
from handlers.admin_access import admin_only
from handlers.callbacks import NO, Prefix, id_part, parts_of
from handlers.common import uploaded_text
from handlers.context import BotContext
from handlers.forms import Form, FormName
from handlers.menu import names
from handlers.roster_sample import after_import
from handlers.services import Services, command_args, reply
from knowledge.files.roster_file import shown_fields
from knowledge.reading.roster_query import read_export_args, read_roster_query
from knowledge.writing.i18n import current_language
from knowledge.writing.render import render
from knowledge.writing.replies import ImportReply, Template
from storage.admin import cancel_pending_import, history
from storage.csv_io import (
    ConfirmedImport,
    RosterRejected,
    StagedImport,
    confirm_import,
    export_for_spreadsheet,
    stage_import,
)
from storage.roster_rows import LOW_ENGAGEMENT_RATE, field_changes

IMPORT_WAIT = "import_file"


@admin_only
async def import_start(update: Update, _context: BotContext) -> str:
    await reply(update, Template.IMPORT_MESSAGES, kind=ImportReply.ASK)
    return IMPORT_WAIT


async def _ask_file_again(update: Update, _context: BotContext, _step: str) -> None:
    await reply(update, Template.IMPORT_MESSAGES, kind=ImportReply.ASK)


async def _say_rejected(update: Update, exc: RosterRejected) -> None:
    await reply(
        update,
        Template.IMPORT_MESSAGES,
        kind=ImportReply.REJECTED,
        problems=exc.problems[:20],
        total=exc.total,
    )


def stage_file(s: Services, admin_id: int, name: str, text: str) -> StagedImport:
    """Check and keep a file (in a worker thread: its own session)."""
    with s.session() as session:
        return stage_import(
            session=session,
            admin_id=admin_id,
            file_name=name,
            text=text,
            kb=s.kb,
            currency=s.currency,
        )


def confirm_staged(s: Services, pending_id: int, admin_id: int) -> ConfirmedImport | None:
    """Import a staged file (in a worker thread: its own session)."""
    with s.session() as session:
        return confirm_import(
            session=session, pending_id=pending_id, admin_id=admin_id, kb=s.kb, currency=s.currency
        )


@admin_only
async def import_file(update: Update, context: BotContext) -> str | int:
    """Check the file (size, type, encoding, every row) and show a preview with Confirm."""
    s = context.services
    message = update.effective_message
    document = message.document if message is not None else None
    if document is None:
        await reply(update, Template.IMPORT_MESSAGES, kind=ImportReply.SEND_FILE)
        return IMPORT_WAIT
    name = document.file_name or "roster.csv"
    text = await uploaded_text(update, document, name)
    if text is None:
        return IMPORT_WAIT
    assert update.effective_user is not None
    try:
        staged = await asyncio.to_thread(stage_file, s, update.effective_user.id, name, text)
    except RosterRejected as exc:
        await _say_rejected(update, exc)
        return IMPORT_WAIT
    await reply(
        update,
        Template.IMPORT_MESSAGES,
        roster_keyboards.confirm_import(staged.pending_id),
        **preview_values(staged, name),
    )
    return ConversationHandler.END


def preview_values(staged: StagedImport, name: str) -> dict[str, object]:
    """What an import's preview says (the chat's and the roster page's)."""
    return {
        "kind": ImportReply.PREVIEW,
        "file_name": name,
        "summary": staged.summary,
        "ignored": staged.parsed.ignored_columns,
        "new_niches": staged.parsed.new_niches,
        "low_rate_lines": staged.parsed.low_rate_lines,
        "low_rate": LOW_ENGAGEMENT_RATE,
    }


@admin_only
async def import_confirm(update: Update, context: BotContext) -> None:
    """Confirm or Cancel under an import's preview (each works once)."""
    query = update.callback_query
    assert query is not None
    parts = parts_of(query.data, Prefix.IMPORT)
    pending_id = id_part(parts)
    if pending_id is None:
        await query.answer(render(Template.EXPIRED))
        return
    s = context.services
    confirmed = None
    try:
        if parts[1:] == [NO]:
            with s.session() as session:
                done = cancel_pending_import(
                    session=session, pending_id=pending_id, admin_id=query.from_user.id
                )
        else:
            confirmed = await asyncio.to_thread(confirm_staged, s, pending_id, query.from_user.id)
            done = confirmed is not None
    except RosterRejected as exc:
        await query.answer()
        await _say_rejected(update, exc)
        return
    if not done:
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    if confirmed is None:
        await reply(update, Template.IMPORT_MESSAGES, kind=ImportReply.CANCELLED)
        return
    await reply(
        update,
        Template.IMPORT_MESSAGES,
        kind=ImportReply.DONE,
        file_name=confirmed.file_name,
        summary=confirmed.summary,
    )
    await after_import(update, context, confirmed.summary.added)


async def import_cancel(update: Update, _context: BotContext) -> int:
    await reply(update, Template.IMPORT_MESSAGES, kind=ImportReply.CANCELLED)
    return ConversationHandler.END


def import_conversation() -> Form:
    return Form(
        form=FormName.IMPORT,
        commands=("import",),
        entry_points=[CommandHandler("import", import_start, filters=filters.ChatType.PRIVATE)],
        states={IMPORT_WAIT: [MessageHandler(~filters.COMMAND, import_file)]},
        fallbacks=[CommandHandler(names("cancel"), import_cancel)],
        ask_again=_ask_file_again,
    )


@admin_only
async def export_command(update: Update, context: BotContext) -> None:
    """The roster (or a search of it) as a CSV document the admin's spreadsheet opens right:
    in their language, unless another is asked for (`/export fr niche:cooking`)."""
    s = context.services
    args = read_export_args(command_args(update))
    read = read_roster_query(args.search, s.kb, s.roster_niches())
    if read.problems or args.unknown:
        await reply(
            update,
            Template.ROSTER_PROBLEM,
            problems=read.problems,
            not_understood=args.unknown,
            export=True,
        )
        return
    out = io.StringIO()
    with s.session() as session:
        count = export_for_spreadsheet(
            session=session,
            out=out,
            query=read.query,
            language=args.language or current_language(),
        )
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(
        InputFile(
            io.BytesIO(out.getvalue().encode("utf-8")),
            filename=f"roster-{datetime.now(UTC):%Y%m%d-%H%M}.csv",
        ),
        caption=render(Template.EXPORT_CAPTION, count=count),
    )


@admin_only
async def history_command(update: Update, context: BotContext) -> None:
    reference = command_args(update).strip() or None
    with context.services.session() as session:
        entries = history(session=session, reference=reference)
    await reply(
        update,
        Template.HISTORY,
        entries=entries,
        changes=[shown_fields(field_changes(e.before, e.after)) for e in entries],
        handle=reference,
    )
