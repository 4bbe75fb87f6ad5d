"""Roster administration by chat command, for admins in private chats.

Rights are checked on every call and at every step of a multi-step command; a non-admin
gets a short refusal and the attempt is logged. Group chats never reach these handlers.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from telegram import (
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers.keyboards import confirm_keyboard
from handlers.menu import ADMIN_MENU
from handlers.services import Callback, Services, command_args, reply, services
from knowledge.matching import niche_vocabulary, slugify
from knowledge.parsing import parse_count
from knowledge.render import render
from storage.admin import (
    add_admin,
    admin_ids,
    history,
    is_admin,
    record,
    remove_admin,
    save_pending_import,
    take_pending_import,
)
from storage.csv_io import (
    LOW_ENGAGEMENT_RATE,
    RosterRejected,
    export_matching,
    import_roster,
    looks_like_csv,
    preview_roster,
)
from storage.models import Influencer
from storage.roster import (
    RosterQuery,
    create_influencer,
    find_influencers,
    influencer_record,
    search_influencers,
    set_active,
    update_influencer,
)
from storage.roster_rows import (
    COLUMNS,
    FieldContext,
    RowInvalid,
    parse_field,
    parse_platform,
    row_values,
    validate_row,
)

log = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_IMPORT_BYTES = 5 * 1024 * 1024
CSV_TYPES = {
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "text/comma-separated-values",
}
FIELD_ALIASES = {
    "er": "engagement_rate",
    "engagement": "engagement_rate",
    "price": "price_per_post",
    "niches": "niche",
    "exclusive": "open_to_exclusivity",
    "quality": "audience_quality",
    "posts": "posts_per_week",
    "follower": "followers",
}
_PAIR = re.compile(r'([A-Za-z_]+)\s*=\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|\S+)')
ADD_STEPS = (
    "name",
    "platform",
    "handle",
    "niche",
    "followers",
    "engagement_rate",
    "price_per_post",
)
ADD_DETAILS = "details"


# ---- access ----


async def admin_id(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The caller's id if they are an admin now; otherwise refuse (once) and return None."""
    user, chat = update.effective_user, update.effective_chat
    message = update.effective_message
    if user is None or chat is None or chat.type != "private":
        return None
    if message is not None and message.sender_chat is not None:
        return None  # sent on behalf of a chat (anonymous admin): never trusted
    s = services(context)
    with s.session() as session:
        allowed = is_admin(session=session, user_id=user.id, configured=s.admin_ids)
    if allowed:
        return user.id
    log.warning("Refused admin action to user %s (%s)", user.id, _what(update))
    if update.callback_query is not None:
        await update.callback_query.answer(render("admins_only"), show_alert=True)
    else:
        await reply(update, "admins_only")
    return None


def _what(update: Update) -> str:
    if update.callback_query is not None:
        return f"button {update.callback_query.data}"
    message = update.effective_message
    return (message.text or "a file")[:40] if message is not None else "?"


def admin_only(callback: Callback) -> Callback:
    """Run `callback` only for an admin; a conversation ends when rights are gone."""

    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Any:
        if await admin_id(update, context) is None:
            if context.user_data is not None:
                for key in ("add_draft", "pending_edit"):
                    context.user_data.pop(key, None)
            return ConversationHandler.END
        result = await callback(update, context)
        # Any admin action may have changed the roster: reread its niches next time.
        services(context).roster.invalidate()
        return result

    return guarded


def _pairs(text: str) -> tuple[dict[str, str], list[str]]:
    """`field=value` pairs (values may be quoted) and the words that are not pairs."""
    pairs: dict[str, str] = {}
    for key, value in _PAIR.findall(text):
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1].replace('\\"', '"')
        pairs[FIELD_ALIASES.get(key.lower(), key.lower())] = value
    leftover = _PAIR.sub(" ", text).split()
    return pairs, leftover


def _chat_niches(text: str, s: Services) -> tuple[str, str | None]:
    """Niche text typed in chat: known niches by name, new ones only as `new:name`.

    Returns the text to store and the first unknown niche, if any.
    """
    vocabulary = niche_vocabulary(s.kb, s.roster.niches(s))
    niches: list[str] = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        if part.lower().startswith("new:"):
            niches.append(slugify(part[4:]))
            continue
        match = vocabulary.match(part)
        if match.value is None:
            return text, part
        niches.append(match.value)
    return ";".join(niches), None


