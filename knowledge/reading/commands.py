"""Mistyped commands (`/advice`, `/hepl`): the one command meant, when it is plain."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# How close (difflib's ratio, 0 to 1) a mistyped command must be to one the bot knows.
COMMAND_CUTOFF = 0.75


def close_commands(typed: str, known: Iterable[str]) -> list[str]:
    """The commands `typed` is close to, nearest first."""
    return difflib.get_close_matches(typed.lower(), list(known), n=3, cutoff=COMMAND_CUTOFF)


def command_meant(typed: str, known: Iterable[str]) -> str | None:
    """The command a mistyped one means, when only one is close; else None."""
    close = close_commands(typed, known)
    return close[0] if len(close) == 1 else None
