"""The roster: candidates for the engine, the niches and platforms present, search pages, and
the bulk upsert behind imports (storage.roster_changes changes one influencer at a time).

Commit rule (see the README): each public function here that changes data commits its own
transaction; the `_`-prefixed helpers write inside their caller's transaction.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, delete, false, func, insert, select, update
from sqlmodel import Session, col

from knowledge.advice.brief import ANY_NICHE, Brief, Candidate, PriceRange
from knowledge.advice.scope import fill_rule, search_steps
from knowledge.base import KnowledgeBase
from knowledge.reading.parsing import parse_id
from knowledge.reading.roster_query import RosterQuery
from storage.models import Influencer, InfluencerNiche, handle_key, table_of, utcnow
from storage.search import (
    _search_indexes_rebuilt,
    best_candidates,
    candidates_statement,
    load_candidates,
    search_values,
)

CHUNK = 500
# How many of each side's best candidates a brief reads: enough for the largest plan (and its
# test wave); more when the brief asks for an audience, which the index does not hold.
PER_SIDE = 60
AUDIENCE_PER_SIDE = 240
# The search reads on to the next step until at least this many could be booked, the engine's
# vetting against the roster's prices (which the search does not apply) leaving some out: one
# French baker asking twice the usual was all a €300 bakery brief read, and no plan came.
SPARE_READY = 3
# An influencer's checked field values, named as on InfluencerCreate (niches included): what
# InfluencerCreate.model_dump() gives, or a CSV row's values (storage.roster_rows.row_fields).
InfluencerFields = Mapping[str, Any]
COMPARED_FIELDS = (
    "name",
    "handle",
    "followers",
    "engagement_rate",
    "price_cents",
    "currency",
    "country",
    "language",
    "posts_per_week",
    "audience_quality",
    "open_to_exclusivity",
    "contact",
    "notes",
)


@dataclass(frozen=True)
class UpsertSummary:
    added: int
    updated: int
    unchanged: int


def count_influencers(*, session: Session, active_only: bool = False) -> int:
    query = select(func.count()).select_from(Influencer)
    if active_only:
        query = query.where(col(Influencer.active))
    return session.scalar(query) or 0


def roster_is_empty(*, session: Session) -> bool:
    """Whether no influencer at all is stored (one row read, whatever the roster's size)."""
    return session.scalar(select(col(Influencer.id)).limit(1)) is None


def _present_values(column: Any, active: Any) -> Select[tuple[Any]]:
    """The distinct values of an indexed `column` among active rows, in order, read as a loose
    index scan: a recursive query seeking each next value in the index, rather than a pass
    over every row (seconds on a million-influencer roster, and the brief's buttons ask for
    these every 30 seconds)."""

    def first_after(after: Any) -> Any:
        where = [active] if after is None else [active, column > after]
        return select(column).where(*where).order_by(column).limit(1).scalar_subquery()

    present = select(first_after(None).label("value")).cte("present", recursive=True)
    present = present.union_all(
        select(first_after(present.c.value)).where(present.c.value.is_not(None))
    )
    return select(present.c.value).where(present.c.value.is_not(None))


def niches_in_roster(*, session: Session) -> list[str]:
    """The niches at least one active influencer has, in id order."""
    t = table_of(InfluencerNiche).c
    return list(session.scalars(_present_values(t.niche, t.active)))


def platforms_in_roster(*, session: Session) -> list[str]:
    """The platforms at least one active influencer is on, in id order."""
    t = table_of(Influencer).c
    return list(session.scalars(_present_values(t.platform, t.active)))


def candidates_for(*, session: Session, niches: Iterable[str]) -> list[Candidate]:
    """Every active influencer in any of `niches`, with those of its niches (small rosters,
    tests)."""
    wanted = sorted(set(niches))
    if not wanted:
        return []
    t = table_of(InfluencerNiche).c
    in_niches = select(t.influencer_id, t.niche).where(t.niche.in_(wanted), t.active)
    return load_candidates(session, candidates_statement(in_niches))


def candidates_for_brief(
    *, session: Session, brief: Brief, kb: KnowledgeBase, per_side: int | None = None
) -> list[Candidate]:
    """What the engine needs for `brief`, straight from the search index: each side's best
    candidates for the goal within budget, in the brief's search steps
    (knowledge.advice.scope.search_steps) until those found could fill a plan by the
    engine's own rule (`fill_rule`) and both sides are there (the engine may widen a side),
    each person once."""
    metric = kb.assumptions.goal_metric[brief.goal]
    if per_side is None:
        per_side = AUDIENCE_PER_SIDE if brief.country or brief.language else PER_SIDE
    bookable, enough = fill_rule(brief, kb)
    found: dict[int, Candidate] = {}
    for step in search_steps(brief, kb):
        for c in best_candidates(
            session=session,
            niches=step.niches,
            platform=step.platform,
            budget_cents=brief.budget_cents,
            metric=metric.value,
            per_side=per_side,
        ):
            found.setdefault(c.id, c)
        ready = [c for c in found.values() if bookable(c)]
        sides = {kb.assumptions.tier_for(c.followers).side for c in found.values()}
        if len(ready) >= SPARE_READY and enough(ready) and len(sides) == 2:
            break
    return list(found.values())


def _rows_by_key(session: Session, keys: Iterable[tuple[str, str]], *columns: Any) -> Iterator[Any]:
    """Influencer rows for (platform, handle_key) pairs, through the unique index."""
    t = table_of(Influencer).c
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, key in keys:
        by_platform[platform].append(key)
    for platform, handle_keys in sorted(by_platform.items()):
        handle_keys.sort()
        for start in range(0, len(handle_keys), CHUNK):
            chunk = handle_keys[start : start + CHUNK]
            query = select(*columns).where(t.platform == platform, t.handle_key.in_(chunk))
            yield from session.execute(query).mappings()


def _existing(
    session: Session, items: Sequence[InfluencerFields]
) -> dict[tuple[str, str], dict[str, Any]]:
    if roster_is_empty(session=session):
        return {}
    keys = {(i["platform"], handle_key(i["handle"])) for i in items}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _rows_by_key(session, keys, table_of(Influencer)):
        found[(row["platform"], row["handle_key"])] = dict(row)
    ids = [row["id"] for row in found.values()]
    niches: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(col(InfluencerNiche.influencer_id), col(InfluencerNiche.niche)).where(
                col(InfluencerNiche.influencer_id).in_(ids[start : start + CHUNK])
            )
        )
        for influencer_id, niche in rows:
            niches[influencer_id].add(niche)
    for row in found.values():
        row["niches"] = niches[row["id"]]
    return found


