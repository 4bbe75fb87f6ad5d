"""The command line as a user runs it: `python -m bot` in a fresh folder.

Most cases run the entry point in-process (`bot.__main__.main`, in the test's folder and
environment, its output captured), which is much faster than starting Python each time. Two
start a real `python -m bot`: a bad setting stops it with one line, and a real run against a
Bot API server never writes the token to its log.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.sandbox.emulator import BotApiEmulator
from tests.conftest import SETTINGS, Cli

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


def run_bot(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A real `python -m bot`, with only the given settings in the environment."""
    environment = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_roster_import_export_and_sample(tmp_path: Path, cli: Cli) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Léa Martin,@leacuisine,instagram,cooking,24k,4.1,350\n", "utf-8")
    result = cli("roster", "import", str(good))
    assert result.code == 0, result.err
    assert "1 added" in result.out
    assert (tmp_path / "data" / "bot.db").exists()

    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "Léa Martin,@leacuisine,instagram,cooking,24k,4.1,350\n"
        "Bob,@bob,instagram,cooking,lots,4.1,350\n",
        "utf-8",
    )
    result = cli("roster", "import", str(bad))
    assert result.code == 1
    assert "nothing changed" in result.err and "line 3: followers" in result.err

    out = tmp_path / "out.csv"
    assert cli("roster", "export", str(out)).code == 0
    exported = out.read_text("utf-8")
    assert exported.startswith("name,handle,platform,niche,")
    assert "Léa Martin" in exported and "Bob" not in exported
    result = cli("roster", "export", "-")
    assert result.code == 0 and result.out == exported

    result = cli("roster", "sample")
    assert result.code == 0 and "0 added" in result.out


def test_missing_file_and_non_utf8(tmp_path: Path, cli: Cli) -> None:
    result = cli("roster", "import", "nope.csv")
    assert result.code == 2 and "No such file" in result.err
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "Léa,@lea,instagram,cooking,1000,3,10\n").encode("latin-1"))
    result = cli("roster", "import", str(latin))
    assert result.code == 2 and "not UTF-8" in result.err
    result = cli("roster", "import", str(tmp_path))  # a folder
    assert result.code == 2 and result.err.startswith("Can't read")
    result = cli("roster", "export", str(tmp_path / "no" / "such" / "x.csv"))
    assert result.code == 2 and result.err.startswith("Can't write")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Mars/Olympus"),
        ("ADMIN_IDS", "12,abc"),
        ("DEFAULT_CURRENCY", "euro"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("LOG_LEVEL", "LOUD"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_URL", "oracle2://127.0.0.1/x"),
        ("DATABASE_URL", "postgresql+psycopg2://u:secret@127.0.0.1/x"),
        ("ASSUMPTIONS_FILE", "missing.toml"),
        ("TELEGRAM_WEBHOOK_URL", "http://bot.example.org/hook"),
        ("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/hook"),  # with no token
        ("WEBHOOK_LISTEN", "8080"),
        ("WEBHOOK_LISTEN", "127.0.0.1:70000"),
        ("WEBHOOK_SECRET", "short"),
    ],
)
def test_a_malformed_setting_stops_start_up_with_one_line(name: str, value: str, cli: Cli) -> None:
    result = cli(**{name: value})
    assert result.code == 2, (name, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Setting {name} is invalid"), lines
    assert result.out == ""


def test_python_m_bot_stops_with_one_line_on_a_bad_setting(tmp_path: Path) -> None:
    """The same through a real `python -m bot`: the exit code and nothing but the line."""
    result = run_bot([], tmp_path, TIMEZONE="Mars/Olympus")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "Setting TIMEZONE is invalid: must be an IANA time zone such as Europe/Paris"
    ]
    assert result.stdout == ""