# ---- /admin ----


async def admin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    actor = await admin_id(update, context)
    if actor is None:
        return
    s = services(context)
    words = command_args(update).split()
    if words[:1] == ["list"]:
        with s.session() as session:
            everyone = admin_ids(session=session, configured=s.admin_ids)
        await reply(
            update,
            "admin_result",
            kind="list",
            configured=sorted(s.admin_ids),
            added=sorted(everyone - s.admin_ids),
        )
        return
    if len(words) != 2 or words[0] not in ("add", "remove") or not words[1].isdigit():
        await reply(update, "admin_result", kind="usage")
        return
    user_id = int(words[1])
    with s.session() as session:
        if words[0] == "add":
            added = add_admin(session=session, telegram_id=user_id, added_by=actor)
            kind = "added" if added or user_id in s.admin_ids else "already"
        elif user_id in s.admin_ids:
            kind = "configured"
        else:
            kind = (
                "removed"
                if remove_admin(session=session, telegram_id=user_id, removed_by=actor)
                else "not_admin"
            )
    if kind == "added":
        await show_admin_menu(context, user_id)
    elif kind == "removed":
        await hide_admin_menu(context, user_id)
    await reply(update, "admin_result", kind=kind, user_id=user_id)


async def show_admin_menu(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> None:
    try:
        await context.bot.set_my_commands(ADMIN_MENU, scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("No admin menu for %s yet: %s", user_id, exc)


async def hide_admin_menu(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> None:
    try:
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("Could not reset the menu of %s: %s", user_id, exc)


async def admin_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await admin_id(update, context) is not None:
        await reply(update, "admin_help")


# ---- /roster: search, pages, cards ----


def _roster_query(text: str, s: Services) -> tuple[RosterQuery, list[str]]:
    """Words and `filter:value` tokens into a query, with a problem per bad filter."""
    problems: list[str] = []
    words: list[str] = []
    values: dict[str, Any] = {}
    for token in text.split():
        key, _, value = token.partition(":")
        key = key.lower()
        if not value or key not in ("niche", "platform", "tier", "min", "max"):
            words.append(token)
            continue
        if key == "niche":
            match = niche_vocabulary(s.kb, s.roster.niches(s)).match(value)
            if match.value is None:
                problems.append(f"niche “{value}” is not a known niche")
            values["niche"] = match.value
        elif key == "platform":
            platform = parse_platform(s.kb, value)
            if platform is None:
                problems.append(f"platform “{value}” is not a known platform")
            values["platform"] = platform
        elif key == "tier":
            tiers = [t.name for t in s.kb.assumptions.tiers]
            if value.lower() not in tiers:
                problems.append(f"tier “{value}” must be one of {', '.join(tiers)}")
                continue
            index = tiers.index(value.lower())
            values["min_followers"] = s.kb.assumptions.tiers[index].min_followers
            if index + 1 < len(tiers):
                values["max_followers"] = s.kb.assumptions.tiers[index + 1].min_followers
        else:
            try:
                count = parse_count(value)
            except ValueError:
                problems.append(f"{key} “{value}” is not a number like 10k")
                continue
            values["min_followers" if key == "min" else "max_followers"] = (
                count if key == "min" else count + 1
            )
    return RosterQuery(text=" ".join(words), **values), problems


async def _show_page(update: Update, context: ContextTypes.DEFAULT_TYPE, page: int) -> None:
    s = services(context)
    assert context.user_data is not None
    query = RosterQuery(**context.user_data.get("roster_query", {}))
    with s.session() as session:
        rows, total = search_influencers(
            session=session, query=query, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
    pages = max(1, -(-total // PAGE_SIZE))
    open_row = [
        InlineKeyboardButton(str(page * PAGE_SIZE + n), callback_data=f"r:o:{row.id}")
        for n, row in enumerate(rows, start=1)
    ]
    navigation = []
    if page > 0:
        navigation.append(InlineKeyboardButton("◀ Previous", callback_data=f"r:p:{page - 1}"))
    if page + 1 < pages:
        navigation.append(InlineKeyboardButton("Next ▶", callback_data=f"r:p:{page + 1}"))
    keyboard = [open_row[:5], open_row[5:], navigation]
    await reply(
        update,
        "roster_page",
        InlineKeyboardMarkup([r for r in keyboard if r]),
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        offset=page * PAGE_SIZE,
        query_text=query.text,
        labels=s.labels,
    )


@admin_only
async def roster_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, problems = _roster_query(command_args(update), services(context))
    if problems:
        await reply(update, "roster_problem", problems=problems)
        return
    assert context.user_data is not None
    context.user_data["roster_query"] = {
        k: v for k, v in vars(query).items() if v not in (None, "", False)
    }
    await _show_page(update, context, 0)


def _card_keyboard(influencer: Influencer) -> InlineKeyboardMarkup:
    if influencer.active:
        buttons = [
            InlineKeyboardButton("✏️ Edit", callback_data=f"r:e:{influencer.id}"),
            InlineKeyboardButton("🗑 Remove", callback_data=f"r:x:{influencer.id}"),
        ]
    else:
        buttons = [InlineKeyboardButton("↩️ Restore", callback_data=f"r:rs:{influencer.id}")]
    return InlineKeyboardMarkup([buttons])


async def _show_card(update: Update, s: Services, influencer: Influencer) -> None:
    niches = sorted(n.niche for n in influencer.niches)
    await reply(
        update,
        "influencer_card",
        _card_keyboard(influencer),
        i=influencer,
        niches=niches,
        tier=s.kb.assumptions.tier_for(influencer.followers).name,
        labels=s.labels,
    )


@admin_only
async def roster_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pages, cards and the Edit / Remove / Restore buttons of /roster."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, value = ([*query.data.split(":"), "", ""])[:3]
    s = services(context)
    if action == "p" and value.isdigit():
        await query.answer()
        await _show_page(update, context, int(value))
        return
    if action == "k":
        await query.answer()
        await reply(update, "roster_changed", kind="kept")
        return
    with s.session() as session:
        influencer = session.get(Influencer, int(value)) if value.isdigit() else None
        if influencer is None:
            await query.answer(render("expired"))
            return
        await query.answer()
        if action == "o":
            await _show_card(update, s, influencer)
        elif action == "e":
            await reply(update, "edit_hint", name=influencer.name, id=influencer.id)
        elif action == "x":
            await _ask_remove(update, influencer)
        elif action in ("xc", "rs"):
            await _set_active(
                update, session, influencer, active=action == "rs", actor=query.from_user.id
            )


async def _ask_remove(update: Update, influencer: Influencer) -> None:
    keyboard = confirm_keyboard("Yes, remove", f"r:xc:{influencer.id}", "Keep", "r:k")
    await reply(
        update,
        "remove_confirm",
        keyboard,
        name=influencer.name,
        handle=influencer.handle,
        id=influencer.id,
    )


def _record_change(
    session: Any,
    actor: int,
    action: str,
    influencer: Influencer,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """An audit entry for a change to one influencer, in the caller's transaction."""
    record(
        session=session,
        actor_id=actor,
        action=action,
        influencer_id=influencer.id,
        platform=influencer.platform,
        handle=influencer.handle,
        summary=f"{influencer.name} (#{influencer.id})",
        before=before,
        after=after,
    )


async def _set_active(
    update: Update, session: Any, influencer: Influencer, *, active: bool, actor: int
) -> None:
    if influencer.active == active:
        kind = "already_active" if active else "already_removed"
    else:
        set_active(session=session, influencer=influencer, active=active)
        _record_change(
            session,
            actor,
            "restore" if active else "remove",
            influencer,
            before={"active": not active},
            after={"active": active},
        )
        session.commit()
        kind = "restored" if active else "removed"
    await reply(update, "roster_changed", kind=kind, name=influencer.name, id=influencer.id)


async def _one_influencer(
    update: Update, session: Any, reference: str, usage: str, s: Services
) -> Influencer | None:
    """The influencer a command names, or None after saying what is wrong."""
    if not reference:
        await reply(update, "lookup_problem", kind="usage", usage=usage)
        return None
    matches = find_influencers(session=session, reference=reference)
    if len(matches) == 1:
        return matches[0]
    kind = "not_found" if not matches else "ambiguous"
    await reply(
        update, "lookup_problem", kind=kind, reference=reference, matches=matches, labels=s.labels
    )
    return None


def _remove_or_restore(active: bool) -> Callback:
    usage = "/restore @handle or /restore #id" if active else "/remove @handle or /remove #id"

    @admin_only
    async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        s = services(context)
        with s.session() as session:
            influencer = await _one_influencer(
                update, session, command_args(update).strip(), usage, s
            )
            if influencer is None:
                return
            if active:
                await _set_active(
                    update, session, influencer, active=True, actor=update.effective_user.id
                )  # type: ignore[union-attr]
                return
            if not influencer.active:
                await reply(
                    update,
                    "roster_changed",
                    kind="already_removed",
                    name=influencer.name,
                    id=influencer.id,
                )
                return
            await _ask_remove(update, influencer)

    return command


# ---- /edit ----


def _changes(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(c, before[c], after[c]) for c in COLUMNS if before.get(c) != after.get(c)]


def _merged(
    session: Any, current: Influencer, pairs: dict[str, str], s: Services
) -> tuple[Any, list[str]]:
    """The record with `pairs` applied, or the problems; niches typed as in chat, and a
    handle that another influencer already holds on that platform is refused."""
    raw = row_values(influencer_record(current))
    problems = [f"{k}: not a field I know" for k in pairs if k not in COLUMNS]
    for key, value in pairs.items():
        if key == "niche":
            value, unknown = _chat_niches(value, s)
            if unknown:
                problems.append(
                    f"niche “{unknown}” is not a niche I know; write niche=new:{unknown} to add it"
                )
        if key in COLUMNS:
            raw[key] = value
    if problems:
        return None, problems
    try:
        item = validate_row(raw, s.kb, s.currency)
    except RowInvalid as exc:
        return None, [str(p) for p in exc.problems]
    other = _clash(session, item, current.id)
    if other is not None:
        return None, [f"handle “{item.handle}” is already #{other.id} ({other.name}) there"]
    return item, []


@admin_only
async def edit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    reference, _, rest = command_args(update).strip().partition(" ")
    usage = "/edit @handle field=value …, e.g. /edit #12 price=400 er=4.5"
    pairs, leftover = _pairs(rest)
    with s.session() as session:
        influencer = await _one_influencer(update, session, reference, usage, s)
        if influencer is None:
            return
        if not pairs or leftover:
            await reply(update, "edit_hint", name=influencer.name, id=influencer.id)
            return
        item, problems = _merged(session, influencer, pairs, s)
        if item is None:
            await reply(update, "field_problems", problems=problems, keep="")
            return
        before = row_values(influencer_record(influencer))
        changes = _changes(before, row_values(item))
        if not changes:
            await reply(update, "roster_changed", kind="unchanged")
            return
        nonce = secrets.token_hex(4)
        assert context.user_data is not None
        context.user_data["pending_edit"] = {
            "nonce": nonce,
            "id": influencer.id,
            "pairs": pairs,
            "before": before,
        }
        keyboard = confirm_keyboard("✅ Confirm", f"ed:{nonce}", "Cancel", f"ed:{nonce}:no")
        await reply(
            update,
            "edit_preview",
            keyboard,
            name=influencer.name,
            id=influencer.id,
            changes=changes,
        )


@admin_only
async def edit_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    parts = query.data.split(":")
    pending = context.user_data.get("pending_edit")
    if pending is None or parts[1] != pending["nonce"]:
        await query.answer(render("expired"))
        return
    await query.answer()
    context.user_data.pop("pending_edit")
    if parts[2:] == ["no"]:
        await reply(update, "roster_changed", kind="kept")
        return
    s = services(context)
    with s.session() as session:
        influencer = session.get(Influencer, pending["id"])
        if influencer is None or row_values(influencer_record(influencer)) != pending["before"]:
            await reply(update, "roster_changed", kind="stale")
            return
        item, problems = _merged(session, influencer, pending["pairs"], s)
        if item is None:
            await reply(update, "field_problems", problems=problems, keep="")
            return
        update_influencer(session=session, influencer=influencer, item=item)
        _record_change(
            session,
            query.from_user.id,
            "edit",
            influencer,
            before=pending["before"],
            after=row_values(item),
        )
        session.commit()
        await reply(update, "roster_changed", kind="edited", name=influencer.name, id=influencer.id)


def _clash(session: Any, item: Any, own_id: int | None) -> Influencer | None:
    """Another influencer already holding this handle on this platform."""
    for other in find_influencers(session=session, reference=item.handle):
        if other.platform == item.platform and other.id != own_id:
            return other
    return None


# ---- /add: guided, field by field, or in one line ----


def _draft(context: ContextTypes.DEFAULT_TYPE) -> dict[str, str]:
    assert context.user_data is not None
    return context.user_data.setdefault("add_draft", {})


def _field_ctx(s: Services, draft: dict[str, str]) -> FieldContext:
    return FieldContext(s.kb, s.currency, parse_platform(s.kb, draft.get("platform", "")))


async def _ask_add(update: Update, context: ContextTypes.DEFAULT_TYPE, problem: str = "") -> str:
    """Ask for the first missing required field, or show the draft with Save."""
    s = services(context)
    draft = _draft(context)
    missing = next((f for f in ADD_STEPS if f not in draft), None)
    if missing is None:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("💾 Save", callback_data="add:save"),
                    InlineKeyboardButton("Cancel", callback_data="add:cancel"),
                ]
            ]
        )
        try:  # shown as they will be saved (`Insta` → instagram, `24k` → 24000)
            shown = row_values(validate_row(draft, s.kb, s.currency))
        except RowInvalid:
            shown = draft
        values = [(c, shown[c]) for c in COLUMNS if shown.get(c)]
        if problem:
            await reply(update, "field_problems", problems=[problem], keep="")
        await reply(update, "add_draft", keyboard, values=values)
        return ADD_DETAILS
    keyboard = None
    if missing == "platform":
        buttons = [
            InlineKeyboardButton(p.label, callback_data=f"add:platform:{slug}")
            for slug, p in s.kb.platforms.items()
        ]
        keyboard = InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])
    platform = parse_platform(s.kb, draft.get("platform", ""))
    await reply(
        update,
        "add_ask",
        keyboard,
        field=missing,
        problem=problem,
        platform=s.labels.platform(platform) if platform else "",
        currency=s.currency,
    )
    return missing


def _take_add_field(field: str, text: str, s: Services, draft: dict[str, str]) -> str:
    """Check one typed field into the draft; the problem text, or '' when accepted."""
    if field == "niche":
        text, unknown = _chat_niches(text, s)
        if unknown:
            draft["pending_niche"] = unknown
            return ""
    try:
        parse_field(field, text, _field_ctx(s, draft))
    except RowInvalid as exc:
        return str(exc.problems[0])
    draft[field] = text.strip()
    return ""


@admin_only
async def add_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    assert context.user_data is not None
    context.user_data["add_draft"] = {}
    draft = _draft(context)
    s = services(context)
    pairs, _ = _pairs(command_args(update))
    problems = []
    for field in [f for f in ("platform", *COLUMNS) if f in pairs]:
        problem = _take_add_field(field, pairs[field], s, draft)
        if problem:
            problems.append(problem)
    problems += [f"{k}: not a field I know" for k in pairs if k not in COLUMNS]
    if draft.pop("pending_niche", None):
        problems.append("niche: not a niche I know (write niche=new:name to add a new one)")
    if problems:
        await reply(
            update,
            "field_problems",
            problems=problems,
            keep="the other fields are kept." if draft else "",
        )
    return await _ask_add(update, context)


def add_typed(field: str) -> Callback:
    @admin_only
    async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        s = services(context)
        draft = _draft(context)
        text = update.effective_message.text or "" if update.effective_message else ""
        problem = _take_add_field(field, text, s, draft)
        if draft.get("pending_niche"):
            keyboard = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton("➕ Add as a new niche", callback_data="add:newniche"),
                    ]
                ]
            )
            await reply(
                update,
                "add_ask",
                keyboard,
                field="new_niche",
                problem="",
                niche=draft["pending_niche"],
                platform="",
                currency=s.currency,
            )
            return field
        return await _ask_add(update, context, problem)

    return typed


