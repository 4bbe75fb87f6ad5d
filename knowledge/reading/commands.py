"""Mistyped commands (`/advice`, `/hepl`, `/resluts`): the one command meant, when it is
plain."""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz.distance import DamerauLevenshtein

# How close (0 to 1: one minus the edits, a swap of two letters counting as one, over the
# longer name's length) a mistyped command must be to one the bot knows: one slip in four
# letters (`/hepl`), two in eight (`/campaing`).
COMMAND_CUTOFF = 0.75


def close_commands(typed: str, known: Mapping[str, str]) -> list[str]:
    """The names in `known` (each a command's name in some language → the command) that
    `typed` is close to, nearest first."""
    typed = typed.lower()
    scored = [
        (DamerauLevenshtein.normalized_similarity(typed, name), name)
        for name in known
        if name != typed
    ]
    return [name for score, name in sorted(scored, reverse=True) if score >= COMMAND_CUTOFF]


def command_meant(typed: str, known: Mapping[str, str]) -> str | None:
    """The nearest name of the one command a mistyped one is close to (`/campagne` →
    `campagnes`), or None when none is close, or names of two commands are
    (`/reminder`: /remind or /reminders)."""
    close = close_commands(typed, known)
    if not close or len({known[name] for name in close}) > 1:
        return None
    return close[0]
