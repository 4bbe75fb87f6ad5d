"""Issue 24, part 5: a stop asked for while the bot starts (Ctrl-C, or SIGTERM from systemd
or docker) during the back-off while Telegram can't be reached is one line and exit code 0,
never a traceback, and the bot does not wait out the back-off. A real `python -m bot`."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.conftest import TOKEN, eventually
from tests.instances import BotProcess, free_port


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_a_stop_during_the_start_up_back_off_is_one_line_and_exit_code_0(
    signum: signal.Signals, tmp_path: Path
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there: the bot retries
    bot = BotProcess(
        tmp_path,
        "bot",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=closed,
        DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
        LOG_LEVEL="WARNING",
    )
    await bot.start()
    try:
        await eventually(lambda: "try 3 of 7" in bot.output(), 60)  # waiting 4 s for try 4
        assert bot.process is not None
        asked = time.monotonic()
        bot.process.send_signal(signum)
        code = await bot.wait(10)
        stopped_in = time.monotonic() - asked
    finally:
        await bot.kill()
    output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output, output
    lines = output.strip().splitlines()
    assert [line for line in lines if "try" not in line] == [
        f"Stopped while starting ({signum.name})."
    ]
    assert stopped_in < 4, stopped_in  # not after the back-off (2 s was tight on a loaded machine)


async def test_a_stop_while_the_database_is_prepared_is_one_line_and_exit_code_0(
    tmp_path: Path,
) -> None:
    bot = BotProcess(
        tmp_path,
        "bot",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}",
        DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
        LOG_LEVEL="WARNING",
    )
    await bot.start()
    try:
        await eventually(lambda: (tmp_path / "bot.db").exists(), 60)  # migrating, loading
        assert bot.process is not None
        bot.process.send_signal(signal.SIGTERM)
        code = await bot.wait(10)
    finally:
        await bot.kill()
    output = bot.output()
    assert code == 0 and "Traceback" not in output, output
    assert output.strip().splitlines()[-1] == "Stopped while starting (SIGTERM)."