@dataclass
class UpsertPlan:
    """What an upsert would do: rows to insert, rows to update, and how many are unchanged."""

    new_rows: list[dict[str, Any]]
    new_niches: list[list[str]]
    changed: list[dict[str, Any]]
    changed_niches: dict[int, list[str]]
    unchanged: int

    @property
    def summary(self) -> UpsertSummary:
        return UpsertSummary(len(self.new_rows), len(self.changed), self.unchanged)


def plan_upsert(*, session: Session, items: Sequence[InfluencerFields]) -> UpsertPlan:
    """Compare `items` with the roster, keyed by (platform, handle), without writing."""
    existing = _existing(session, items)
    now = utcnow()
    plan = UpsertPlan([], [], [], {}, 0)
    for item in items:
        values = {k: v for k, v in item.items() if k != "niches"}
        values["handle_key"] = handle_key(item["handle"])
        old = existing.get((item["platform"], values["handle_key"]))
        if old is None:
            plan.new_rows.append({**values, "created_at": now, "updated_at": now})
            plan.new_niches.append(item["niches"])
            continue
        if old["handle"].lstrip("@") == values["handle"].lstrip("@"):
            values["handle"] = old["handle"]  # `leacuisine` read back from an export
        same = all(old[f] == values[f] for f in COMPARED_FIELDS) and old["active"]
        if same and old["niches"] == set(item["niches"]):
            plan.unchanged += 1
            continue
        plan.changed.append({**values, "active": True, "id_": old["id"], "updated_at": now})
        plan.changed_niches[old["id"]] = item["niches"]
    return plan


def _upsert(
    session: Session, items: Sequence[InfluencerFields], kb: KnowledgeBase
) -> UpsertSummary:
    """Add new influencers and update known ones, keyed by (platform, handle), in the
    caller's transaction. An updated influencer is made active again."""
    plan = plan_upsert(session=session, items=items)
    with _search_indexes_rebuilt(session, len(plan.new_rows) + len(plan.changed)):
        _write_plan(session, plan, kb)
    return plan.summary


