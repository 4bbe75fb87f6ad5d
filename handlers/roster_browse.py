"""/roster (search, pages of ten, a card per influencer), and removing or restoring one
(/remove, /restore, or the card's buttons), or deleting one for good (/remove … --purge)."""

from __future__ import annotations

from dataclasses import asdict

from telegram import Update

from handlers import roster_keyboards
from handlers.admin_access import Callback, admin_only
from handlers.callbacks import Prefix, RosterAction, id_part, parts_of
from handlers.context import BotContext, StateKey
from handlers.services import Services, command_args, reply
from knowledge.reading.roster_query import RosterQuery, read_roster_query
from knowledge.writing.i18n import N_
from knowledge.writing.render import render
from knowledge.writing.replies import RosterChange, Template
from storage.models import Influencer
from storage.roster import search_influencers
from storage.roster_changes import (
    Lookup,
    get_influencer,
    look_up,
    purge_influencer,
    set_influencer_active,
    version_of,
)

PAGE_SIZE = 10
PURGE = "--purge"


async def _show_page(update: Update, context: BotContext, page: int) -> None:
    s = context.services
    query = RosterQuery(**context.state.form(StateKey.ROSTER_QUERY))
    with s.session() as session:
        rows, total, page = search_influencers(
            session=session, query=query, page=page, page_size=PAGE_SIZE
        )
    pages = max(1, -(-total // PAGE_SIZE))
    await reply(
        update,
        Template.ROSTER_PAGE,
        roster_keyboards.roster_page(
            [r.id for r in rows if r.id is not None], page, pages, page * PAGE_SIZE
        ),
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        offset=page * PAGE_SIZE,
        query_text=query.text,
        labels=s.labels,
    )


@admin_only
async def roster_command(update: Update, context: BotContext) -> None:
    s = context.services
    read = read_roster_query(command_args(update), s.kb, s.roster_niches())
    if read.problems:
        await reply(update, Template.ROSTER_PROBLEM, problems=read.problems)
        return
    kept = {k: v for k, v in asdict(read.query).items() if v not in (None, "", False)}
    context.state.open_form(StateKey.ROSTER_QUERY, kept)
    await _show_page(update, context, 0)


async def show_card(update: Update, s: Services, influencer: Influencer) -> None:
    assert influencer.id is not None
    await reply(
        update,
        Template.INFLUENCER_CARD,
        roster_keyboards.influencer_card(influencer.id, influencer.active, version_of(influencer)),
        i=influencer,
        niches=sorted(n.niche for n in influencer.niches),
        tier=s.kb.assumptions.tier_for(influencer.followers).name,
        labels=s.labels,
    )


async def ask_remove(update: Update, influencer: Influencer, purge: bool = False) -> None:
    assert influencer.id is not None
    confirm = roster_keyboards.confirm_purge if purge else roster_keyboards.confirm_remove
    await reply(
        update,
        Template.REMOVE_CONFIRM,
        confirm(influencer.id, version_of(influencer)),
        name=influencer.name,
        handle=influencer.handle,
        id=influencer.id,
        purge=purge,
    )


async def _purge(update: Update, context: BotContext, influencer_id: int, version: str) -> None:
    assert update.effective_user is not None
    with context.services.session() as session:
        purged = purge_influencer(
            session=session,
            influencer_id=influencer_id,
            actor_id=update.effective_user.id,
            version=version,
        )
    if purged is None:
        await reply(update, Template.EXPIRED)
        return
    await reply(update, Template.ROSTER_CHANGED, kind=purged.kind, name="", id=influencer_id)


async def _set_active(
    update: Update,
    context: BotContext,
    influencer_id: int,
    active: bool,
    version: str | None = None,
) -> None:
    assert update.effective_user is not None
    with context.services.session() as session:
        changed = set_influencer_active(
            session=session,
            influencer_id=influencer_id,
            active=active,
            actor_id=update.effective_user.id,
            version=version,
        )
    if changed is None:
        await reply(update, Template.EXPIRED)
        return
    await reply(
        update,
        Template.ROSTER_CHANGED,
        kind=changed.kind,
        name=changed.name,
        id=changed.influencer_id,
    )


@admin_only
async def roster_button(update: Update, context: BotContext) -> None:
    """Pages, cards and the Edit / Remove / Restore buttons of /roster."""
    query = update.callback_query
    assert query is not None
    parts = parts_of(query.data, Prefix.ROSTER)
    action, number = (parts[0] if parts else ""), id_part(parts, 1)
    s = context.services
    if action == RosterAction.PAGE and number is not None:
        await query.answer()
        await _show_page(update, context, number)
        return
    if action == RosterAction.KEEP:
        await query.answer()
        await reply(update, Template.ROSTER_CHANGED, kind=RosterChange.KEPT)
        return
    influencer = None
    if number is not None:
        with s.session() as session:
            influencer = get_influencer(session=session, influencer_id=number)
    confirming = action in (
        RosterAction.CONFIRM_REMOVE,
        RosterAction.CONFIRM_PURGE,
        RosterAction.RESTORE,
    )
    version = parts[2] if len(parts) > 2 else None
    if influencer is None or number is None or (confirming and version != version_of(influencer)):
        # Gone, or changed since the button was made (a confirming button works once).
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    if action == RosterAction.OPEN:
        await show_card(update, s, influencer)
    elif action == RosterAction.EDIT:
        await reply(update, Template.EDIT_HINT, name=influencer.name, id=influencer.id)
    elif action == RosterAction.REMOVE:
        await ask_remove(update, influencer)
    elif action == RosterAction.CONFIRM_PURGE and version is not None:
        await _purge(update, context, number, version)
    elif confirming:
        active = action == RosterAction.RESTORE
        await _set_active(update, context, number, active=active, version=version)


async def say_lookup_problem(
    update: Update, s: Services, lookup: Lookup, usage: str, reference: str
) -> None:
    """Why a command's `@handle` or `#id` names nobody, or several people."""
    await reply(
        update,
        Template.LOOKUP_PROBLEM,
        kind=lookup.problem,
        usage=usage,
        reference=reference,
        matches=lookup.matches,
        labels=s.labels,
    )


def remove_or_restore(active: bool) -> Callback[int | None]:
    """/restore, or /remove (which asks for a confirmation first; `--purge` to delete for
    good)."""
    usage = (
        N_("/restore @handle or /restore #id")
        if active
        else N_("/remove @handle or /remove #id (add --purge to delete for good)")
    )

    @admin_only
    async def command(update: Update, context: BotContext) -> None:
        s = context.services
        words = command_args(update).split()
        purge = not active and PURGE in words
        reference = " ".join(w for w in words if w != PURGE)
        with s.session() as session:
            lookup = look_up(session=session, reference=reference)
        influencer = lookup.influencer
        if influencer is None or influencer.id is None:
            await say_lookup_problem(update, s, lookup, usage, reference)
        elif purge:
            await ask_remove(update, influencer, purge=True)
        elif active:
            await _set_active(update, context, influencer.id, active=True)
        elif not influencer.active:
            await reply(
                update,
                Template.ROSTER_CHANGED,
                kind=RosterChange.ALREADY_REMOVED,
                name=influencer.name,
                id=influencer.id,
            )
        else:
            await ask_remove(update, influencer)

    return command
