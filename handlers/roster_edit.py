"""/edit (before and after, applied on Confirm) and /add (guided field by field, or in one
line; the record is shown and saved with the Save button)."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import roster_keyboards
from handlers.admin_access import Callback, admin_only
from handlers.callbacks import AddAction, Prefix, parts_of, pattern
from handlers.common import pressed_confirmation
from handlers.context import BotContext, StateKey
from handlers.forms import Form, FormName
from handlers.menu import names
from handlers.roster_browse import say_lookup_problem
from handlers.services import command_args, reply, typed_text
from knowledge.files.roster_file import shown_fields
from knowledge.reading.matching import parse_platform, slugify
from knowledge.writing.i18n import N_, _
from knowledge.writing.render import render
from knowledge.writing.replies import AddQuestion, RosterChange, Template
from storage.roster_changes import add_influencer, apply_edit, check_edit, look_up
from storage.roster_rows import (
    COLUMNS,
    RowInvalid,
    check_typed_field,
    read_pairs,
    shown_as_saved,
    unknown_field,
    unknown_niche,
    validate_row,
)

EDIT_USAGE = N_("/edit @handle field=value …, e.g. /edit #12 price=400 er=4.5")
ADD_STEPS = tuple(q.value for q in AddQuestion if q is not AddQuestion.NEW_NICHE)
ADD_DETAILS = "details"
PENDING_NICHE = "pending_niche"
Draft = dict[str, str]


# ---- /edit ----


@admin_only
async def edit_command(update: Update, context: BotContext) -> None:
    s = context.services
    reference, _, rest = command_args(update).strip().partition(" ")
    pairs, leftover = read_pairs(rest)
    with s.session() as session:
        lookup = look_up(session=session, reference=reference)
        influencer = lookup.influencer
        check = None
        if influencer is not None and pairs and not leftover:
            check = check_edit(
                session=session,
                influencer=influencer,
                pairs=pairs,
                kb=s.kb,
                currency=s.currency,
                roster_niches=s.roster_niches(),
            )
    if influencer is None:
        await say_lookup_problem(update, s, lookup, EDIT_USAGE, reference)
    elif check is None:
        await reply(update, Template.EDIT_HINT, name=influencer.name, id=influencer.id)
    elif check.item is None:
        await reply(update, Template.FIELD_PROBLEMS, problems=check.problems, keep=False)
    elif not check.changes:
        await reply(update, Template.ROSTER_CHANGED, kind=RosterChange.UNCHANGED)
    else:
        nonce = secrets.token_hex(4)
        context.state.open_form(
            StateKey.PENDING_EDIT,
            {"nonce": nonce, "id": influencer.id, "pairs": pairs, "before": check.before},
        )
        await reply(
            update,
            Template.EDIT_PREVIEW,
            roster_keyboards.confirm_edit(nonce),
            name=influencer.name,
            id=influencer.id,
            changes=shown_fields(check.changes),
        )


@admin_only
async def edit_button(update: Update, context: BotContext) -> None:
    """Confirm or Cancel under an edit's preview (each works once)."""
    pressed = await pressed_confirmation(update, context, Prefix.EDIT, StateKey.PENDING_EDIT)
    if pressed is None:
        return
    pending, refused = pressed
    context.state.close(StateKey.PENDING_EDIT)
    if refused:
        await reply(update, Template.ROSTER_CHANGED, kind=RosterChange.KEPT)
        return
    assert update.effective_user is not None
    s = context.services
    with s.session() as session:
        applied = apply_edit(
            session=session,
            influencer_id=int(pending["id"]),
            pairs=pending["pairs"],
            before=pending["before"],
            actor_id=update.effective_user.id,
            kb=s.kb,
            currency=s.currency,
            roster_niches=s.roster_niches(),
        )
    if applied.problems:
        await reply(update, Template.FIELD_PROBLEMS, problems=applied.problems, keep=False)
        return
    await reply(
        update,
        Template.ROSTER_CHANGED,
        kind=applied.kind,
        name=applied.name,
        id=applied.influencer_id,
    )


# ---- /add ----


def _draft(context: BotContext) -> Draft:
    return context.state.form(StateKey.ADD_DRAFT)


async def _ask_add(update: Update, context: BotContext, problem: str = "") -> str:
    """Ask for the first missing required field, or show the draft with Save."""
    s = context.services
    draft = _draft(context)
    missing = next((f for f in ADD_STEPS if f not in draft), None)
    if missing is None:
        if problem:
            await reply(update, Template.FIELD_PROBLEMS, problems=[problem], keep=False)
        values = shown_fields(shown_as_saved(draft, s.kb, s.currency))
        await reply(update, Template.ADD_DRAFT, roster_keyboards.add_draft(), values=values)
        return ADD_DETAILS
    keyboard = None
    if missing == AddQuestion.PLATFORM:
        keyboard = roster_keyboards.add_platforms(
            (slug, p.label) for slug, p in s.kb.platforms.items()
        )
    platform = parse_platform(s.kb, draft.get("platform", ""))
    await reply(
        update,
        Template.ADD_ASK,
        keyboard,
        field=AddQuestion(missing),
        problem=problem,
        platform=s.labels.platform(platform) if platform else "",
        currency=s.currency,
    )
    return missing


