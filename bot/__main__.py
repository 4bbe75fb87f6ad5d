"""Entry point: `python -m bot` runs the bot; `python -m bot roster …` manages the roster."""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import mimetypes
import os
import sys
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session
from telegram.error import TelegramError

from bot.app import build_application, load_kb, prepare_database
from bot.logs import setup_logging
from bot.serve import PollingConflict, serve
from bot.settings import Settings, SettingsError, load_settings
from bot.startup import (
    StartFailed,
    StopRequested,
    check_telegram,
    failure_line,
    stoppable_start,
)
from bot.webhook import ListenFailed
from knowledge.base import KnowledgeBase
from knowledge.writing.i18n import DEFAULT_LANGUAGE, LANGUAGES
from knowledge.writing.render import render
from knowledge.writing.replies import ImportReply, Template
from storage.admin import COMMAND_LINE_ACTOR
from storage.copy import BadRow, TargetNotEmpty, copy_database
from storage.csv_io import (
    ImportProblem,
    RosterRejected,
    UploadRejected,
    export_roster,
    import_roster,
    read_upload,
    some_of,
)
from storage.db import make_engine
from storage.roster_rows import LOW_ENGAGEMENT_RATE
from storage.sample import load_sample, retire_sample

log = logging.getLogger("bot")
SANDBOX_LOG = Path("sandbox.log")
UPLOAD_PROBLEMS = {
    ImportReply.NOT_UTF8: "not UTF-8 text; save it as CSV UTF-8.",
    ImportReply.NOT_CSV: "not a CSV file (a header row of several columns, no NUL characters).",
    ImportReply.TOO_BIG: "too big.",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Influencer-marketing advisor bot. With no command, runs the bot "
        "(or the local sandbox when TELEGRAM_BOT_TOKEN is not set).",
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help="the sandbox only: the language of your Telegram (its language_code)",
    )
    commands = parser.add_subparsers(dest="command")
    roster = commands.add_parser(
        "roster", help="import or export the roster, or load the sample one"
    )
    actions = roster.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="add or update influencers from a CSV file")
    imp.add_argument("file", type=Path)
    exp = actions.add_parser("export", help="write the roster to a CSV file ('-' for stdout)")
    exp.add_argument("file", type=Path)
    exp.add_argument(
        "--language",
        choices=("en", "fr"),
        default="en",
        help="the language of the column names (the values are the same)",
    )
    exp.add_argument(
        "--fr",
        dest="language",
        action="store_const",
        const="fr",
        help="French column names (as --language fr)",
    )
    sample = actions.add_parser("sample", help="load (or refresh) the fictional sample roster")
    sample.add_argument("--remove", action="store_true", help="retire every sample person instead")
    db = commands.add_parser("db", help="copy the database (DATABASE_URL) to another one")
    db_actions = db.add_subparsers(dest="action", required=True)
    copy = db_actions.add_parser(
        "copy", help="copy every table into another, empty database (e.g. PostgreSQL)"
    )
    copy.add_argument("--to", required=True, metavar="URL", help="the database to copy into")
    return parser


def _db_copy(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging("WARNING", settings.token)
    target_url = load_settings(database_url=args.to).database_url
    source = prepare_database(settings, load_kb(settings))
    target = make_engine(target_url)
    shown = make_url(target_url).render_as_string(hide_password=True)
    try:
        copied = copy_database(source, target)
    except TargetNotEmpty as exc:
        print(f"Nothing copied: {shown} is not empty (rows in {exc}).", file=sys.stderr)
        return 1
    except BadRow as exc:
        print(f"Nothing copied: {shown} would refuse a row of {exc}.", file=sys.stderr)
        return 1
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"Can't open the database {shown}: {reason}", file=sys.stderr)
        return 1
    finally:
        source.dispose()
        target.dispose()
    print(
        f"Copied {sum(copied.values()):,} rows in {len(copied)} tables to {shown}. "
        "Set DATABASE_URL to it and start the bot."
    )
    return 0


def _roster(args: argparse.Namespace) -> int:
    settings = load_settings()
    setup_logging("WARNING", settings.token)
    kb = load_kb(settings)
    engine = prepare_database(settings, kb, sample=False)
    try:
        return _roster_action(args, settings, kb, engine)
    finally:
        engine.dispose()


