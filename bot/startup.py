"""Reaching Telegram at start: the token checked (getMe) before polling begins, with a
bounded backoff while Telegram can't be reached, and every failure told in one line that
never holds the token (python-telegram-bot's own exception for a rejected token quotes it).

A stop asked for while the bot starts (Ctrl-C, SIGTERM from systemd or docker) is a stop, not
a failure: `stoppable_start` turns it into StopRequested, told in one line, exit code 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

log = logging.getLogger("bot")

# Seconds between tries while Telegram can't be reached at start (about a minute in all),
# then start-up gives up.
START_RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
TELEGRAM = "https://api.telegram.org"


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StartFailed(Exception):
    """Start-up can't go on; the message is one line, without the token."""


class StopRequested(Exception):
    """SIGINT or SIGTERM came while the bot was starting (the message: the signal's name)."""


@contextmanager
def stoppable_start() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise StopRequested (an event loop's own
    handlers, set for its run, take over meanwhile: see `check_telegram` and bot.serve)."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise StopRequested(signal.Signals(signum).name)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def hidden(text: str, token: str) -> str:
    """`text` on one line, the token (and its secret part) replaced."""
    secret = token.split(":", 1)[-1]
    for value in (token, secret):
        if value:
            text = text.replace(value, "[token]")
    return " ".join(text.split())


def failure_line(exc: TelegramError, token: str, api_root: str | None) -> str:
    """What to tell the person starting the bot about `exc`, in one line."""
    where = api_root or TELEGRAM
    if isinstance(exc, InvalidToken):
        # The framework's own message quotes the token; its cause holds the server's answer.
        answer = hidden(str(exc.__cause__ or "rejected"), token).split(". Parsing")[0]
        return (
            f"Telegram at {where} refused the bot token ({answer}): check TELEGRAM_BOT_TOKEN"
            " and TELEGRAM_API_BASE_URL (the server's root, without /bot…)."
        )
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return (
            f"Can't reach Telegram at {where} ({hidden(str(exc), token)}): check the network"
            " and TELEGRAM_API_BASE_URL."
        )
    return f"Telegram at {where} refused to start the bot: {hidden(str(exc), token)}"


async def _reach(token: str, api_root: str | None, delays: tuple[float, ...]) -> str:
    root = api_root or TELEGRAM
    tries = len(delays) + 1
    for attempt, delay in enumerate((*delays, None), start=1):
        bot = Bot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot")
        try:
            async with bot:  # getMe; closed again on the way out
                return bot.username
        except BadRequest as exc:
            raise StartFailed(failure_line(exc, token, api_root)) from None
        except NetworkError as exc:  # unreachable, timed out, or a 5xx: worth another try
            if delay is None:
                line = failure_line(exc, token, api_root)
                raise StartFailed(f"{line} Gave up after {tries} tries.") from None
            log.warning(
                "Can't reach Telegram (%s); try %d of %d, the next in %g s",
                hidden(str(exc), token),
                attempt,
                tries,
                delay,
            )
            await asyncio.sleep(delay)
        except TelegramError as exc:
            raise StartFailed(failure_line(exc, token, api_root)) from None
    raise AssertionError("unreachable")


def check_telegram(
    token: str, api_root: str | None, delays: tuple[float, ...] | None = None
) -> str:
    """The bot's username, once Telegram has accepted the token; StartFailed (one line, the
    token hidden) when it refuses it, or can't be reached after the bounded retries;
    StopRequested on SIGINT or SIGTERM meanwhile (the tries, and their waits, cancelled).

    Runs in its own event loop, closed before returning, so that python-telegram-bot's
    run_polling then starts on a loop of its own as usual."""
    # An answer that is not JSON (a web server's own 404 page) is logged by the framework
    # with a traceback; the line raised here says all there is to say.
    quiet = logging.getLogger("telegram.request")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    loop = asyncio.new_event_loop()
    reach = loop.create_task(
        _reach(token, api_root, START_RETRY_DELAYS if delays is None else delays)
    )
    previous = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    stopped_by: list[str] = []

    def stop(signum: signal.Signals) -> None:
        stopped_by.append(signum.name)
        reach.cancel()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
    try:
        return loop.run_until_complete(reach)
    except asyncio.CancelledError:
        raise StopRequested(stopped_by[0] if stopped_by else "stop") from None
    finally:
        for signum, handler in previous.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)
        loop.close()
        quiet.setLevel(level)