def _take(field: str, text: str, context: BotContext) -> str:
    """Check one typed field into the draft; the problem, or '' when accepted (a niche the
    bot does not know waits in the draft for the admin's choice)."""
    s = context.services
    draft = _draft(context)
    typed = check_typed_field(
        field, text, s.kb, s.currency, draft.get("platform", ""), s.roster_niches()
    )
    if typed.unknown_niche:
        draft[PENDING_NICHE] = typed.unknown_niche
    elif typed.text is not None:
        draft[field] = typed.text
    return typed.problem


@admin_only
async def add_start(update: Update, context: BotContext) -> str:
    """/add, with optional `field=value` pairs (the whole record in one line)."""
    draft = context.state.open_form(StateKey.ADD_DRAFT)
    pairs, _ = read_pairs(command_args(update))
    problems = []
    for field in [f for f in ("platform", *COLUMNS) if f in pairs]:
        problem = _take(field, pairs[field], context)
        if problem:
            problems.append(problem)
    problems += [unknown_field(k) for k in pairs if k not in COLUMNS]
    if pending := draft.pop(PENDING_NICHE, None):
        problems.append(unknown_niche(pending, slugify(pending)))
    if problems:
        await reply(update, Template.FIELD_PROBLEMS, problems=problems, keep=bool(draft))
    return await _ask_add(update, context)


def add_typed(field: str) -> Callback[str | int]:
    """The handler for a value typed for `field` of a roster entry being added."""

    @admin_only
    async def typed(update: Update, context: BotContext) -> str:
        s = context.services
        problem = _take(field, typed_text(update), context)
        pending = _draft(context).get(PENDING_NICHE)
        if pending:
            await reply(
                update,
                Template.ADD_ASK,
                roster_keyboards.add_new_niche(),
                field=AddQuestion.NEW_NICHE,
                problem="",
                niche=pending,
                platform="",
                currency=s.currency,
            )
            return field
        return await _ask_add(update, context, problem)

    return typed


@admin_only
async def add_details(update: Update, context: BotContext) -> str:
    """Optional fields typed as `field=value` while the draft waits for Save."""
    pairs, leftover = read_pairs(typed_text(update))
    problems = [unknown_field(k) for k in pairs if k not in COLUMNS]
    if leftover or not pairs:
        problems.append(_("type optional details like audience_quality=80 country=FR"))
    for field in (f for f in pairs if f in COLUMNS):
        problem = _take(field, pairs[field], context)
        if problem:
            problems.append(problem)
    _draft(context).pop(PENDING_NICHE, None)
    return await _ask_add(update, context, "; ".join(problems))


@admin_only
async def add_button(update: Update, context: BotContext) -> str | int:
    """A platform, ➕ Add as a new niche, 💾 Save or Cancel."""
    query = update.callback_query
    assert query is not None
    if not context.state.has_form(StateKey.ADD_DRAFT):
        await query.answer(render(Template.EXPIRED))
        return ConversationHandler.END
    await query.answer()
    s = context.services
    draft = _draft(context)
    parts = parts_of(query.data, Prefix.ADD)
    action = parts[0] if parts else ""
    if action == AddAction.PLATFORM and len(parts) == 2:
        draft["platform"] = parts[1]
        return await _ask_add(update, context)
    if action == AddAction.NEW_NICHE and draft.get(PENDING_NICHE):
        draft["niche"] = slugify(draft.pop(PENDING_NICHE))
        return await _ask_add(update, context)
    if action == AddAction.CANCEL:
        context.state.close(StateKey.ADD_DRAFT)
        await reply(update, Template.ROSTER_CHANGED, kind=RosterChange.KEPT)
        return ConversationHandler.END
    if action != AddAction.SAVE:
        return await _ask_add(update, context)
    try:
        item = validate_row(draft, s.kb, s.currency)
    except RowInvalid as exc:
        return await _ask_add(update, context, "; ".join(str(p) for p in exc.problems))
    with s.session() as session:
        added = add_influencer(session=session, item=item, actor_id=query.from_user.id, kb=s.kb)
    context.state.close(StateKey.ADD_DRAFT)
    await reply(
        update, Template.ROSTER_CHANGED, kind=added.kind, name=added.name, id=added.influencer_id
    )
    return ConversationHandler.END


async def add_cancel(update: Update, context: BotContext) -> int:
    context.state.close(StateKey.ADD_DRAFT)
    await reply(update, Template.ROSTER_CHANGED, kind=RosterChange.KEPT)
    return ConversationHandler.END


async def _ask_add_again(update: Update, context: BotContext, _step: str) -> None:
    await _ask_add(update, context)


def add_conversation() -> Form:
    typed = filters.TEXT & ~filters.COMMAND

    def step(callback: Any) -> list[BaseHandler[Any, BotContext, Any]]:
        return [
            MessageHandler(typed, callback),
            CallbackQueryHandler(add_button, pattern=pattern(Prefix.ADD)),
        ]

    states: dict[object, list[BaseHandler[Any, BotContext, Any]]] = {
        field: step(add_typed(field)) for field in ADD_STEPS
    }
    states[ADD_DETAILS] = step(add_details)
    return Form(
        form=FormName.ADD,
        commands=("add",),
        entry_points=[CommandHandler("add", add_start, filters=filters.ChatType.PRIVATE)],
        states=states,
        fallbacks=[CommandHandler(names("cancel"), add_cancel)],
        ask_again=_ask_add_again,
    )
