"""The command line as a user runs it: `python -m bot` in a fresh folder."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.emulator import BotApiEmulator

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


def run_bot(
    args: list[str], cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_roster_import_export_and_sample(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Léa Martin,@leacuisine,instagram,cooking,24k,4.1,350\n", "utf-8")
    result = run_bot(["roster", "import", str(good)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    assert (tmp_path / "data" / "bot.db").exists()

    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "Léa Martin,@leacuisine,instagram,cooking,24k,4.1,350\n"
        "Bob,@bob,instagram,cooking,lots,4.1,350\n",
        "utf-8",
    )
    result = run_bot(["roster", "import", str(bad)], tmp_path)
    assert result.returncode == 1
    assert "nothing changed" in result.stderr and "line 3: followers" in result.stderr

    out = tmp_path / "out.csv"
    assert run_bot(["roster", "export", str(out)], tmp_path).returncode == 0
    exported = out.read_text("utf-8")
    assert exported.startswith("name,handle,platform,niche,")
    assert "Léa Martin" in exported and "Bob" not in exported

    result = run_bot(["roster", "sample"], tmp_path)
    assert result.returncode == 0 and "0 added" in result.stdout


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    result = run_bot(["roster", "import", "nope.csv"], tmp_path)
    assert result.returncode == 2 and "No such file" in result.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "Léa,@lea,instagram,cooking,1000,3,10\n").encode("latin-1"))
    result = run_bot(["roster", "import", str(latin)], tmp_path)
    assert result.returncode == 2 and "not UTF-8" in result.stderr
    result = run_bot(["roster", "import", str(tmp_path)], tmp_path)  # a folder
    assert result.returncode == 2 and result.stderr.startswith("Can't read")
    result = run_bot(["roster", "export", str(tmp_path / "no" / "such" / "x.csv")], tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("Can't write")


def test_a_malformed_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    for name, value in [
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
    ]:
        result = run_bot([], tmp_path, **{name: value})
        assert result.returncode == 2, (name, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Setting {name} is invalid"), lines


def test_a_database_that_cannot_be_opened_is_named_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = run_bot([], tmp_path, DATABASE_URL=f"sqlite:///{folder}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Can't open the database sqlite:///"), lines


def test_sandbox_without_a_token_gives_a_recommendation(tmp_path: Path) -> None:
    result = run_bot([], tmp_path, stdin="/advise goal=sales budget=800 niche=cooking\n")
    assert result.returncode == 0, result.stderr
    assert "Sandbox" in result.stdout
    assert "Recommendation: micro-influencers" in result.stdout
    assert "Sandbox stopped." in result.stdout


def test_sandbox_lets_time_pass_for_reminders(tmp_path: Path) -> None:
    script = "/remind in 2 hours call Léa\n:wait 1 hour\n:wait soon\n:wait 2 hours\n"
    result = run_bot([], tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    before, _, after = result.stdout.partition("try :wait 2 hours")
    assert "call Léa" not in before.split("OK, I'll remind you")[1]  # not yet after 1 hour
    assert "Reminder" in after and "call Léa" in after and "late" not in after


def test_sandbox_sends_and_saves_files(tmp_path: Path) -> None:
    (tmp_path / "mine.csv").write_text(HEADER + "Zed,@zedcooks,blog,cooking,50k,9,100\n")
    script = "/import\n:file missing.csv\n:file mine.csv\n1\n/export niche:cooking\n"
    result = run_bot([], tmp_path, stdin=script, ADMIN_IDS="1001")
    assert result.returncode == 0, result.stderr
    assert "can't read missing.csv" in result.stdout
    assert "Imported mine.csv: 1 added" in result.stdout
    [saved] = (tmp_path / "sandbox-files").iterdir()
    assert saved.name.startswith("roster-") and "@zedcooks" in saved.read_text()
    assert f"saved as sandbox-files/{saved.name}" in result.stdout


async def test_real_mode_against_a_bot_api_server_never_logs_the_token(tmp_path: Path) -> None:
    token = "987654321:SECRET-token-value-do-not-log-0123456789"
    async with BotApiEmulator(token) as emulator:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
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
    assert "micro-influencers" in emulator.chat_events(7)[0].message.text  # type: ignore[union-attr]
    assert "getUpdates" in logs or "Application started" in logs
    assert token not in logs and "SECRET-token" not in logs
