"""The sandbox's own flags and commands: `--lang fr` and `:lang`, saved files that never
overwrite an earlier run's, and `:quit` or Ctrl-D leaving no process behind (a real
`python -m bot`, its chart worker running)."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from bot.sandbox.terminal import SANDBOX_TOKEN, SANDBOX_USER
from knowledge.reading.init_data import read_init_data
from tests.conftest import SETTINGS, Cli

ROOT = Path(__file__).resolve().parent.parent
BRIEF = "/advise goal=sales budget=800 niche=cooking\n"
BRIEF_FR = "/conseil objectif=ventes budget=800 niche=cuisine\n"
# Lines `python -m bot` may print before the card's first line.
MAX_LINES = 500


def test_lang_fr_makes_the_sandbox_user_french(cli: Cli) -> None:
    result = cli("--lang", "fr", stdin=BRIEF_FR)
    assert result.code == 0, result.err
    assert "language (now fr)" in result.out
    assert "Recommandation\u00a0: micro-influenceurs" in result.out


def test_lang_switches_the_language_mid_run(cli: Cli) -> None:
    result = cli(stdin=f"{BRIEF}:lang fr\n{BRIEF_FR}:langue en\n:lang de\n/help\n")
    assert result.code == 0, result.err
    english, _, rest = result.out.partition("your Telegram now speaks Français (fr)")
    french, _, last = rest.partition("your Telegram now speaks English (en)")
    assert "Recommendation: micro-influencers" in english
    assert "Recommandation\u00a0: micro-influenceurs" in french
    assert "try :lang en, :lang fr" in last and "What I can do" in last


def test_a_piped_button_waits_for_the_message_it_presses(cli: Cli) -> None:
    """A reader's piped "1", typed right after a sentence brief, once went out while the
    brief was still being read, and was taken as text: each line now waits until the bot has
    taken and handled the one before. The brief's last question, the summary, the card."""
    sentence = "/advise I sell bread in Lyon, budget 800 euros, I want more sales on Instagram"
    result = cli(stdin=f"{sentence}\n1\n1\n1\n", CHARTS="false")
    assert result.code == 0, result.err
    pressed = [line.strip() for line in result.out.splitlines() if "(you pressed:" in line]
    assert pressed == [
        "(you pressed: Skip)",
        "(you pressed: ✅ Get my recommendation)",
        "(you pressed: 💡 Why)",
    ], result.out


def test_a_copy_button_shows_what_it_copies_and_sends_the_bot_nothing(cli: Cli) -> None:
    """📎 under a first message is Telegram's copy-text button: the sandbox has no clipboard,
    so it prints what a tap would copy (the last message's promo code), and the bot is told
    nothing. The card's second button is the shortlist, whose first is the first messages."""
    brief = "/advise goal=sales budget=800 niche=cooking platform=instagram shop_name=Chez Marie"
    result = cli(stdin=f"{brief}\n2\n1\n1\n", CHARTS="false")
    assert result.code == 0, result.err
    pressed, _, after = result.out.partition("(you pressed: 📎 Copy the code; copied to your")
    assert pressed and after.splitlines()[1].strip().startswith("CHEZMARIE-"), result.out
    code = after.splitlines()[1].strip()
    assert f" {code} (10" in pressed  # the message says it, in its creator's language
    assert "Sandbox stopped." in after and "(bot)" not in after


def test_the_sandbox_prints_a_signed_link_to_the_roster_page(cli: Cli) -> None:
    """At start and on `:page`: a local address with initData signed for the sandbox's user,
    as Telegram signs it, in its Telegram's language of the moment."""
    result = cli(stdin=":lang fr\n:page\n")
    assert result.code == 0, result.err
    links = re.findall(r"(http://127\.0\.0\.1:\d+/app/roster)#tgWebAppData=(\S+)", result.out)
    assert len(links) == 2
    languages = []
    for _root, data in links:
        user = read_init_data(unquote(data), token=SANDBOX_TOKEN, now=time.time(), max_age=60)
        assert user.id == SANDBOX_USER
        languages.append(user.language_code)
    assert languages == ["en", "fr"]