def test_a_database_that_cannot_be_opened_is_named_in_one_line(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = cli(DATABASE_URL=f"sqlite:///{folder}")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Can't open the database sqlite:///"), lines


def test_sandbox_without_a_token_gives_a_recommendation(cli: Cli) -> None:
    result = cli(stdin="/advise goal=sales budget=800 niche=cooking\n")
    assert result.code == 0, result.err
    assert "Sandbox" in result.out
    assert "Recommendation: micro-influencers" in result.out
    assert "Sandbox stopped." in result.out


def test_sandbox_lets_time_pass_for_reminders(cli: Cli) -> None:
    script = "/remind in 2 hours call Léa\n1\n:wait 1 hour\n:wait soon\n:wait 2 hours\n"
    result = cli(stdin=script)
    assert result.code == 0, result.err
    assert "Your time zone?" in result.out and "(you pressed: UTC)" in result.out
    before, _, after = result.out.partition("try :wait 2 hours")
    assert "call Léa" not in before.split("OK, I'll remind you")[1]  # not yet after 1 hour
    assert "Reminder" in after and "call Léa" in after and "late" not in after


def test_sandbox_sends_and_saves_files(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "mine.csv").write_text(HEADER + "Zed,@zedcooks,blog,cooking,50k,9,100\n")
    script = "/import\n:file missing.csv\n:file mine.csv\n1\n/export niche:cooking\n"
    result = cli(stdin=script, ADMIN_IDS="1001")
    assert result.code == 0, result.err
    assert "can't read missing.csv" in result.out
    assert "Imported mine.csv: 1 added" in result.out
    [saved] = (tmp_path / "sandbox-files").iterdir()
    assert "-roster-" in saved.name  # after the run stamp
    assert "\nZed,zedcooks," in saved.read_text()
    assert f"saved as sandbox-files/{saved.name}" in result.out


async def test_real_mode_against_a_bot_api_server_never_logs_the_token(tmp_path: Path) -> None:
    token = "987654321:SECRET-token-value-do-not-log-0123456789"
    async with BotApiEmulator(token) as emulator:
        environment = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
        environment.update(
            TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=emulator.root, LOG_LEVEL="DEBUG"
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await emulator.send_text(7, "/start")
            await emulator.wait_for(lambda: bool(emulator.chat_events(7)), timeout=60)
            await emulator.send_text(7, "/nonsense")
            await emulator.wait_for(lambda: len(emulator.chat_events(7)) >= 2, timeout=30)
        finally:
            process.send_signal(signal.SIGINT)
            await emulator.release_long_polls()
            stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    logs = stdout.decode() + stderr.decode()
    [welcome, *_] = [e.message for e in emulator.chat_events(7) if e.message is not None]
    assert "micro-influencers" in welcome.text
    assert "getUpdates" in logs or "Application started" in logs
    assert token not in logs and "SECRET-token" not in logs


def _sqlite_with_a_reminder(tmp_path: Path, cli: Cli, text: str) -> Engine:
    """The command line's SQLite database holding one imported creator and a reminder saying
    `text` (written straight to the database, as an older version may have)."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from storage.campaigns import add_reminder
    from storage.db import make_engine

    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Léa Martin,@leacuisine,instagram,cooking,24k,4.1,350\n", "utf-8")
    assert cli("roster", "import", str(good)).code == 0
    source = make_engine(f"sqlite:///{tmp_path}/data/bot.db")
    with Session(source) as session:
        add_reminder(session=session, user_id=42, due_at=datetime.now(UTC), text=text)
    return source


def test_db_copy_moves_a_sqlite_database_to_postgresql(
    tmp_path: Path, cli: Cli, postgres_url: str
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import func, select
    from sqlmodel import Session, SQLModel

    from storage.campaigns import add_reminder
    from storage.db import make_engine

    source = _sqlite_with_a_reminder(tmp_path, cli, "call Léa")

    result = cli("db", "copy", "--to", postgres_url)
    assert result.code == 0, result.err
    assert "Copied" in result.out and "Set DATABASE_URL" in result.out
    target = make_engine(postgres_url)
    for table in SQLModel.metadata.sorted_tables:
        with source.connect() as a, target.connect() as b:
            count = select(func.count()).select_from(table)
            assert a.scalar(count) == b.scalar(count), table.name
    with Session(target) as session:  # the id sequences follow the copied ids
        added = add_reminder(session=session, user_id=42, due_at=datetime.now(UTC), text="new")
        assert added.id == 2

    again = cli("db", "copy", "--to", postgres_url)
    assert again.code == 1 and "is not empty" in again.err and "Traceback" not in again.err
    source.dispose()
    target.dispose()


def test_db_copy_names_a_row_postgresql_would_refuse_and_copies_nothing(
    tmp_path: Path, cli: Cli, postgres_url: str
) -> None:
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    from storage.db import make_engine

    source = _sqlite_with_a_reminder(tmp_path, cli, "call\x00 Léa")  # SQLite kept it

    result = cli("db", "copy", "--to", postgres_url)
    assert result.code == 1 and "Traceback" not in result.err
    [line] = result.err.strip().splitlines()
    assert "would refuse a row of reminder (id=1): text holds a control character" in line
    target = make_engine(postgres_url)
    with target.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            assert connection.scalar(select(func.count()).select_from(table)) == 0, table.name
    source.dispose()
    target.dispose()
