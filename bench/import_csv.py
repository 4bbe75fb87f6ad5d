"""Import: a 100,000-row roster CSV through `import_roster`, in one transaction.

    python -m bench.import_csv [--rows 100000]

Baseline in the same run: reading the same file with the csv module alone.
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from bench.common import fresh_database
from knowledge.base import default_knowledge
from storage.csv_io import import_roster
from storage.roster import count_influencers

HEADER = (
    "name,handle,platform,niche,followers,engagement_rate,price_per_post,country,"
    "posts_per_week,audience_quality,open_to_exclusivity\n"
)
PLATFORMS = ("instagram", "youtube", "tiktok", "blog", "pinterest")
NICHES = ("cooking", "travel;diy", "tech", "Cuisine", "fashion", "beauty;fitness", "gaming")


def roster_csv(rows: int) -> str:
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"Person {i},@person{i},{PLATFORMS[i % 5]},{NICHES[i % 7]},{1000 + i * 13 % 900_000},"
            f"{i % 9 + 1}.{i % 10}%,{20 + i % 5000},FR,{i % 21},{40 + i % 60},"
            f"{'yes' if i % 3 == 0 else 'no'}\n"
        )
    return "".join(lines)


def run(rows: int, folder: Path) -> dict[str, float]:
    text = roster_csv(rows)
    start = time.perf_counter()
    parsed_rows = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
    baseline = time.perf_counter() - start
    _settings, engine = fresh_database(folder, 0)
    kb = default_knowledge()
    with Session(engine) as session:
        start = time.perf_counter()
        summary, _ = import_roster(
            session=session, text=text, kb=kb, currency="EUR", actor_id=0, source="bench"
        )
        elapsed = time.perf_counter() - start
        stored = count_influencers(session=session)
    engine.dispose()
    assert parsed_rows == rows == summary.added == stored
    return {"rows": rows, "import_s": elapsed, "csv_read_s": baseline, "rows_per_s": rows / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        f = run(args.rows, Path(folder))
    print(
        f"{f['rows']:,.0f} rows imported in {f['import_s']:.2f} s ({f['rows_per_s']:,.0f} rows/s)"
        f"; reading the file alone: {f['csv_read_s']:.2f} s; target <= 10 s"
    )


if __name__ == "__main__":
    main()
