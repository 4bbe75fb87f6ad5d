"""How long the bot keeps what it no longer needs, from knowledge/data/retention.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from knowledge.base import DATA_DIR


@dataclass(frozen=True)
class Retention:
    reminders: timedelta  # a free reminder, once sent or cancelled, after its due time
    pending_import: timedelta  # a checked CSV waiting for Confirm


@cache
def retention() -> Retention:
    with (DATA_DIR / "retention.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return Retention(
        reminders=timedelta(days=float(raw["reminders_days"])),
        pending_import=timedelta(hours=float(raw["pending_import_hours"])),
    )
