"""/sample: the fictional sample roster steps aside once real people are in. `/sample remove`
retires every sample person (after a Yes that works once), `/sample restore` brings them
back, and an import that adds real people while sample ones are in asks whether to remove
them."""

from __future__ import annotations

import secrets

from telegram import Update

from handlers import roster_keyboards
from handlers.admin_access import admin_only
from handlers.callbacks import Prefix
from handlers.common import pressed_confirmation
from handlers.context import BotContext, StateKey
from handlers.services import command_args, reply
from knowledge.writing.replies import SampleReply, Template
from storage.sample import restore_sample, retire_sample, sample_counts

# The words after /sample, in English and in French.
REMOVE_WORDS = ("remove", "retirer")
RESTORE_WORDS = ("restore", "restaurer")


@admin_only
async def sample_command(update: Update, context: BotContext) -> None:
    """/sample (how many are in, and the two subcommands), /sample remove, /sample restore."""
    s = context.services
    word = command_args(update).strip().lower()
    assert update.effective_user is not None
    if word in RESTORE_WORDS:
        with s.session() as session:
            restored = restore_sample(session=session, actor_id=update.effective_user.id)
        kind = SampleReply.RESTORED if restored else SampleReply.NONE_OUT
        await reply(update, Template.SAMPLE_ROSTER, kind=kind, count=restored)
        return
    with s.session() as session:
        active, retired = sample_counts(session=session)
    if word not in REMOVE_WORDS:
        await reply(
            update, Template.SAMPLE_ROSTER, kind=SampleReply.STATUS, active=active, retired=retired
        )
    elif not active:
        await reply(update, Template.SAMPLE_ROSTER, kind=SampleReply.NONE_IN)
    else:
        await ask_to_remove(update, context, active, SampleReply.CONFIRM)


async def ask_to_remove(update: Update, context: BotContext, count: int, kind: SampleReply) -> None:
    """Ask whether to remove the `count` sample people, Yes first; the buttons work once."""
    nonce = secrets.token_hex(4)
    context.state.open_form(StateKey.PENDING_SAMPLE, {"nonce": nonce})
    await reply(
        update,
        Template.SAMPLE_ROSTER,
        roster_keyboards.remove_sample(nonce),
        kind=kind,
        count=count,
    )


async def after_import(update: Update, context: BotContext, added: int) -> None:
    """After an import that added real people: if sample people are still in, ask whether
    to remove them."""
    if not added:
        return
    with context.services.session() as session:
        active, _retired = sample_counts(session=session)
    if active:
        await ask_to_remove(update, context, active, SampleReply.AFTER_IMPORT)


@admin_only
async def sample_button(update: Update, context: BotContext) -> None:
    """Yes or Keep under the question (each works once)."""
    pressed = await pressed_confirmation(update, context, Prefix.SAMPLE, StateKey.PENDING_SAMPLE)
    if pressed is None:
        return
    context.state.close(StateKey.PENDING_SAMPLE)
    if pressed[1]:
        await reply(update, Template.SAMPLE_ROSTER, kind=SampleReply.KEPT)
        return
    assert update.effective_user is not None
    with context.services.session() as session:
        retired = retire_sample(session=session, actor_id=update.effective_user.id)
    kind = SampleReply.REMOVED if retired else SampleReply.NONE_IN
    await reply(update, Template.SAMPLE_ROSTER, kind=kind, count=retired)
