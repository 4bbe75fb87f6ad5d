"""Application wiring: services, handlers in their order, persistence, start-up and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    ExtBot,
    JobQueue,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.charts import ChartWorkers
from bot.cleaning import CleaningApplication
from bot.dedup import ALIVE_CHECK_SECONDS, DEAD_AFTER_SECONDS, UpdateClaims
from bot.delivery import OVERALL_PER_SECOND, DeliveryService
from bot.persistence import DatabasePersistence, SharedConversations
from bot.processing import PerUserUpdateProcessor
from bot.ratelimit import RepliesFirst
from bot.settings import Settings, SettingsError
from handlers import (
    admin_access,
    advise,
    campaign_edit,
    campaign_form,
    campaigns,
    checkin_results,
    common,
    creator_results,
    forms,
    language,
    outreach,
    pipeline,
    privacy,
    recommendation,
    reminders,
    roster_browse,
    roster_edit,
    roster_files,
    roster_sample,
)
from handlers.callbacks import Prefix, pattern
from handlers.context import CONTEXT_TYPES, Bot, BotContext, UserState
from handlers.menu import names, set_menu, user_menu
from handlers.services import DELIVERY_KEY, SERVICES_KEY, Services
from knowledge.base import KnowledgeBase, load_knowledge
from knowledge.reading.when import Clock
from storage.admin import admin_ids
from storage.db import make_engine, migrate
from storage.locks import exclusively
from storage.privacy import purge_erasure_marks, purge_expired
from storage.roster import roster_is_empty
from storage.sample import load_sample
from storage.search import rescore_all_if_needed

log = logging.getLogger(__name__)
# What is kept only for a while is deleted at start, then this often.
PURGE_EVERY = timedelta(hours=6)
PURGE_JOB = "purge-expired"
# How many times a call refused by flood control (429) is tried again, each after the wait
# Telegram asks for (retry_after): enough for any reply to go out under a long burst.
FLOOD_RETRIES = 10
Builder = ApplicationBuilder[
    ExtBot[Any], BotContext, UserState, dict[Any, Any], dict[str, Any], JobQueue[BotContext]
]


def prepare_database(settings: Settings, kb: KnowledgeBase, *, sample: bool = True) -> Engine:
    """Open the database, apply migrations, load the sample roster into an empty one (only
    when the bot starts: `sample=False` for the command line, so that a business's first
    import is never mixed with fictional people), and rescore the roster's search columns
    if the assumptions changed."""
    engine = make_engine(settings.database_url)
    try:
        # Instances starting together prepare the database one after the other.
        with exclusively(engine, "prepare"):
            migrate(engine)
            with Session(engine) as session:
                if sample and roster_is_empty(session=session):
                    load_sample(session=session, currency=settings.default_currency, kb=kb)
                    log.info("The roster was empty: loaded the sample roster (fictional people)")
                if rescore_all_if_needed(session, kb):
                    log.info("Scored the roster under the current assumptions")
    except OperationalError as exc:
        shown = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SettingsError(f"Can't open the database {shown} (DATABASE_URL): {reason}") from None
    return engine


def load_kb(settings: Settings) -> KnowledgeBase:
    return load_knowledge(settings.assumptions_file)


def register_handlers(application: Bot) -> None:
    """Every handler, in one place. Within a group the first handler that matches wins, so
    the order below is the order in which an update is offered to them."""
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():
        # per_message=False is intended: a form follows the user, not one message.
        warnings.simplefilter("ignore", PTBUserWarning)
        multi_step = [
            # Admin forms, then the campaign and results forms, then the brief: a form takes
            # typed answers only while it is open, except the brief, which a line of
            # `key=value` words also starts; last, it never takes an open form's answer
            # (`country=FR` typed into /add).
            roster_edit.add_conversation(),
            roster_files.import_conversation(),
            campaign_form.conversation(),
            campaign_edit.conversation(),
            checkin_results.conversation(),
            outreach.conversation(),
            advise.conversation(),
        ]
    application.add_handlers(
        [
            *multi_step,
            # Admin commands (private chats only; each checks rights itself, every step).
            CommandHandler("admin", admin_access.admin_command, filters=private),
            CommandHandler("adminhelp", admin_access.admin_help, filters=private),
            CommandHandler("roster", roster_browse.roster_command, filters=private),
            CommandHandler("edit", roster_edit.edit_command, filters=private),
            CommandHandler(
                "remove", roster_browse.remove_or_restore(active=False), filters=private
            ),
            CommandHandler(
                "restore", roster_browse.remove_or_restore(active=True), filters=private
            ),
            CommandHandler("export", roster_files.export_command, filters=private),
            CommandHandler("history", roster_files.history_command, filters=private),
            CommandHandler("sample", roster_sample.sample_command, filters=private),
            CallbackQueryHandler(roster_browse.roster_button, pattern=pattern(Prefix.ROSTER)),
            CallbackQueryHandler(roster_edit.edit_button, pattern=pattern(Prefix.EDIT)),
            CallbackQueryHandler(roster_files.import_confirm, pattern=pattern(Prefix.IMPORT)),
            CallbackQueryHandler(roster_sample.sample_button, pattern=pattern(Prefix.SAMPLE)),
            # The views of a recommendation's card (Why, Shortlist, Forecast…).
            CallbackQueryHandler(recommendation.view_button, pattern=pattern(Prefix.VIEW)),
            # Campaigns, reminders and time zones.
            CommandHandler(names("campaigns"), campaigns.campaigns_command, filters=private),
            CommandHandler(names("results"), campaigns.results_command, filters=private),
            CommandHandler(names("remind"), reminders.remind_command, filters=private),
            CommandHandler(names("reminders"), reminders.reminders_command, filters=private),
            CommandHandler(names("timezone"), reminders.timezone_command, filters=private),
            CallbackQueryHandler(
                campaigns.campaign_button, pattern=pattern(Prefix.OPEN_CAMPAIGN, r"\d+")
            ),
            CallbackQueryHandler(
                campaign_edit.delete_button, pattern=pattern(Prefix.DELETE_CAMPAIGN, r"\d+(?::no)?")
            ),
            # The creators of a campaign: a creator's menu, a move, a replacement.
            CallbackQueryHandler(pipeline.creator_button, pattern=pattern(Prefix.CREATOR)),
            CallbackQueryHandler(pipeline.move_button, pattern=pattern(Prefix.MOVE_CREATOR)),
            CallbackQueryHandler(pipeline.replace_button, pattern=pattern(Prefix.REPLACE_CREATOR)),
            CallbackQueryHandler(
                reminders.cancel_reminder_button, pattern=pattern(Prefix.CANCEL_REMINDER, r"\d+")
            ),
            CallbackQueryHandler(
                reminders.reminders_page_button, pattern=pattern(Prefix.REMINDERS_PAGE, r"\d+")
            ),
            CallbackQueryHandler(reminders.timezone_button, pattern=pattern(Prefix.TIMEZONE)),
            # The language the bot speaks.
            CommandHandler(names("language"), language.language_command, filters=private),
            CallbackQueryHandler(language.language_button, pattern=pattern(Prefix.LANGUAGE)),
            # What the bot holds about a user, and erasing it.
            CommandHandler(names("mydata"), privacy.mydata_command, filters=private),
            CommandHandler(names("forget_me"), privacy.forget_me_command, filters=private),
            CallbackQueryHandler(privacy.forget_button, pattern=pattern(Prefix.FORGET)),
            CommandHandler("start", common.start, filters=private),
            CommandHandler(names("help"), common.help_command, filters=private),
            CommandHandler(names("cancel"), common.nothing_to_cancel, filters=private),
            # A shop's discount codes file while a check-in waits (else as below).
            MessageHandler(filters.Document.ALL & private, creator_results.file_sent),
            # Any other command, then anything else typed or sent outside a form.
            MessageHandler(filters.COMMAND & private, common.unknown_command),
            MessageHandler(~filters.COMMAND & private, common.stray_message),
            # Buttons no handler above took belong to a finished or replaced form.
            CallbackQueryHandler(common.expired_button),
        ]
    )
    # Before anything else, each in its own group (only the first match of a group runs):
    # the language of the user's replies; a mistyped command taken for the one it plainly
    # means (`/advice` → /advise), so that every handler after sees that one; the user's
    # steps in the forms as stored (the persistence's refresh_user_data, called for the
    # first handler, reloads their answers likewise), as another instance may have handled
    # their last update; a user who had blocked the bot is back, resume their reminders; a
    # new command closes any other open form before the command itself is handled in group 0,
    # and a question in words typed inside a form is answered beside it.
    persistence = application.persistence
    assert isinstance(persistence, DatabasePersistence)
    shared = SharedConversations(persistence, multi_step)
    application.add_handler(TypeHandler(Update, language.speak_their_language), group=-5)
    application.add_handler(TypeHandler(Update, common.correct_command), group=-4)
    application.add_handler(TypeHandler(Update, shared), group=-3)
    application.add_handler(TypeHandler(Update, reminders.resume_paused), group=-2)
    application.add_handler(MessageHandler(forms.TYPED, common.question_beside_form), group=-1)
    application.add_handler(TypeHandler(Update, forms.command_wins), group=-1)
    # Last, in its own group so it sees every update after the handlers above ran.
    application.add_handler(TypeHandler(Update, common.persist_now), group=100)
    application.add_error_handler(common.on_error)


def _purge_expired(services: Services) -> tuple[int, int]:
    with services.session() as session:
        purge_erasure_marks(session=session, now=services.clock.now())
        return purge_expired(session=session, now=services.clock.now())


async def purge_expired_job(context: BotContext) -> None:
    """Delete what is kept only for a while (knowledge/data/retention.toml), and the marks
    of erasures over two days old."""
    reminders, imports = await asyncio.to_thread(_purge_expired, context.services)
    if reminders or imports:
        log.info("Deleted %d old reminder(s) and %d expired import(s)", reminders, imports)


async def keep_claims_alive(context: BotContext) -> None:
    """This instance's lock, taken again if the database dropped it (bot.dedup)."""
    processor = context.application.update_processor
    if isinstance(processor, PerUserUpdateProcessor) and processor.claims is not None:
        with contextlib.suppress(SQLAlchemyError):  # unreachable still: tried at the next run
            await asyncio.to_thread(processor.claims.keep_alive)


