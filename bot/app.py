"""Application wiring: services, handlers in their order, persistence, start-up and shutdown."""

from __future__ import annotations

import asyncio
import logging
import warnings

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from telegram import BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.persistence import DatabasePersistence
from bot.processing import PerUserUpdateProcessor
from bot.settings import Settings, SettingsError
from handlers import admin, advise, campaigns, common
from handlers.dispatch import DISPATCHER_KEY, Dispatcher, dispatcher
from handlers.menu import ADMIN_MENU, USER_MENU
from handlers.services import SERVICES_KEY, Services
from knowledge.base import KnowledgeBase, load_knowledge
from knowledge.when import Clock
from storage.admin import admin_ids
from storage.db import make_engine, migrate
from storage.roster import roster_is_empty
from storage.sample import load_sample
from storage.search import rescore_all_if_needed, use_knowledge

log = logging.getLogger(__name__)


def prepare_database(settings: Settings, kb: KnowledgeBase) -> Engine:
    """Open the database, apply migrations, load the sample roster into an empty one, and
    rescore the roster's search columns if the assumptions changed."""
    use_knowledge(kb)
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
    except OperationalError as exc:
        shown = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SettingsError(f"Can't open the database {shown} (DATABASE_URL): {reason}") from None
    with Session(engine) as session:
        if roster_is_empty(session=session):
            load_sample(session=session, currency=settings.default_currency)
            log.info("The roster was empty: loaded the sample roster (fictional people)")
        if rescore_all_if_needed(session):
            log.info("Scored the roster under the current assumptions")
    return engine


def load_kb(settings: Settings) -> KnowledgeBase:
    return load_knowledge(settings.assumptions_file)


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """All handlers, in one place. Within group 0 the first match wins, so order matters."""
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():
        # per_message=False is intended: a brief follows the user, not one message.
        warnings.simplefilter("ignore", PTBUserWarning)
        brief = advise.conversation()
        admin_handlers = admin.handlers()
        campaign_handlers = campaigns.handlers()
    application.add_handlers(
        [
            # The brief first: while one is open, its states take typed answers and buttons.
            brief,
            # Admin commands (private chats only; each checks rights itself, every step).
            *admin_handlers,
            # Campaigns, check-in results, reminders and time zones.
            *campaign_handlers,
            CommandHandler("start", common.start, filters=private),
            CommandHandler("help", common.help_command, filters=private),
            CommandHandler("cancel", common.nothing_to_cancel, filters=private),
            # Any other command, then anything else typed or sent outside a brief.
            MessageHandler(filters.COMMAND & private, common.unknown_command),
            MessageHandler(~filters.COMMAND & private, common.stray_message),
            # Buttons no handler above took belong to a finished or replaced brief.
            CallbackQueryHandler(common.expired_button),
        ]
    )
    # First, in its own group: a user who had blocked the bot is back, resume their reminders.
    application.add_handler(TypeHandler(Update, campaigns.resume_paused), group=-1)
    # Last, in its own group so it sees every update after the handlers above ran.
    application.add_handler(TypeHandler(Update, common.persist_now), group=100)
    application.add_error_handler(common.on_error)


async def on_startup(application: Application) -> None:  # type: ignore[type-arg]
    """Set the command menus: the user menu for all, the admin menu in each admin's chat."""
    dispatcher(application).start()
    await application.bot.set_my_commands(USER_MENU)
    services: Services = application.bot_data[SERVICES_KEY]
    with services.session() as session:
        admins = admin_ids(session=session, configured=services.admin_ids)
    for user_id in sorted(admins):
        try:
            await application.bot.set_my_commands(ADMIN_MENU, scope=BotCommandScopeChat(user_id))
        except TelegramError as exc:
            log.info("No admin menu for %s yet (%s)", user_id, exc)


def build_application(
    settings: Settings,
    engine: Engine,
    kb: KnowledgeBase,
    *,
    token: str,
    api_root: str | None = None,
    clock: Clock | None = None,
    rate_limited: bool = True,
) -> Application:  # type: ignore[type-arg]
    """The bot's Application. `rate_limited=False` is for benchmarks against the emulator."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .persistence(DatabasePersistence(engine))
        .concurrent_updates(PerUserUpdateProcessor())
        .post_init(on_startup)
        # At shutdown a last getUpdates marks updates as read while the cancelled long poll
        # may still hold its connection: give it a second one.
        .get_updates_connection_pool_size(2)
    )
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if api_root:
        builder = builder.base_url(f"{api_root}/bot").base_file_url(f"{api_root}/file/bot")
    application = builder.build()
    application.bot_data[SERVICES_KEY] = Services(
        engine=engine,
        kb=kb,
        currency=settings.default_currency,
        admin_ids=frozenset(settings.admin_ids),
        timezone=settings.timezone,
        clock=clock or Clock(),
    )
    application.bot_data[DISPATCHER_KEY] = Dispatcher(application)
    register_handlers(application)
    return application


async def run_until(application: Application, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
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
