"""Shared pieces: a fast synthetic roster, timing helpers, peak memory."""

from __future__ import annotations

import os
import random
import resource
import socket
import statistics
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session

from bot.settings import Settings
from knowledge.base import KnowledgeBase, default_knowledge
from storage.db import make_engine, migrate
from storage.models import Influencer, InfluencerNiche, Setting, handle_key, table_of
from storage.sample import (
    COUNTRIES,
    ENGAGEMENT_SPREAD,
    FIRST,
    LANGUAGES,
    LAST,
    NICHES,
    PLATFORMS,
    PRICE_PER_THOUSAND,
    TIERS,
)
from storage.search import FINGERPRINT_KEY, fingerprint, search_values

TOKEN = "123456:bench-token-0123456789abcdefgh"


def settings_for(folder: Path, **extra: Any) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite:///{folder}/bench.db", **extra)


def _country(index: int) -> str | None:
    """The audience country of influencer `index` (one in 20 without): from a hash of its
    index, not from the random generator (every other value stays as it was before
    countries), and unrelated to its name (which the index's remainders choose)."""
    draw = zlib.crc32(index.to_bytes(4, "little")) % 20
    return None if draw == 19 else COUNTRIES[draw % len(COUNTRIES)]


def roster_rows(count: int, seed: int = 7) -> Iterator[tuple[dict[str, object], list[str]]]:
    """`count` synthetic influencers (rows ready for a bulk insert) with their niches; names,
    countries and languages as the sample roster has them (storage.sample), so the roster
    page's search, filters and sorts find what they would on a real roster."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    weights = [t[1] for t in TIERS]
    for index in range(count):
        _name, _share, (low, high), engagement = rng.choices(TIERS, weights)[0]
        platform = rng.choice(PLATFORMS)
        followers = rng.randint(low, high)
        niches = [NICHES[index % len(NICHES)]]
        if rng.random() < 0.25:
            niches.append(rng.choice(NICHES))
        handle = f"@bench{index}"
        country = _country(index)
        yield (
            {
                "name": f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]}",
                "handle": handle,
                "handle_key": handle_key(handle),
                "platform": platform,
                "followers": followers,
                "engagement_rate": round(engagement * rng.lognormvariate(0, ENGAGEMENT_SPREAD), 2),
                "price_cents": max(
                    2000,
                    int(
                        followers
                        / 1000
                        * PRICE_PER_THOUSAND[platform]
                        * rng.uniform(0.6, 1.6)
                        * 100
                    ),
                ),
                "currency": "EUR",
                "country": country,
                "language": LANGUAGES[country] if country else None,
                "posts_per_week": rng.choice((1, 2, 3, 5, 7, 14, 21)),
                "audience_quality": rng.randint(45, 98),
                "open_to_exclusivity": rng.random() < 0.3,
                "contact": None,
                "notes": "benchmark data",
                "active": True,
                "created_at": now,
                "updated_at": now,
            },
            sorted(set(niches)),
        )


def fill_roster(
    engine: Engine, count: int, kb: KnowledgeBase | None = None, chunk: int = 20_000
) -> None:
    """Bulk-insert `count` influencers (ids 1..count) in a few large transactions, scored
    under `kb` (default: the shipped assumptions)."""
    kb = kb or default_knowledge()
    table = table_of(Influencer)
    niche_table = table_of(InfluencerNiche)
    rows: list[dict[str, object]] = []
    niche_rows: list[dict[str, object]] = []
    with Session(engine) as session:
        for number, (row, niches) in enumerate(roster_rows(count), start=1):
            rows.append({**row, "id": number})
            values = search_values(row, kb)
            niche_rows.extend({"influencer_id": number, "niche": n, **values} for n in niches)
            if len(rows) >= chunk:
                session.execute(insert(table), rows)
                session.execute(insert(niche_table), niche_rows)
                rows, niche_rows = [], []
        if rows:
            session.execute(insert(table), rows)
            session.execute(insert(niche_table), niche_rows)
        session.merge(Setting(key=FINGERPRINT_KEY, value=fingerprint(kb)))
        session.commit()


def fresh_database(folder: Path, roster: int) -> tuple[Settings, Engine]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("bench.db*"):
        old.unlink()
    settings = settings_for(folder)
    engine = make_engine(settings.database_url)
    migrate(engine)
    if roster:
        fill_roster(engine, roster)
    return settings, engine


def free_port() -> int:
    """A port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def children_of(pid: int) -> list[str]:
    """The processes `pid` started that are still running, as `pid command` (Linux's /proc;
    none where there is no /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue  # ended while read
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(f"{stat.parent.name} {command.strip()}")
    return found


def processes_left() -> list[str]:
    """The processes this one started that still run, but Python's resource tracker (it
    ends with this process)."""
    return [p for p in children_of(os.getpid()) if "resource_tracker" not in p]