async def on_startup(application: Bot) -> None:
    """Arm the reminder delivery and the retention job; set the command menus: the user menu
    for all, the admin menu in each admin's chat."""
    delivery: DeliveryService = application.bot_data[DELIVERY_KEY]
    delivery.start()
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        purge_expired_job, interval=PURGE_EVERY, first=0, name=PURGE_JOB
    )
    application.job_queue.run_repeating(
        keep_claims_alive, interval=ALIVE_CHECK_SECONDS, first=ALIVE_CHECK_SECONDS
    )
    services: Services = application.bot_data[SERVICES_KEY]
    if isinstance(services.charts, ChartWorkers):
        services.charts.start()
    await set_menu(application.bot, user_menu)
    with services.session() as session:
        admins = admin_ids(session=session, configured=services.admin_ids)
    for user_id in sorted(admins):
        await admin_access.show_admin_menu(application, user_id)


async def on_stop(application: Bot) -> None:
    """After the application stopped (and sent the charts it was drawing): hand the reminder
    delivery to another instance; stop the chart workers."""
    delivery_of(application).stop()
    services: Services = application.bot_data[SERVICES_KEY]
    if isinstance(services.charts, ChartWorkers):
        await asyncio.to_thread(services.charts.close)


def build_application(
    settings: Settings,
    engine: Engine,
    kb: KnowledgeBase,
    *,
    token: str,
    api_root: str | None = None,
    clock: Clock | None = None,
    rate_limited: bool = True,
    delivery_rate: float | None = None,
    read_timeout: float | None = None,
    sandbox_user: int | None = None,
) -> Bot:
    """The bot's Application. `rate_limited=False` is for benchmarks against the emulator;
    `delivery_rate` (sends a second) for tests of large reminder bursts; `read_timeout`
    (seconds to wait for Telegram's answer to a call other than getUpdates; 5 by default)
    for tests of answers that come too late; `sandbox_user`: the sandbox's user, told how to
    become an admin there."""
    clock = clock or Clock()
    several = settings.telegram_webhook_url is not None
    claims = UpdateClaims(
        engine,
        int(token.split(":")[0]),
        clock,
        dead_after=DEAD_AFTER_SECONDS if several else 0.0,
    )
    persistence = DatabasePersistence(engine)
    builder: Builder = (
        ApplicationBuilder()
        .application_class(CleaningApplication)
        .token(token)
        .context_types(CONTEXT_TYPES)
        .job_queue(JobQueue[BotContext]())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .persistence(persistence)
        .concurrent_updates(
            PerUserUpdateProcessor(claims=claims, forget_attempt=persistence.forget_attempt)
        )
        .post_init(on_startup)
        .post_stop(on_stop)
        # At shutdown a last getUpdates marks updates as read while the cancelled long poll
        # may still hold its connection: give it a second one.
        .get_updates_connection_pool_size(2)
    )
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    if rate_limited:
        builder = builder.rate_limiter(RepliesFirst(max_retries=FLOOD_RETRIES))
    if api_root:
        builder = builder.base_url(f"{api_root}/bot").base_file_url(f"{api_root}/file/bot")
    application: Bot = builder.build()
    services = Services(
        engine=engine,
        kb=kb,
        currency=settings.default_currency,
        admin_ids=frozenset(settings.admin_ids),
        timezone=settings.timezone,
        clock=clock,
        charts=ChartWorkers(settings.chart_workers) if settings.charts else None,
        sandbox_user=sandbox_user,
        webapp_url=settings.webapp_url,
    )
    application.bot_data[SERVICES_KEY] = services
    application.bot_data[DELIVERY_KEY] = DeliveryService(
        application, services, delivery_rate or OVERALL_PER_SECOND
    )
    register_handlers(application)
    return application


def delivery_of(application: Bot) -> DeliveryService:
    """The application's reminder delivery service (for the sandbox and tests)."""
    delivery: DeliveryService = application.bot_data[DELIVERY_KEY]
    return delivery


async def run_until(application: Bot, stop: asyncio.Event) -> None:
    """Poll until `stop` is set; what run_polling does, minus signal handling and its own loop."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=10)
        try:
            await stop.wait()
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
