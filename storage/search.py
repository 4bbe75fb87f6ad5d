"""The engine's search columns on influencer_niche: side, price, platform, active and the
goal scores, kept current on every roster write and rescored when the assumptions change.

Every function that scores takes the knowledge base it scores with: there is no default, so
a script that skips start-up can't silently score with other assumptions than the bot's.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    RowMapping,
    Select,
    and_,
    bindparam,
    select,
    union_all,
    update,
)
from sqlmodel import Session

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import value_per_cost
from knowledge.base import KnowledgeBase, Metric, Side, in_currency
from knowledge.reading.places import country_code, language_code
from storage.db import _transaction_opened
from storage.models import SAMPLE_NOTE, Influencer, InfluencerNiche, Setting, table_of

FINGERPRINT_KEY = "search_assumptions"
SCORED = (
    "followers",
    "engagement_rate",
    "price_cents",
    "posts_per_week",
    "audience_quality",
    "platform",
    "active",
    "currency",
)


def fingerprint(kb: KnowledgeBase) -> str:
    data = json.dumps(asdict(kb.assumptions), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def search_values(row: Mapping[Any, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Side, price, platform, active and one score per goal metric for an influencer row."""
    candidate = Candidate(
        id=0,
        name="",
        handle="",
        platform=row["platform"],
        niches=(),
        followers=row["followers"],
        engagement_rate=row["engagement_rate"],
        price_cents=row["price_cents"],
        posts_per_week=row.get("posts_per_week"),
        audience_quality=row.get("audience_quality"),
    )
    values: dict[str, Any] = {
        "side": kb.assumptions.tier_for(row["followers"]).side.value,
        "platform": row["platform"],
        "active": bool(row.get("active", True)),
        "price_cents": row["price_cents"],
    }
    # Creators under the audience-quality floor are scored like the others: the search finds
    # them where they would compete, and the engine leaves them out and says how many. A post
    # is scored at what the plan would pay for it: never under the fair-pay floor (a
    # gifted-only creator, seeded only when a brief asks, ranks at the floor too).
    floor = in_currency(kb.assumptions.fair_pay_floor, str(row.get("currency") or "")) or 0
    for metric in (Metric.REACH, Metric.ENGAGEMENTS, Metric.CONVERSIONS):
        values[f"score_{metric.value}"] = value_per_cost(candidate, metric, kb.assumptions, floor)
    return values


# Past this many rows written at once, dropping the search indexes and building them again
# afterwards is faster than updating them row by row.
REBUILD_FROM = 20_000


@contextmanager
def _search_indexes_rebuilt(session: Session, rows: int) -> Iterator[None]:
    """Around a large bulk write: drop the search indexes, rebuild them after (same
    transaction, so an import stays all-or-nothing). Small writes keep them as they are."""
    indexes = [
        i for i in table_of(InfluencerNiche).indexes if (i.name or "").startswith("ix_search")
    ]
    if rows < REBUILD_FROM:
        yield
        return
    connection = session.connection()
    _transaction_opened(connection)
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)


def _scored_rows() -> Select[Any]:
    """The influencer columns the search values are worked out from."""
    t = table_of(Influencer).c
    return select(t.id, *(t[c] for c in SCORED))


def _rescore(session: Session, influencer_ids: Iterable[int], kb: KnowledgeBase) -> None:
    """Recompute the search columns of these influencers (after they were written), in the
    caller's transaction."""
    ids = sorted(set(influencer_ids))
    for start in range(0, len(ids), 500):
        query = _scored_rows().where(table_of(Influencer).c.id.in_(ids[start : start + 500]))
        _apply(session, session.execute(query).mappings().all(), kb)


def _apply(session: Session, rows: Sequence[RowMapping], kb: KnowledgeBase) -> None:
    """Write the search values worked out from these influencer rows to their niche rows."""
    if not rows:
        return
    updates = [{"id_": row["id"], **search_values(row, kb)} for row in rows]
    table = table_of(InfluencerNiche)
    fields = [k for k in updates[0] if k != "id_"]
    session.execute(
        update(table)
        .where(table.c.influencer_id == bindparam("id_"))
        .values({f: bindparam(f) for f in fields}),
        updates,
    )


def rescore_all_if_needed(session: Session, kb: KnowledgeBase) -> bool:
    """Rescore the whole roster when `kb`'s assumptions differ from those that scored it."""
    current = fingerprint(kb)
    stored = session.get(Setting, FINGERPRINT_KEY)
    if stored is not None and stored.value == current:
        return False
    last_id = 0
    while True:
        t = table_of(Influencer).c
        query = _scored_rows().where(t.id > last_id).order_by(t.id).limit(5000)
        rows = session.execute(query).mappings().all()
        if not rows:
            break
        _apply(session, rows, kb)
        last_id = rows[-1]["id"]
    session.merge(Setting(key=FINGERPRINT_KEY, value=current))
    session.commit()
    return True