@admin_only
async def add_details(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """Optional fields typed as `field=value` while the draft waits for Save."""
    s = services(context)
    draft = _draft(context)
    text = update.effective_message.text or "" if update.effective_message else ""
    pairs, leftover = _pairs(text)
    problems = [f"{k}: not a field I know" for k in pairs if k not in COLUMNS]
    if leftover or not pairs:
        problems.append("write optional details as field=value, e.g. audience_quality=80")
    for field in (f for f in pairs if f in COLUMNS):
        problem = _take_add_field(field, pairs[field], s, draft)
        if problem:
            problems.append(problem)
    draft.pop("pending_niche", None)
    return await _ask_add(update, context, "; ".join(problems))


@admin_only
async def add_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    if "add_draft" not in context.user_data:
        await query.answer(render("expired"))
        return ConversationHandler.END
    await query.answer()
    s = services(context)
    draft = _draft(context)
    parts = query.data.split(":")
    if parts[1] == "platform" and len(parts) == 3:
        draft["platform"] = parts[2]
        return await _ask_add(update, context)
    if parts[1] == "newniche" and draft.get("pending_niche"):
        draft["niche"] = slugify(draft.pop("pending_niche"))
        return await _ask_add(update, context)
    if parts[1] == "cancel":
        context.user_data.pop("add_draft", None)
        await reply(update, "roster_changed", kind="kept")
        return ConversationHandler.END
    if parts[1] != "save":
        return await _ask_add(update, context)
    try:
        item = validate_row(draft, s.kb, s.currency)
    except RowInvalid as exc:
        return await _ask_add(update, context, "; ".join(str(p) for p in exc.problems))
    with s.session() as session:
        other = _clash(session, item, None)
        if other is not None:
            await reply(update, "roster_changed", kind="duplicate", name=other.name, id=other.id)
            context.user_data.pop("add_draft", None)
            return ConversationHandler.END
        influencer = create_influencer(session=session, item=item)
        _record_change(session, query.from_user.id, "add", influencer, after=row_values(item))
        session.commit()
        await reply(update, "roster_changed", kind="added", name=item.name, id=influencer.id)
    context.user_data.pop("add_draft", None)
    return ConversationHandler.END


async def add_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if context.user_data is not None:
        context.user_data.pop("add_draft", None)
    await reply(update, "roster_changed", kind="kept")
    return ConversationHandler.END


def add_conversation() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        field: [
            MessageHandler(typed, add_typed(field)),
            CallbackQueryHandler(add_button, pattern=r"^add:"),
        ]
        for field in ADD_STEPS
    }
    states[ADD_DETAILS] = [
        MessageHandler(typed, add_details),
        CallbackQueryHandler(add_button, pattern=r"^add:"),
    ]
    return ConversationHandler(
        entry_points=[CommandHandler("add", add_start, filters=filters.ChatType.PRIVATE)],
        states=states,
        fallbacks=[CommandHandler("cancel", add_cancel)],
        name="add",
        persistent=True,
        allow_reentry=True,
    )


