"""Charts: how long one picture takes to draw, in the process that draws it.

    python -m bench.charts [--charts 100]

Draws the chart after a recommendation (this plan, all micro, all macro) for briefs of every
goal on the sample roster, and the chart of a campaign's results, timing each; target p95
<= 150 ms. Baseline in the same run: an empty figure of the same size saved as PNG, the
least any matplotlib picture costs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from bench.common import fresh_database, p95
from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, default_knowledge
from knowledge.campaigns.checkins import compare
from knowledge.pictures.charts import Bar, Chart, Group, draw, plan_chart, results_chart
from storage.roster import candidates_for_brief

BUDGETS = (80_000, 300_000, 1_500_000, 6_000_000)
NICHES = ("cooking", "travel", "diy", "tech", "fashion")


def charts_to_draw(count: int, folder: Path) -> list[Chart]:
    """Half plan charts, half results charts, from real recommendations."""
    _settings, engine = fresh_database(folder, 2_000)
    kb = default_knowledge()
    found: list[Chart] = []
    with Session(engine) as session:
        for i in range(count):
            goal = list(Goal)[i % len(Goal)]
            brief = Brief(goal, BUDGETS[i % len(BUDGETS)], "EUR", NICHES[i % len(NICHES)])
            stored = snapshot(
                recommend(brief, candidates_for_brief(session=session, brief=brief, kb=kb), kb),
                kb,
            )
            chart = plan_chart(stored)
            if i % 2:
                reach = int(stored.plan.forecast.reach[1] * 0.8)
                actual = {"reach": reach, "clicks": reach // 50, "conversions": 3}
                chart = results_chart(compare(stored.to_json(), goal.value, actual, "end"))
            if chart is not None:
                found.append(chart)
    engine.dispose()
    return found


def timed(chart: Chart) -> float:
    start = time.perf_counter()
    draw(chart)
    return time.perf_counter() - start


def run(count: int, folder: Path) -> dict[str, float]:
    charts = charts_to_draw(count, folder)
    empty = Chart("", (Group("", (Bar("", 0.0),)),))
    draw(empty)  # matplotlib loaded and its fonts found, as in a started worker
    baseline = [timed(empty) for _ in charts]
    drawn = [timed(chart) for chart in charts]
    return {
        "charts": len(charts),
        "p50_ms": statistics.median(drawn) * 1000,
        "p95_ms": p95(drawn) * 1000,
        "baseline_p50_ms": statistics.median(baseline) * 1000,
        "baseline_p95_ms": p95(baseline) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--charts", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        f = run(args.charts, Path(folder))
    print(f"{f['charts']:.0f} charts (plan and results), drawn one after the other")
    print(
        f"a chart:            p50 {f['p50_ms']:6.1f} ms, p95 {f['p95_ms']:6.1f} ms (target <= 150)"
    )
    base = f"p50 {f['baseline_p50_ms']:6.1f} ms, p95 {f['baseline_p95_ms']:6.1f} ms"
    print(f"an empty figure:    {base}")


if __name__ == "__main__":
    main()