def test_saved_files_never_overwrite_an_earlier_runs(tmp_path: Path, cli: Cli) -> None:
    script = "/advise goal=sales budget=800 niche=cooking\n4\n4\n"  # Plan (CSV), twice
    first = cli(stdin=script, CHARTS="false")
    assert first.code == 0, first.err
    first_files = sorted(p.name for p in (tmp_path / "sandbox-files").iterdir())
    assert len(first_files) == 2 and first_files[0] != first_files[1]
    second = cli(stdin=script, CHARTS="false")
    assert second.code == 0, second.err
    files = sorted(p.name for p in (tmp_path / "sandbox-files").iterdir())
    assert len(files) == 4 and set(first_files) < set(files)
    for name in files:
        assert f"saved as sandbox-files/{name}" in first.out + second.out


def _group(pgid: int) -> list[int]:
    """The processes (their ids) of process group `pgid`, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = stat.rpartition(")")[2].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def _sandbox_showing_a_card(
    folder: Path,
) -> tuple[subprocess.Popen[str], threading.Timer]:
    """The sandbox in its own process group, in `folder`, once it has shown a card (its
    chart worker then runs), and the watchdog that kills the group after two minutes
    (cancel it once the test is done with the process)."""
    environment = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    environment["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=folder,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    watchdog = threading.Timer(120, os.killpg, (process.pid, 9))
    watchdog.start()
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(BRIEF)
    process.stdin.flush()
    for _ in range(MAX_LINES):
        if "Recommendation:" in process.stdout.readline():
            break
    return process, watchdog


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not hasattr(os, "pidfd_open"),
    reason="reads processes from /proc, waits with pidfd_open (Linux)",
)
@pytest.mark.parametrize("stop", [":quit\n", ""], ids=[":quit", "Ctrl-D"])
def test_quit_and_ctrl_d_leave_no_process_behind(tmp_path: Path, stop: str) -> None:
    """The sandbox in its own process group, with its chart worker: once the card is out,
    the worker is running; after `:quit` (or the end of input, as Ctrl-D gives) the whole
    group is gone."""
    process, watchdog = _sandbox_showing_a_card(tmp_path)
    try:
        assert process.stdin is not None and process.stdout is not None
        assert len(_group(process.pid)) > 1  # the bot and its chart worker
        process.stdin.write(stop)
        process.stdin.close()
        process.stdout.read()
        assert process.wait(timeout=60) == 0
    finally:
        watchdog.cancel()
    # multiprocessing's resource tracker ends by itself once the bot is gone (its pipe
    # closes): wait for what is still ending, bounded, without polling.
    for pid in _group(process.pid):
        _wait_for_end(pid, timeout=10)
    left = {pid: _command(pid) for pid in _group(process.pid)}
    assert left == {}


def _wait_for_end(pid: int, timeout: float) -> None:
    """Return when process `pid` (not a child of ours) has ended, or after `timeout` s."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        select.select([handle], [], [], timeout)
    finally:
        os.close(handle)


def _command(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    except OSError:
        return "(ended)"


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not hasattr(os, "pidfd_open"),
    reason="reads processes from /proc, waits with pidfd_open (Linux)",
)
def test_a_killed_bot_leaves_no_chart_worker_behind(tmp_path: Path) -> None:
    """kill -9 gives the bot no chance to stop its workers: they watch it, and end."""
    process, watchdog = _sandbox_showing_a_card(tmp_path)
    try:
        assert process.stdin is not None and process.stdout is not None
        workers = [pid for pid in _group(process.pid) if pid != process.pid]
        assert workers  # the chart worker (and multiprocessing's resource tracker)
        process.kill()
        assert process.wait(timeout=30) == -9
    finally:
        watchdog.cancel()
    for pid in workers:
        _wait_for_end(pid, timeout=10)
    left = {pid: _command(pid) for pid in _group(process.pid)}
    assert left == {}


def test_a_cards_plan_button_prints_a_signed_link_to_its_plan_page(cli: Cli) -> None:
    """The card's "Edit the plan" button opens a Mini App, which the sandbox has not: its
    number prints the plan page's local address, signed in as the sandbox's user."""
    result = cli(stdin=f"{BRIEF}8\n", CHARTS="false")
    assert result.code == 0, result.err
    assert "[8] ✏️ Edit the plan" in result.out, result.out
    links = re.findall(
        r"(http://127\.0\.0\.1:\d+/app/plan\?brief=\d+)#tgWebAppData=(\S+)", result.out
    )
    assert len(links) == 1, result.out
    user = read_init_data(unquote(links[0][1]), token=SANDBOX_TOKEN, now=time.time(), max_age=60)
    assert user.id == SANDBOX_USER