# ---- /import ----

IMPORT_WAIT = "import_file"


@admin_only
async def import_start(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> str:
    await reply(update, "import_messages", kind="ask")
    return IMPORT_WAIT


@admin_only
async def import_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
    """Check the file (size, type, encoding, every row) and show a preview with Confirm."""
    s = services(context)
    message = update.effective_message
    document = message.document if message is not None else None
    if document is None:
        await reply(update, "import_messages", kind="send_file")
        return IMPORT_WAIT
    name = document.file_name or "roster.csv"
    if (document.file_size or 0) > MAX_IMPORT_BYTES:
        await reply(update, "import_messages", kind="too_big")
        return IMPORT_WAIT
    if not name.lower().endswith(".csv") and document.mime_type not in CSV_TYPES:
        await reply(update, "import_messages", kind="not_csv", file_name=name)
        return IMPORT_WAIT
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_IMPORT_BYTES:
        await reply(update, "import_messages", kind="too_big")
        return IMPORT_WAIT
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        await reply(update, "import_messages", kind="not_utf8")
        return IMPORT_WAIT
    if "\x00" in text or not looks_like_csv(text):
        await reply(update, "import_messages", kind="not_csv", file_name=name)
        return IMPORT_WAIT
    with s.session() as session:
        try:
            summary, parsed = preview_roster(
                session=session, text=text, kb=s.kb, currency=s.currency
            )
        except RosterRejected as exc:
            await _say_rejected(update, exc)
            return IMPORT_WAIT
        pending_id = save_pending_import(
            session=session,
            admin_id=update.effective_user.id,  # type: ignore[union-attr]
            file_name=name,
            content=text,
        )
    keyboard = confirm_keyboard(
        "✅ Confirm import", f"imp:{pending_id}", "Cancel", f"imp:{pending_id}:no"
    )
    await reply(
        update,
        "import_messages",
        keyboard,
        kind="preview",
        file_name=name,
        summary=summary,
        ignored=parsed.ignored_columns,
        low_rate_lines=parsed.low_rate_lines,
        low_rate=LOW_ENGAGEMENT_RATE,
    )
    return ConversationHandler.END


async def _say_rejected(update: Update, exc: RosterRejected) -> None:
    await reply(
        update, "import_messages", kind="rejected", problems=exc.problems[:20], total=exc.total
    )


@admin_only
async def import_confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")
    s = services(context)
    with s.session() as session:
        pending = (
            take_pending_import(
                session=session, pending_id=int(parts[1]), admin_id=query.from_user.id
            )
            if parts[1].isdigit()
            else None
        )
        if pending is None:
            await query.answer(render("expired"))
            return
        await query.answer()
        if parts[2:] == ["no"]:
            session.commit()
            await reply(update, "import_messages", kind="cancelled")
            return
        try:
            summary, _ = import_roster(
                session=session, text=pending.content, kb=s.kb, currency=s.currency
            )
        except RosterRejected as exc:
            session.rollback()  # nothing written, and no write lock held while we reply
            await _say_rejected(update, exc)
            return
        record(
            session=session,
            actor_id=query.from_user.id,
            action="import",
            summary=f"{pending.file_name}: {summary.added} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged",
        )
        session.commit()
    await reply(
        update, "import_messages", kind="done", file_name=pending.file_name, summary=summary
    )


async def import_cancel(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> int:
    await reply(update, "import_messages", kind="cancelled")
    return ConversationHandler.END


def import_conversation() -> ConversationHandler:
    return ConversationHandler(
        entry_points=[CommandHandler("import", import_start, filters=filters.ChatType.PRIVATE)],
        states={IMPORT_WAIT: [MessageHandler(~filters.COMMAND, import_file)]},
        fallbacks=[CommandHandler("cancel", import_cancel)],
        name="import",
        persistent=True,
        allow_reentry=True,
    )


# ---- /export and /history ----


@admin_only
async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    query, problems = _roster_query(command_args(update), s)
    if problems:
        await reply(update, "roster_problem", problems=problems)
        return
    out = io.StringIO()
    with s.session() as session:
        count = export_matching(session=session, out=out, query=query)
    name = f"roster-{datetime.now(UTC):%Y%m%d-%H%M}.csv"
    chat = update.effective_chat
    assert chat is not None
    await chat.send_document(
        InputFile(io.BytesIO(out.getvalue().encode("utf-8")), filename=name),
        caption=render("export_caption", count=count),
    )


@admin_only
async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    handle = command_args(update).strip() or None
    with s.session() as session:
        entries = history(session=session, reference=handle)
    changes = [
        [
            (c, (e.before or {}).get(c, ""), (e.after or {}).get(c, ""))
            for c in [*COLUMNS, "active"]
            if e.before and e.after and (e.before or {}).get(c) != (e.after or {}).get(c)
        ]
        for e in entries
    ]
    await reply(update, "history", entries=entries, changes=changes, handle=handle)


def handlers() -> list[Any]:
    """The admin handlers, for bot/app.py to register (all private-chat only)."""
    private = filters.ChatType.PRIVATE
    return [
        add_conversation(),
        import_conversation(),
        CommandHandler("admin", admin_command, filters=private),
        CommandHandler("adminhelp", admin_help, filters=private),
        CommandHandler("roster", roster_command, filters=private),
        CommandHandler("edit", edit_command, filters=private),
        CommandHandler("remove", _remove_or_restore(active=False), filters=private),
        CommandHandler("restore", _remove_or_restore(active=True), filters=private),
        CommandHandler("export", export_command, filters=private),
        CommandHandler("history", history_command, filters=private),
        CallbackQueryHandler(roster_button, pattern=r"^r:"),
        CallbackQueryHandler(edit_button, pattern=r"^ed:"),
        CallbackQueryHandler(import_confirm, pattern=r"^imp:"),
    ]