def _set_search_active(session: Session, influencer_ids: Sequence[int], active: bool) -> None:
    """Mark these influencers' search rows active or not, in the caller's transaction (their
    scores do not depend on it)."""
    table = table_of(InfluencerNiche)
    for start in range(0, len(influencer_ids), 500):
        chunk = influencer_ids[start : start + 500]
        session.execute(update(table).where(table.c.influencer_id.in_(chunk)).values(active=active))


def best_candidates(
    *,
    session: Session,
    niches: Sequence[str],
    platform: str | None,
    budget_cents: int,
    metric: str,
    per_side: int,
) -> list[Candidate]:
    """Each side's best influencers for `metric` that fit the budget, plus each side's
    cheapest one (so the engine can say what the budget cannot buy), in id order."""
    several = len(niches) > 1
    params: dict[str, Any] = {"budget": budget_cents, "platform": platform}
    if several:
        params["niches"] = list(niches)
    else:
        params["niche"] = niches[0]
    statement = best_candidates_statement(metric, several, platform is not None, per_side)
    return load_candidates(session, statement, params)


def candidates_statement(search: Select[Any] | CompoundSelect[Any]) -> Select[Any]:
    """What the engine needs of each influencer `search` (a select of influencer_id and
    niche from the search rows) names, once per niche found."""
    i = table_of(Influencer).c
    found = search.subquery()
    return select(
        i.id,
        i.name,
        i.handle,
        i.platform,
        i.followers,
        i.engagement_rate,
        i.price_cents,
        i.posts_per_week,
        i.audience_quality,
        i.open_to_exclusivity,
        i.country,
        i.language,
        i.contact,
        (i.notes == SAMPLE_NOTE).label("sample"),
        found.c.niche,
    ).join_from(found, table_of(Influencer), i.id == found.c.influencer_id)


def load_candidates(
    session: Session, statement: Select[Any], params: Mapping[str, Any] | None = None
) -> list[Candidate]:
    """Run a candidates_statement: the candidates in id order, each with the niches it was
    found in (the engine looks no further than the niches it searched)."""
    rows: dict[int, Any] = {}
    niches: dict[int, set[str]] = defaultdict(set)
    for r in session.execute(statement, params or {}):
        rows[r.id] = r
        niches[r.id].add(r.niche)
    return [
        Candidate(
            id=r.id,
            name=r.name,
            handle=r.handle,
            platform=r.platform,
            niches=tuple(sorted(niches[r.id])),
            followers=r.followers,
            engagement_rate=r.engagement_rate,
            price_cents=r.price_cents,
            posts_per_week=r.posts_per_week,
            audience_quality=r.audience_quality,
            open_to_exclusivity=r.open_to_exclusivity,
            country=country_code(r.country),
            language=language_code(r.language),
            contact=r.contact,
            sample=bool(r.sample),
        )
        for _id, r in sorted(rows.items())
    ]


@lru_cache(maxsize=64)
def best_candidates_statement(
    metric: str, several_niches: bool, on_platform: bool, per_side: int
) -> Select[Any]:
    """The one statement behind best_candidates, built once per shape (building it costs
    several times more than SQLite takes to run it).

    Each side is read from covering indexes only: its cheapest influencer (by the price
    index), and, only when that one fits the budget, the score index walked best first until
    `per_side` fit. The influencers found are then read by primary key.
    """
    t = table_of(InfluencerNiche).c
    score = t[f"score_{metric}"]
    budget: BindParameter[int] = bindparam("budget")
    found = []
    for side in (Side.MICRO.value, Side.MACRO.value):
        where = and_(
            t.niche.in_(bindparam("niches", expanding=True))
            if several_niches
            else t.niche == bindparam("niche"),
            t.side == side,
            t.active,
        )
        if on_platform:
            where = and_(where, t.platform == bindparam("platform"))
        by_price = select(t.influencer_id, t.niche).where(where).order_by(t.price_cents).limit(1)
        cheapest_price = select(t.price_cents).where(where).order_by(t.price_cents).limit(1)
        found.append(by_price.subquery().select())
        # `price_cents + 0` keeps the planner on the score index, walked best first and
        # stopped after `per_side` rows, rather than on a price range followed by a sort.
        best = (
            select(t.influencer_id, t.niche)
            .where(where, t.price_cents + 0 <= budget, cheapest_price.scalar_subquery() <= budget)
            .order_by(score.desc(), t.influencer_id)
            .limit(per_side)
        )
        found.append(best.subquery().select())
    return candidates_statement(union_all(*found))


def replacement_candidates(
    *,
    session: Session,
    niche: str,
    platform: str,
    side: str,
    max_price_cents: int,
    metric: str,
    limit: int = 50,
) -> list[Candidate]:
    """The best `limit` active influencers for `metric` of one niche, platform and side who
    ask at most `max_price_cents` (those who might replace a creator who declined), by the
    score index, best first, then in id order."""
    t = table_of(InfluencerNiche).c
    best = (
        select(t.influencer_id, t.niche)
        .where(
            t.niche == niche,
            t.side == side,
            t.platform == platform,
            t.active,
            t.price_cents <= max_price_cents,
        )
        .order_by(t[f"score_{metric}"].desc(), t.influencer_id)
        .limit(limit)
    )
    return load_candidates(session, candidates_statement(best))