def _roster_action(
    args: argparse.Namespace, settings: Settings, kb: KnowledgeBase, engine: Engine
) -> int:
    with Session(engine) as session:
        if args.action == "import":
            try:
                data = args.file.read_bytes()
            except FileNotFoundError:
                print(f"No such file: {args.file}", file=sys.stderr)
                return 2
            except OSError as exc:
                print(f"Can't read {args.file}: {exc.strerror or exc}", file=sys.stderr)
                return 2
            try:
                text = read_upload(
                    data,
                    name=args.file.name,
                    mime_type=mimetypes.guess_type(args.file.name)[0],
                    max_bytes=None,
                )
            except UploadRejected as exc:
                print(f"{args.file}: {UPLOAD_PROBLEMS[exc.reason]}", file=sys.stderr)
                return 2
            try:
                summary, parsed = import_roster(
                    session=session,
                    text=text,
                    kb=kb,
                    currency=settings.default_currency,
                    actor_id=COMMAND_LINE_ACTOR,
                    source=f"{args.file.name} (command line)",
                )
            except RosterRejected as exc:
                print(f"Import refused, nothing changed: {exc.total} problem(s).", file=sys.stderr)
                for problem in exc.problems:
                    print(f"  {_problem_text(problem)}", file=sys.stderr)
                if exc.total > len(exc.problems):
                    print(f"  … and {exc.total - len(exc.problems)} more", file=sys.stderr)
                return 1
            if parsed.ignored_columns:
                print("Ignored unknown column(s): " + some_of(parsed.ignored_columns))
            if parsed.new_niches:
                niches = [f"{n} ({rows})" for n, rows in parsed.new_niches.items()]
                print("New niche(s), now offered to every user: " + some_of(niches))
            if parsed.low_rate_lines:
                lines = some_of([str(n) for n in parsed.low_rate_lines])
                print(
                    f"Engagement rate under {LOW_ENGAGEMENT_RATE} % on line(s) {lines}: taken as "
                    "it is; check it is a percentage (0.042 means 0.042 %, not 4.2 %)."
                )
            print(
                f"Imported {args.file}: {summary.added} added, {summary.updated} updated, "
                f"{summary.unchanged} unchanged."
            )
        elif args.action == "export":
            if str(args.file) == "-":
                return _export_to_stdout(session, args.language)
            else:
                try:
                    with args.file.open("w", encoding="utf-8", newline="") as out:
                        count = export_roster(session=session, out=out, language=args.language)
                except OSError as exc:
                    print(f"Can't write {args.file}: {exc.strerror or exc}", file=sys.stderr)
                    return 2
                print(f"Exported {count} influencers to {args.file}.")
        elif args.remove:
            retired = retire_sample(session=session)
            print(f"Sample roster: {retired} fictional people retired (removed, as by /remove).")
        else:
            summary, retired = load_sample(
                session=session, currency=settings.default_currency, kb=kb
            )
            print(
                f"Sample roster: {summary.added} added, {summary.updated} updated, "
                f"{summary.unchanged} unchanged, {retired} retired (fictional people)."
            )
    return 0


def _problem_text(problem: ImportProblem) -> str:
    """One problem of a refused file, as the chat says it, in plain text."""
    return html.unescape(
        render(Template.IMPORT_MESSAGES, kind=ImportReply.PROBLEM, problem=problem)
    )


def _export_to_stdout(session: Session, language: str) -> int:
    try:
        export_roster(session=session, out=sys.stdout, language=language)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left early (`… | head -1`): stop quietly, as other command-line tools
        # do. Python would otherwise complain again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _run(language: str) -> int:
    settings = load_settings()
    if settings.token is None:
        return _sandbox(settings, language)
    setup_logging(settings.log_level, settings.token)
    try:
        with stoppable_start():
            return _serve(settings)
    except StopRequested as exc:
        print(f"Stopped while starting ({exc}).", file=sys.stderr)
        return 0


def _sandbox(settings: Settings, language: str) -> int:
    from bot.sandbox.terminal import run_sandbox

    # The sandbox's terminal is the chat: its log goes to a file, never between messages.
    setup_logging(settings.log_level, settings.token, SANDBOX_LOG)
    kb = load_kb(settings)
    engine = prepare_database(settings, kb)
    try:
        if settings.log_level != "DEBUG":  # the framework's start/stop lines would cut in
            logging.getLogger("telegram.ext").setLevel(logging.WARNING)
        return asyncio.run(run_sandbox(settings, engine, kb, language))
    finally:
        engine.dispose()


def _serve(settings: Settings) -> int:
    """Start the bot and serve until stopped (StopRequested on a stop asked for before its
    event loop runs)."""
    assert settings.token is not None
    kb = load_kb(settings)
    engine = prepare_database(settings, kb)
    try:
        token, api_root = settings.token, settings.telegram_api_base_url
        try:
            username = check_telegram(token, api_root)
        except StartFailed as exc:
            print(exc, file=sys.stderr)
            return 1
        application = build_application(settings, engine, kb, token=token, api_root=api_root)
        mode = "webhook" if settings.telegram_webhook_url else "long polling"
        log.info("Bot @%s starting (%s)", username, mode)
        try:
            asyncio.run(serve(application, engine, settings))
        except PollingConflict as exc:
            print(exc, file=sys.stderr)
            return 3
        except ListenFailed as exc:
            print(exc, file=sys.stderr)
            return 1
        except TelegramError as exc:  # Telegram failed between the check and the first poll
            print(failure_line(exc, token, api_root), file=sys.stderr)
            return 1
        return 0
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "db":
            return _db_copy(args)
        return _roster(args) if args.command == "roster" else _run(args.lang)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
