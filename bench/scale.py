"""Scale: the engine's query and scoring for a brief on a 1,000,000-influencer SQLite roster.

    python -m bench.scale [--roster 1000000] [--briefs 200]

Baseline in the same run: the same briefs on a 10,000-influencer roster. The big roster is
built once under bench/out/ and reused. Each measurement runs in a fresh process, so the
peak memory figure is the brief's, not the roster builder's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from bench.common import fresh_database, p95, peak_rss_mb, settings_for
from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.base import Goal, default_knowledge
from storage.db import make_engine
from storage.roster import count_influencers
from storage.search import best_candidates_statement

OUT = Path(__file__).parent / "out"
GOALS = list(Goal)
NICHES = ("cooking", "travel", "diy", "tech", "fashion", "beauty", "fitness", "gaming", "pets")
PLATFORMS = (None, None, "instagram", "youtube", "tiktok", "blog")
BUDGETS = (30_000, 80_000, 250_000, 1_000_000, 5_000_000, 20_000_000)


def briefs(count: int) -> list[Brief]:
    return [
        Brief(
            GOALS[i % len(GOALS)],
            BUDGETS[i % len(BUDGETS)],
            "EUR",
            NICHES[i % len(NICHES)],
            PLATFORMS[i % len(PLATFORMS)],
        )
        for i in range(count)
    ]


def database(size: int) -> Path:
    """A roster of `size` influencers under bench/out/, built on first use."""
    folder = OUT / f"roster-{size}"
    marker = folder / "ready"
    if not marker.exists():
        start = time.perf_counter()
        _settings, engine = fresh_database(folder, size)
        engine.dispose()
        marker.write_text(f"{time.perf_counter() - start:.1f}")
    return folder


# The search statement's shapes, with sample values: one niche, one niche on a platform,
# and the related niches a brief is widened to when its own niche has nobody.
SHAPES = {
    "niche": (("conversions", False, False, 60), {"niche": "cooking", "budget": 100_000}),
    "niche+platform": (
        ("reach", False, True, 60),
        {"niche": "travel", "budget": 250_000, "platform": "instagram"},
    ),
    "related niches": (
        ("engagements", True, False, 60),
        {"niches": ["diy", "home"], "budget": 80_000},
    ),
}
SCANNED_TABLES = [["SCAN", "influencer"], ["SCAN", "influencer_niche"]]


def query_plans(session: Session) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the statement the engine runs, for each shape."""
    plans = {}
    for name, (shape, values) in SHAPES.items():
        statement = best_candidates_statement(*shape).params(**values)
        sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plans[name] = [str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    return plans


def measure(folder: Path, count: int) -> dict[str, object]:
    """Run in a fresh process: time candidates_for_brief + recommend for `count` briefs, then
    for the same briefs again. The first pass reads what the disk cache holds (on a machine
    that has just reclaimed it, from disk); the second finds every page it needs in memory."""
    from storage.roster import candidates_for_brief

    kb = default_knowledge()
    engine = make_engine(settings_for(folder).database_url)
    passes: list[list[float]] = [[], []]
    with Session(engine) as session:
        size = count_influencers(session=session)
        plans = query_plans(session)
        for timings in passes:
            for brief in briefs(count):
                start = time.perf_counter()
                recommend(brief, candidates_for_brief(session=session, brief=brief, kb=kb), kb)
                timings.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    first, again = passes
    full_scans = [
        f"{n}: {d}" for n, plan in plans.items() for d in plan if d.split()[:2] in SCANNED_TABLES
    ]
    sorts = [f"{n}: {d}" for n, plan in plans.items() for d in plan if "TEMP B-TREE" in d]
    return {
        "roster": size,
        "briefs": count,
        "p50_ms": statistics.median(first),
        "p95_ms": p95(first),
        "max_ms": max(first),
        "warm_p50_ms": statistics.median(again),
        "warm_p95_ms": p95(again),
        "warm_max_ms": max(again),
        "peak_rss_mb": peak_rss_mb(),
        "full_scans": full_scans,
        "sorts": sorted(set(sorts)),
        "plans": plans,
    }


def _measure_in_child(folder: Path, count: int) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--measure", str(folder), "--briefs", str(count)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(roster: int, count: int, baseline_roster: int = 10_000) -> dict[str, object]:
    baseline = _measure_in_child(database(baseline_roster), count)
    big = _measure_in_child(database(roster), count)
    return {"baseline": baseline, "big": big}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roster", type=int, default=1_000_000)
    parser.add_argument("--briefs", type=int, default=200)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.briefs)))
        return
    figures = run(args.roster, args.briefs)
    for label in ("baseline", "big"):
        f = figures[label]
        assert isinstance(f, dict)
        print(
            f"{f['roster']:>9,} influencers, {f['briefs']} briefs: p50 {f['p50_ms']:.1f} ms, "
            f"p95 {f['p95_ms']:.1f} ms, max {f['max_ms']:.1f} ms; again (warm): "
            f"p50 {f['warm_p50_ms']:.1f} ms, p95 {f['warm_p95_ms']:.1f} ms, "
            f"max {f['warm_max_ms']:.1f} ms; peak RSS {f['peak_rss_mb']:.0f} MB"
        )
    big = figures["big"]
    assert isinstance(big, dict)
    print("full scans in the engine's statement:", big["full_scans"] or "none")
    print("sorts (rows the index already narrowed):", "; ".join(big["sorts"]) or "none")
    print("targets: p95 <= 50 ms, peak RSS < 300 MB, no full scan")


if __name__ == "__main__":
    main()
