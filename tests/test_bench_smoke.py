"""Each benchmark, run small (a few hundred rows), so none of them can rot."""

from __future__ import annotations

from pathlib import Path

from bench import import_csv, reminders, roster_page, scale, startup, updates
from bench.common import fresh_database


async def test_updates_benchmark(tmp_path: Path) -> None:
    """Two rounds, the emulator taking 20 ms to answer each call as Telegram's round trip
    would, the advisor's first round profiled."""
    profile = tmp_path / "profile.txt"
    figures = await updates.run(
        roster=300, updates=8, folder=tmp_path, profile=profile, rounds=2, latency=0.02
    )
    assert len(figures["round_ratios"]) == 2
    assert "recommend_brief" in profile.read_text()
    assert figures["latency_ms"] == 20
    assert figures["echo_ms"] >= 20  # one update at a time, each waiting for its reply's call
    assert figures["echo_per_s"] > 0 and figures["advisor_per_s"] > 0 and figures["ratio"] > 0
    assert figures["same_reply_per_s"] > 0
    assert figures["advisor_fr_per_s"] > 0 and figures["same_reply_fr_per_s"] > 0


def test_scale_benchmark(tmp_path: Path) -> None:
    fresh_database(tmp_path, 500)[1].dispose()
    figures = scale.measure(tmp_path, 10)
    assert figures["roster"] == 500 and figures["full_scans"] == []
    plans = figures["plans"]
    assert isinstance(plans, dict) and set(plans) == set(scale.SHAPES)
    assert all(any("USING COVERING INDEX ix_search" in d for d in p) for p in plans.values())
    assert 0 < figures["p95_ms"] < 5_000  # type: ignore[operator]
    assert 0 < figures["warm_p95_ms"] < 5_000  # type: ignore[operator]


def test_import_benchmark(tmp_path: Path) -> None:
    figures = import_csv.run(300, tmp_path)
    assert figures["rows"] == 300 and figures["import_s"] > 0


async def test_reminders_benchmark(tmp_path: Path) -> None:
    figures = await reminders.run(pending=300, burst=20, folder=tmp_path)
    assert figures["delivered"] == 20 and figures["duplicates"] == 0
    assert figures["sent_in_db"] == 20 and figures["busiest_second"] <= reminders.RATE


async def test_startup_benchmark(tmp_path: Path) -> None:
    fresh_database(tmp_path, 300)[1].dispose()
    seconds = await startup.first_poll_seconds(tmp_path)
    assert 0 < seconds < 60


async def test_instances_benchmark(tmp_path: Path, postgres_url: str) -> None:
    from bench import instances
    from tests.databases import TEST_DATABASE_URL

    assert TEST_DATABASE_URL is not None
    figures = await instances.run(briefs=40, users=8, server_url=TEST_DATABASE_URL, folder=tmp_path)
    for run in figures.values():
        assert run["briefs"] == 40 and run["per_s"] > 0 and run["p95_ms"] > 0
        assert run["lost"] == run["duplicates"] == run["users_out_of_order"] == 0
    assert figures["postgres_2"]["instances"] == 2


def test_charts_benchmark(tmp_path: Path) -> None:
    from bench import charts

    figures = charts.run(4, tmp_path)
    assert figures["charts"] == 4 and figures["p95_ms"] >= figures["p50_ms"] > 0
    assert figures["baseline_p50_ms"] > 0


def test_roster_page_benchmark(tmp_path: Path) -> None:
    fresh_database(tmp_path, 500)[1].dispose()
    figures = roster_page.measure(tmp_path, 2)
    assert set(figures) == set(roster_page.REQUESTS)
    assert all(0 < ms < 5_000 for ms in figures.values())