def _insert_new_niches(session: Session, plan: UpsertPlan, kb: KnowledgeBase) -> None:
    """The niche rows of the influencers `plan` has just inserted, each naming its influencer
    by platform and handle key inside the INSERT (read from the unique index alone): this
    saves reading their ids back."""
    t = table_of(Influencer).c
    rows: list[dict[str, Any]] = []
    for new, niches in zip(plan.new_rows, plan.new_niches, strict=True):
        values = {"key_platform": new["platform"], "key_handle": new["handle_key"]}
        values |= search_values(new, kb)
        rows.extend(values | {"niche": n} for n in niches)
    if not rows:
        return
    columns = [c for c in rows[0] if not c.startswith("key_")]
    statement = insert(table_of(InfluencerNiche)).from_select(
        ["influencer_id", *columns],
        select(t.id, *(bindparam(c) for c in columns)).where(
            t.platform == bindparam("key_platform"), t.handle_key == bindparam("key_handle")
        ),
    )
    session.execute(statement, rows)


def _write_plan(session: Session, plan: UpsertPlan, kb: KnowledgeBase) -> None:
    table = table_of(Influencer)
    niche_table = table_of(InfluencerNiche)
    if plan.new_rows:
        session.execute(insert(table), plan.new_rows)
        _insert_new_niches(session, plan, kb)
    if plan.changed:
        fields = [*COMPARED_FIELDS, "platform", "handle_key", "active", "updated_at"]
        session.execute(
            update(table)
            .where(table.c.id == bindparam("id_"))
            .values({f: bindparam(f) for f in fields}),
            [{f: row[f] for f in [*fields, "id_"]} for row in plan.changed],
        )
        ids = list(plan.changed_niches)
        for start in range(0, len(ids), CHUNK):
            session.execute(
                delete(InfluencerNiche).where(
                    col(InfluencerNiche.influencer_id).in_(ids[start : start + CHUNK])
                )
            )
        values_of = {row["id_"]: search_values(row, kb) for row in plan.changed}
        session.execute(
            insert(niche_table),
            [
                {"influencer_id": i, "niche": n, **values_of[i]}
                for i, ns in plan.changed_niches.items()
                for n in ns
            ],
        )


def _unindexed(column: Any, empty: Any) -> Any:
    """`column` as an expression no index serves (the same values: the column is never
    NULL), so the query planner does not pick that column's index for a condition on it."""
    return func.coalesce(column, empty)


def _filtered(query: RosterQuery, *, unindexed: Collection[str] = ()) -> Select[Influencer]:
    """The influencers `query` matches. The conditions on the columns named in `unindexed`
    (`active`, `followers`, `country`, `language`; `niche`: the niche looked up for each
    influencer, not its influencers listed first) are written so that no index serves them,
    so that the planner reads another index (the roster page's order, a niche's rows) where
    it would otherwise pick one of those, believing it narrows the search more than it does
    (SQLite knows no statistics of the roster)."""
    t = table_of(Influencer).c
    active = _unindexed(t.active, False) if "active" in unindexed else t.active
    followers = _unindexed(t.followers, 0) if "followers" in unindexed else t.followers
    statement = select(Influencer)
    if not query.include_inactive:
        statement = statement.where(active)
    if query.text:
        # Words are searched as typed: `%` and `_` are not wildcards.
        statement = statement.where(
            func.lower(t.name).contains(query.text.lower(), autoescape=True)
            | t.handle_key.contains(handle_key(query.text), autoescape=True)
        )
    if query.niche:
        niches = table_of(InfluencerNiche).c
        has_niche = select(niches.influencer_id).where(niches.niche == query.niche)
        if "niche" in unindexed:  # looked up for each influencer read, not listed first
            has_niche = has_niche.where(niches.influencer_id == t.id)
            statement = statement.where(has_niche.exists())
        else:
            statement = statement.where(t.id.in_(has_niche))
    if query.platform:
        statement = statement.where(t.platform == query.platform)
    for name, value in (("country", query.country), ("language", query.language)):
        if value and name in unindexed:
            statement = statement.where(_unindexed(t[name], "") == value)
        elif value:
            # As a range, and `IS NULL` false: so the column's index (storage.models), which
            # begins with `IS NULL`, serves it (SQLite would put an equal value in the place
            # of the column in `IS NULL`, which the index then no longer matches).
            statement = statement.where(t[name].is_(None) == false(), t[name].between(value, value))
    if query.min_followers is not None:
        statement = statement.where(followers >= query.min_followers)
    if query.max_followers is not None:
        statement = statement.where(followers < query.max_followers)
    return statement


