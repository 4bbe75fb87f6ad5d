"""Entry point: `python -m bot` runs the bot; `python -m bot roster …` manages the roster."""

from __future__ import annotations

import argparse
import asyncio
import logging
import mimetypes
import sys
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from bot.app import build_application, load_kb, prepare_database
from bot.logs import setup_logging
from bot.serve import PollingConflict, serve
from bot.settings import Settings, SettingsError, load_settings
from knowledge.base import KnowledgeBase
from knowledge.replies import ImportReply
from storage.admin import COMMAND_LINE_ACTOR
from storage.copy import TargetNotEmpty, copy_database
from storage.csv_io import (
    LOW_ENGAGEMENT_RATE,
    RosterRejected,
    UploadRejected,
    export_roster,
    import_roster,
    read_upload,
)
from storage.db import make_engine
from storage.sample import load_sample

log = logging.getLogger("bot")
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
    commands = parser.add_subparsers(dest="command")
    roster = commands.add_parser(
        "roster", help="import or export the roster, or load the sample one"
    )
    actions = roster.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="add or update influencers from a CSV file")
    imp.add_argument("file", type=Path)
    exp = actions.add_parser("export", help="write the roster to a CSV file ('-' for stdout)")
    exp.add_argument("file", type=Path)
    actions.add_parser("sample", help="load (or refresh) the fictional sample roster")
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
    engine = prepare_database(settings, kb)
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
                    print(f"  {problem}", file=sys.stderr)
                if exc.total > len(exc.problems):
                    print(f"  … and {exc.total - len(exc.problems)} more", file=sys.stderr)
                return 1
            if parsed.ignored_columns:
                print("Ignored unknown column(s): " + ", ".join(parsed.ignored_columns))
            if parsed.low_rate_lines:
                lines = ", ".join(map(str, parsed.low_rate_lines[:5]))
                print(
                    f"Warning: {len(parsed.low_rate_lines)} row(s) with an engagement rate under "
                    f"{LOW_ENGAGEMENT_RATE}% (line(s) {lines}). Rates are percentages: 4.2 means "
                    "4.2%; if the file holds fractions (0.042), fix it and import it again."
                )
            print(
                f"Imported {args.file}: {summary.added} added, {summary.updated} updated, "
                f"{summary.unchanged} unchanged."
            )
        elif args.action == "export":
            if str(args.file) == "-":
                count = export_roster(session=session, out=sys.stdout)
            else:
                try:
                    with args.file.open("w", encoding="utf-8", newline="") as out:
                        count = export_roster(session=session, out=out)
                except OSError as exc:
                    print(f"Can't write {args.file}: {exc.strerror or exc}", file=sys.stderr)
                    return 2
                print(f"Exported {count} influencers to {args.file}.")
        else:
            summary, retired = load_sample(
                session=session, currency=settings.default_currency, kb=kb
            )
            print(
                f"Sample roster: {summary.added} added, {summary.updated} updated, "
                f"{summary.unchanged} unchanged, {retired} retired (fictional people)."
            )
    return 0


def _run() -> int:
    settings = load_settings()
    setup_logging(settings.log_level, settings.token)
    kb = load_kb(settings)
    engine = prepare_database(settings, kb)
    try:
        if settings.token is None:
            from bot.sandbox import run_sandbox

            if settings.log_level != "DEBUG":  # the framework's start/stop lines would cut in
                logging.getLogger("telegram.ext").setLevel(logging.WARNING)

            return asyncio.run(run_sandbox(settings, engine, kb))
        application = build_application(
            settings, engine, kb, token=settings.token, api_root=settings.telegram_api_base_url
        )
        log.info(
            "Bot starting (%s)", "webhook" if settings.telegram_webhook_url else "long polling"
        )
        try:
            asyncio.run(serve(application, engine, settings))
        except PollingConflict as exc:
            print(exc, file=sys.stderr)
            return 3
        return 0
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "db":
            return _db_copy(args)
        return _roster(args) if args.command == "roster" else _run()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