def search_influencers(
    *, session: Session, query: RosterQuery, page: int = 0, page_size: int = 10
) -> tuple[list[Influencer], int, int]:
    """One page of matches, by name, how many there are in all, and the page shown (the
    last one when `page` is past it)."""
    statement = _filtered(query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    page = max(0, min(page, (total - 1) // page_size if total else 0))
    ordered = statement.order_by(func.lower(Influencer.name), col(Influencer.id))
    rows = session.scalars(ordered.offset(page * page_size).limit(page_size)).all()
    return list(rows), total, page


def iter_matching(
    *, session: Session, query: RosterQuery
) -> Iterator[tuple[Influencer, list[str]]]:
    """Every match with its niches, in id order (for export)."""
    last_id = 0
    while True:
        statement = _filtered(query).where(col(Influencer.id) > last_id)
        rows = session.scalars(statement.order_by(col(Influencer.id)).limit(1000)).all()
        if not rows:
            return
        for influencer in rows:
            yield influencer, sorted(n.niche for n in influencer.niches)
        last_id = rows[-1].id or 0


def find_influencers(*, session: Session, reference: str) -> list[Influencer]:
    """Influencers named by `reference`: an id (`42`, `#42`) or a handle on any platform.
    An id that can't be one (`#²`, twenty digits) names nobody."""
    reference = reference.strip()
    if reference.startswith("#") or reference.isdigit():
        influencer_id = parse_id(reference.lstrip("#"))
        found = session.get(Influencer, influencer_id) if influencer_id is not None else None
        return [found] if found else []
    rows = session.scalars(
        select(Influencer)
        .where(col(Influencer.handle_key) == handle_key(reference))
        .order_by(col(Influencer.id))
    )
    return list(rows)


MIN_PRICES_FOR_A_RANGE = 4


def asks_everywhere(
    *, session: Session, platform: str, followers_from: int, followers_to: int | None
) -> PriceRange | None:
    """What the whole active roster asks per post on `platform` for accounts of this many
    followers (a tier), as `price_guide` gives it per niche; None under four paid people."""
    t = table_of(Influencer).c
    query = select(t.price_cents, t.followers).where(
        t.active, t.platform == platform, t.price_cents > 0, t.followers >= followers_from
    )
    if followers_to is not None:
        query = query.where(t.followers < followers_to)
    return _range_of([(price, followers) for price, followers in session.execute(query)])


def price_guide(
    *, session: Session, niches: Sequence[str], kb: KnowledgeBase
) -> dict[tuple[str, str, str], PriceRange]:
    """What the active roster asks per post in each (niche, platform, tier) group of
    `niches`, and in each (platform, tier) group across them (niche `ANY_NICHE`, each person
    once): the middle half and the median, for groups of at least four paid people (the
    engine holds an ask against it; the Shortlist shows it as a guide for negotiating)."""
    t = table_of(Influencer).c
    n = table_of(InfluencerNiche).c
    query = (
        select(n.niche, n.platform, t.id, t.followers, t.price_cents)
        .join_from(table_of(InfluencerNiche), table_of(Influencer), t.id == n.influencer_id)
        .where(n.niche.in_(sorted(set(niches))), n.active, t.price_cents > 0)
    )
    groups: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    across: dict[tuple[str, str, str], dict[int, tuple[int, int]]] = defaultdict(dict)
    for niche, platform, influencer_id, followers, price in session.execute(query):
        tier = kb.assumptions.tier_for(followers).name
        groups[(niche, platform, tier)].append((price, followers))
        across[(ANY_NICHE, platform, tier)][influencer_id] = (price, followers)
    groups.update({key: list(by_id.values()) for key, by_id in across.items()})
    return {key: r for key, asks in groups.items() if (r := _range_of(asks)) is not None}


def _range_of(asks: Sequence[tuple[int, int]]) -> PriceRange | None:
    """The range of (price, followers) asks: None under four paid people."""
    if len(asks) < MIN_PRICES_FOR_A_RANGE:
        return None
    prices = sorted(price for price, _followers in asks)
    q1, median, q3 = statistics.quantiles(prices, n=4, method="inclusive")
    per_thousand = statistics.median(price * 1000 / max(1, f) for price, f in asks)
    return PriceRange(round(q1), round(median), round(q3), len(asks), per_thousand)
