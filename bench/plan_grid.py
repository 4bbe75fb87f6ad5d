"""Plan grid: thousands of briefs through the bot's own path, each plan judged the way an
influencer-marketing planner would.

    python -m bench.plan_grid [--roster sample|realistic] [--briefs 2000] [--seed 1]
                              [--size 3000] [--roster-seed 7] [--json OUT.json]
                              [--examples DIR] [--max-seconds 280]

The roster is loaded into a temporary SQLite database the way the bot loads one: the
realistic roster (bench.realistic_roster) through `storage.csv_io.import_roster`, the
function behind `python -m bot roster import`; the sample roster through
`storage.sample.load_sample`, as the bot's first start does. Then, for each brief,
`candidates_for_brief` and the roster's price guide → `recommend` → `snapshot`, and the
metrics below read the snapshot.

The grid: goals × budgets (€100 … €1M) × niches × platform (none, instagram, tiktok,
youtube) × audience country (none, FR, DE, US, ES) × for sales, with or without a basket and
a margin. It is sampled deterministically (`--seed`), the same number of briefs for each
goal and budget. The run stops after `--max-seconds` (and says so).

Every metric is a small function of the stored recommendation as JSON
(knowledge/advice/stored.py, version 3),
read defensively (a missing key gives None, and None is left out of the figures), with a
docstring saying what it measures: when the engine's output changes, adapt the readers
(`plan_of`, `lines_of`, `triple`…) or a metric, and the rest still holds. Metrics needing
more than the snapshot (the candidates the engine saw, the generator's ground truth) say so.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import product
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bench.realistic_roster import Account, realistic_roster, roster_csv_text
from knowledge.advice.audience import contact_key
from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.scope import niches_to_fetch
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase, default_knowledge, in_currency
from knowledge.reading.places import country_code
from knowledge.reading.roster_query import RosterQuery
from storage.admin import COMMAND_LINE_ACTOR
from storage.csv_io import import_roster
from storage.db import make_engine, migrate
from storage.models import handle_key
from storage.roster import candidates_for_brief, iter_matching, price_guide
from storage.sample import load_sample
from storage.search import rescore_all_if_needed

Json = dict[str, Any]
Snap = Mapping[str, Any]
CURRENCY = "EUR"

# ---------------------------------------------------------------------------------------
# The grid

GOALS = tuple(Goal)
BUDGETS_EUR = (100, 300, 800, 1_500, 3_000, 5_000, 10_000, 20_000, 50_000, 150_000, 500_000, 10**6)
NICHES = (
    "cooking",
    "beauty",
    "fashion",
    "travel",
    "fitness",
    "tech",
    "gaming",
    "pets",
    "finance",
    "bakery",  # specialist, few creators: widened to cooking on the sample roster
    "knitting",  # rare
)
PLATFORMS = (None, "instagram", "tiktok", "youtube")
COUNTRIES = (None, "FR", "DE", "US", "ES")
BASKETS_EUR = (12, 20, 35, 50, 80)
MARGINS_PCT = (30.0, 40.0, 50.0, 60.0)
# Budget bands of the tables, in euros: (label, from, to (excluded; None: no end)).
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("<1k", 0, 1_000),
    ("1k–10k", 1_000, 10_000),
    ("10k–100k", 10_000, 100_000),
    ("≥100k", 100_000, None),
)
BIG_BUDGET_EUR = 150_000  # "from €150k" in metric a


def band_of(budget_cents: int) -> str:
    euros = budget_cents / 100
    for label, low, high in BANDS:
        if euros >= low and (high is None or euros < high):
            return label
    return BANDS[-1][0]


def grid_briefs(count: int, seed: int) -> list[Brief]:
    """`count` briefs, the same number (±1) for each goal and budget, the rest of each
    brief (niche, platform, country, basket) sampled without repeats from the grid."""
    rng = random.Random(seed)
    cells = list(product(GOALS, BUDGETS_EUR))
    briefs: list[Brief] = []
    for index, (goal, budget) in enumerate(cells):
        quota = count // len(cells) + (1 if index < count % len(cells) else 0)
        baskets = (False, True) if goal is Goal.SALES else (False,)
        options = list(product(NICHES, PLATFORMS, COUNTRIES, baskets))
        for niche, platform, country, basket in rng.sample(options, min(quota, len(options))):
            brief = Brief(goal, budget * 100, CURRENCY, niche, platform, country)
            if goal in (Goal.SALES, Goal.AWARENESS) and rng.random() < 0.15:
                brief = replace(brief, gifting=True, product_value_cents=2_500)
            if basket:
                order_value = rng.choice(BASKETS_EUR) * 100
                brief = replace(
                    brief, order_value_cents=order_value, margin_pct=rng.choice(MARGINS_PCT)
                )
            briefs.append(brief)
    return briefs


# The six briefs whose snapshots are kept as examples (--examples).
EXAMPLES: tuple[tuple[str, Brief], ...] = (
    (
        "sales-800-bakery-basket12-margin60",
        Brief(Goal.SALES, 80_000, CURRENCY, "bakery", order_value_cents=1_200, margin_pct=60.0),
    ),
    ("sales-150k-tech", Brief(Goal.SALES, 15_000_000, CURRENCY, "tech")),
    ("ambassador-20k-travel", Brief(Goal.AMBASSADOR, 2_000_000, CURRENCY, "travel")),
    ("awareness-5k-beauty-FR", Brief(Goal.AWARENESS, 500_000, CURRENCY, "beauty", country="FR")),
    ("community-1.5k-fitness", Brief(Goal.COMMUNITY, 150_000, CURRENCY, "fitness")),
    ("launch-50k-fashion", Brief(Goal.LAUNCH, 5_000_000, CURRENCY, "fashion")),
)


# ---------------------------------------------------------------------------------------
# The roster, in a database of its own


@dataclass
class Roster:
    kind: str
    engine: Engine
    size: int
    # contact key -> the distinct names (folded) using it, for contacts used by several names
    shared_contacts: dict[str, set[str]]
    # (platform, handle key) -> the generator's account (the realistic roster only)
    truth: dict[tuple[str, str], Account] = field(default_factory=dict)


def _shared_contacts(session: Session) -> tuple[int, dict[str, set[str]]]:
    """The roster's size, and the contacts that several different names share (an agency's
    booking address: the engine takes them for one person)."""
    names: dict[str, set[str]] = defaultdict(set)
    size = 0
    for influencer, _niches in iter_matching(session=session, query=RosterQuery()):
        size += 1
        key = contact_key(influencer.contact)
        if key:
            names[key].add(" ".join(influencer.name.lower().split()))
    return size, {k: v for k, v in names.items() if len(v) > 1}


def open_roster(kind: str, folder: Path, kb: KnowledgeBase, size: int, seed: int) -> Roster:
    """A fresh SQLite database under `folder` holding the `kind` roster, loaded the bot's way."""
    engine = make_engine(f"sqlite:///{folder}/grid-{kind}.db")
    migrate(engine)
    truth: dict[tuple[str, str], Account] = {}
    with Session(engine) as session:
        if kind == "sample":
            load_sample(session=session, currency=CURRENCY, kb=kb)
        else:
            accounts = realistic_roster(size, seed, kb)
            text = roster_csv_text(accounts)
            import_roster(
                session=session,
                text=text,
                kb=kb,
                currency=CURRENCY,
                actor_id=COMMAND_LINE_ACTOR,
                source="realistic roster (bench.plan_grid)",
            )
            truth = {(a.platform, handle_key(a.handle)): a for a in accounts}
        rescore_all_if_needed(session, kb)  # as the bot's start does (a no-op here)
        count, shared = _shared_contacts(session)
    return Roster(kind, engine, count, shared, truth)


# ---------------------------------------------------------------------------------------
# Reading a snapshot (defensively: adapt these when the engine's output changes)


def dig(data: Any, *keys: str | int, default: Any = None) -> Any:
    """data[k1][k2]…, or `default` when a key is missing or a value is not a container."""
    for key in keys:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return default
    return default if data is None else data


def plan_of(snap: Snap, which: str = "plan") -> Mapping[str, Any]:
    """One of the reply's plans ("plan", "all_micro", "all_macro"), {} if absent."""
    found = dig(snap, which, default={})
    return found if isinstance(found, Mapping) else {}


def lines_of(snap: Snap) -> list[Mapping[str, Any]]:
    """The recommended plan's lines (one per creator and wave)."""
    lines = dig(snap, "plan", "lines", default=[])
    return [line for line in lines if isinstance(line, Mapping)]


def triple(value: Any) -> tuple[float, float, float] | None:
    """A [low, mid, high] range as floats, or None."""
    if isinstance(value, (list, tuple)) and len(value) == 3:
        try:
            low, mid, high = (float(v) for v in value)
        except (TypeError, ValueError):
            return None
        return low, mid, high
    return None


def metric_of(snap: Snap) -> str:
    """The goal's measure the plan is built on (reach, engagements, conversions)."""
    return str(snap.get("metric") or "conversions")


def middle(plan: Mapping[str, Any], metric: str) -> float | None:
    """A plan's middle forecast of `metric`."""
    found = triple(dig(plan, "forecast", metric))
    return found[1] if found else None


def spent(plan: Mapping[str, Any]) -> int:
    return int(dig(plan, "spent_cents", default=0) or 0)


def budget(snap: Snap) -> int:
    return int(dig(snap, "brief", "budget_cents", default=0) or 0)


def notice(snap: Snap, code: str) -> Mapping[str, Any] | None:
    """The first notice with this code."""
    for n in dig(snap, "notices", default=[]):
        if isinstance(n, Mapping) and n.get("code") == code:
            return n
    return None


def creators(snap: Snap) -> dict[Any, Mapping[str, Any]]:
    """The plan's creators, one line each (the first), keyed by id (else platform+handle)."""
    found: dict[Any, Mapping[str, Any]] = {}
    for line in lines_of(snap):
        key = line.get("id") or (line.get("platform"), str(line.get("handle", "")).lower())
        found.setdefault(key, line)
    return found


# ---------------------------------------------------------------------------------------
# Metrics: each reads one snapshot (and fixed knobs) and returns a figure or None (n/a)


@dataclass(frozen=True)
class Knobs:
    """The thresholds the metrics use, from the assumptions where they have one."""

    tolerance: float  # a) "beaten by ≥ 20 %"
    reason_codes: frozenset[str]  # a) notices that state why a beaten plan is kept
    fair_floor_cents: int  # h)
    dilution_limit: float  # i) posts a week
    typical_er: Mapping[str, float]  # i) per tier name
    engagement_floor_share: float  # i) the vetting rule
    long_tail_fact: str  # k)
    mid_band: tuple[int, int]  # l) followers, [from, to)
    range_min_people: int  # e)

    @staticmethod
    def of(kb: KnowledgeBase) -> Knobs:
        a = kb.assumptions
        return Knobs(
            tolerance=a.strategy.tolerance,
            reason_codes=frozenset(
                {"big_voice", "against_strategy", "dearer", "test", "asked_dearer"}
            ),
            fair_floor_cents=in_currency(a.fair_pay_floor, CURRENCY) or 10_000,
            dilution_limit=a.funnel.dilution_posts_per_week,
            typical_er={t.name: t.typical_engagement_rate for t in a.tiers},
            engagement_floor_share=a.vetting.engagement_floor_share,
            long_tail_fact="S1-long-tail",
            mid_band=(100_000, 500_000),
            range_min_people=5,
        )


def budget_used(snap: Snap) -> float | None:
    """b) The plan's spend over the budget (0 for an empty plan)."""
    total = budget(snap)
    return spent(plan_of(snap)) / total if total else None


def people(snap: Snap) -> int:
    """c) Distinct creators in the plan."""
    return int(dig(snap, "plan", "people", default=len(creators(snap))))


def units_per_euro(spent_cents: int, units: float | None) -> float | None:
    """The goal's measure (middle forecast) per euro spent; None when nothing is spent."""
    if units is None or spent_cents <= 0:
        return None
    return units / (spent_cents / 100)


def alternatives(snap: Snap) -> list[tuple[str, int, float]]:
    """The other plans the reply shows, as (label, spent cents, middle measure): all micro
    and all macro (Forecast view, chart), when they are not the plan itself."""
    metric = metric_of(snap)
    plan = plan_of(snap)
    out: list[tuple[str, int, float]] = []
    for which in ("all_micro", "all_macro"):
        alt = plan_of(snap, which)
        units = middle(alt, metric)
        if not alt or units is None or spent(alt) <= 0:
            continue
        if alt.get("key") is not None and alt.get("key") == plan.get("key"):
            continue
        out.append((which, spent(alt), units))
    return out


def beaten(snap: Snap, knobs: Knobs) -> Json | None:
    """a) Whether an alternative the reply shows (see `alternatives`) gets ≥ (1 + tolerance)
    times the plan's measure per euro (middle forecasts), and whether a notice states why
    the plan is kept anyway (`knobs.reason_codes`). Also `dominated`: an alternative
    spending no more that brings ≥ (1 + tolerance) times the plan's measure in all (the
    engine's own rule says this never happens without its big-voice notice). None for an
    empty plan or one that spends nothing (its cost per unit is nil)."""
    plan = plan_of(snap)
    metric = metric_of(snap)
    mine = units_per_euro(spent(plan), middle(plan, metric))
    if not lines_of(snap) or mine is None:
        return None
    best_label, best_ratio, dominated = None, 0.0, False
    best_spent, best_units = 0, 0.0
    for label, alt_spent, units in alternatives(snap):
        theirs = units_per_euro(alt_spent, units) or 0.0
        ratio = theirs / mine if mine > 0 else math.inf
        if ratio > best_ratio:
            best_label, best_ratio, best_spent, best_units = label, ratio, alt_spent, units
        plan_units = middle(plan, metric) or 0.0
        if alt_spent <= spent(plan) and units >= plan_units * (1 + knobs.tolerance):
            dominated = True
    explained = any(notice(snap, code) for code in knobs.reason_codes)
    is_beaten = best_ratio >= 1 + knobs.tolerance
    return {
        "beaten": is_beaten,
        "unexplained": is_beaten and not explained,
        "by": best_label if is_beaten else None,
        "by_spent_eur": best_spent / 100 if is_beaten else None,
        "by_mid": round(best_units, 2) if is_beaten else None,
        "ratio": round(best_ratio, 3) if best_ratio < math.inf else None,
        "dominated": dominated,
        "dominated_unexplained": dominated and not explained,
    }


def country_spend_share(snap: Snap) -> float | None:
    """d) With a country in the brief: the share of the plan's spend on creators whose
    audience country (as the roster wrote it, read as a code) is that country. None without
    a country or when the plan spends nothing."""
    wanted = dig(snap, "brief", "country")
    total = spent(plan_of(snap))
    if not wanted or total <= 0:
        return None
    on = sum(
        int(line.get("cost_cents") or 0)
        for line in lines_of(snap)
        if country_code(line.get("country")) == wanted
    )
    return on / total


def sales_range_ratio(snap: Snap, knobs: Knobs) -> float | None:
    """e) Sales plans of at least `knobs.range_min_people` creators: the high end of the
    conversions forecast over its low end (inf when the low end is 0)."""
    if dig(snap, "brief", "goal") != "sales" or people(snap) < knobs.range_min_people:
        return None
    found = triple(dig(snap, "plan", "forecast", "conversions"))
    if not found:
        return None
    low, _mid, high = found
    return high / low if low > 0 else math.inf


def payback(snap: Snap) -> Json | None:
    """f) Sales briefs with a basket and a margin, plans that spend: whether even the high
    end of the sales forecast × basket × margin is under the spend (`never`), and whether
    such a plan still spends over half the budget (`never_and_spends`)."""
    brief = dig(snap, "brief", default={})
    basket, margin = brief.get("order_value_cents"), brief.get("margin_pct")
    plan = plan_of(snap)
    sales = triple(dig(plan, "forecast", "conversions"))
    if brief.get("goal") != "sales" or not basket or not margin or not sales or spent(plan) <= 0:
        return None
    per_sale = basket * margin / 100
    never = sales[2] * per_sale < spent(plan)
    return {
        "never": never,
        "never_and_spends": never and spent(plan) > 0.5 * budget(snap),
        "reached": dig(notice(snap, "break_even"), "params", "reached"),
    }


def gifted(snap: Snap) -> Json:
    """g) Whether the plan books a gifted-only account (ask 0), whether the brief asked for
    seeding, whether it spends €0 with people in it, or is empty."""
    lines = lines_of(snap)
    return {
        "has_gifted": any(int(line.get("ask_cents") or 0) == 0 for line in lines),
        "asked": bool(dig(snap, "brief", "gifting", default=False)),
        "zero_spend": bool(lines) and spent(plan_of(snap)) == 0,
        "empty": not lines,
    }


def paid_per_post(snap: Snap) -> dict[Any, int]:
    """What the plan pays each paid creator a post (seeded parcels left out)."""
    paid: dict[Any, int] = {}
    for line in lines_of(snap):
        if line.get("seeding"):
            continue
        key = line.get("id") or (line.get("platform"), str(line.get("handle", "")).lower())
        each = int(line.get("price_cents") or 0)
        paid[key] = min(paid.get(key, each), each)
    return paid


def fair_pay(snap: Snap, knobs: Knobs) -> Json:
    """h) Picks (distinct creators) paid under the fair-pay floor a post (see
    `paid_per_post`): all of them, and those paid something (gifted-only ones left out);
    and whether the reply carries the fair_pay notice."""
    paid = list(paid_per_post(snap).values())
    offered = sum(
        1
        for line in creators(snap).values()
        if not line.get("seeding") and int(line.get("ask_cents") or 0) < knobs.fair_floor_cents
    )
    return {
        "offered": offered,
        "picks": len(paid),
        "below": sum(p < knobs.fair_floor_cents for p in paid),
        "below_paid": sum(0 < p < knobs.fair_floor_cents for p in paid),
        "noticed": notice(snap, "fair_pay") is not None,
    }


def frequent_posters(snap: Snap, knobs: Knobs) -> int:
    """i) Picks posting more than `knobs.dilution_limit` times a week."""
    return sum(
        float(line.get("posts_per_week") or 0) > knobs.dilution_limit
        for line in creators(snap).values()
    )


def weak_engagement(snap: Snap, knobs: Knobs) -> int:
    """i) Picks whose stated engagement rate is under the vetting rule's share of their
    tier's typical rate (assumptions.toml: tiers.typical_engagement_rate,
    vetting.engagement_floor_share)."""
    count = 0
    for line in creators(snap).values():
        typical = knobs.typical_er.get(str(line.get("tier")))
        rate = line.get("engagement_rate")
        floor = knobs.engagement_floor_share
        if typical is not None and rate is not None and float(rate) < typical * floor:
            count += 1
    return count


def wave2_rebooks_all(snap: Snap) -> bool | None:
    """j) Two-wave plans: whether wave 2 books (not holds in reserve, released by the wave-1
    results) every creator of wave 1 before any result. None for a one-wave plan."""
    waves: dict[int, set[Any]] = defaultdict(set)
    for line in lines_of(snap):
        if int(line.get("wave") or 1) == 2 and line.get("reserve"):
            continue
        waves[int(line.get("wave") or 1)].add(line.get("id") or line.get("handle"))
    if int(dig(snap, "plan", "waves", default=1)) < 2:
        return None
    return bool(waves[2]) and waves[1] <= waves[2]


def card_reason(snap: Snap) -> str | None:
    """The one reason the card shows: the first reason arguing for the side that gets most
    of the money, or for neither (as knowledge.writing.views.lead_reason)."""
    side = "macro" if int(dig(snap, "verdict", "macro_pct", default=0)) > 50 else "micro"
    for pair in dig(snap, "reason_sides", default=[]):
        if isinstance(pair, (list, tuple)) and len(pair) == 2 and pair[1] in (side, "neutral"):
            return str(pair[0])
    return None


def fact_as_reason(snap: Snap, fact: str) -> Json:
    """k) Whether `fact` is among the reasons, the first reason, and the card's reason."""
    reasons = [str(r) for r in dig(snap, "reasons", default=[])]
    return {
        "any": fact in reasons,
        "first": bool(reasons) and reasons[0] == fact,
        "card": card_reason(snap) == fact,
    }


def macro_money(snap: Snap, knobs: Knobs) -> tuple[int, int]:
    """l) (cents on macro-side lines of accounts in `knobs.mid_band` followers, cents on
    all macro-side lines)."""
    low, high = knobs.mid_band
    macro = [line for line in lines_of(snap) if line.get("side") == "macro"]
    in_band = sum(
        int(line.get("cost_cents") or 0)
        for line in macro
        if low <= int(line.get("followers") or 0) < high
    )
    return in_band, sum(int(line.get("cost_cents") or 0) for line in macro)


def reach_costs(snap: Snap) -> list[tuple[str, float]]:
    """m) Awareness and launch plans: each paid line's cost per 1,000 people reached (middle
    forecast), in euros, with its platform."""
    if dig(snap, "brief", "goal") not in ("awareness", "launch"):
        return []
    out = []
    for line in lines_of(snap):
        cost = int(line.get("cost_cents") or 0)
        reach = triple(dig(line, "forecast", "reach"))
        if cost > 0 and reach and reach[1] > 0:
            out.append((str(line.get("platform")), cost / 100 / reach[1] * 1000))
    return out


def left_explained(snap: Snap) -> Json | None:
    """p) Plans leaving over 10 % of the budget: whether the card says how much and why
    (the `left` notice), and which reason; None when the plan is empty or spends over 90 %."""
    total, used = budget(snap), spent(plan_of(snap))
    if not lines_of(snap) or total - used <= 0.1 * total:
        return None
    left = notice(snap, "left")
    why = dig(left, "params", "why")
    shown = dig(left, "params", default={})
    proven = why != "not_worth" or shown.get("next_cents", 0) > shown.get("limit_cents", 0)
    return {"explained": left is not None, "why": why, "figures_show_it": proven}


def plan_reach_cost(snap: Snap) -> tuple[str, float] | None:
    """m) Awareness and launch plans: the plan's cost per 1,000 people reached (middle
    forecast) in euros, with the platform taking most of its money."""
    if dig(snap, "brief", "goal") not in ("awareness", "launch") or not lines_of(snap):
        return None
    by: dict[str, int] = defaultdict(int)
    for line in lines_of(snap):
        by[str(line.get("platform"))] += int(line.get("cost_cents") or 0)
    reach = middle(plan_of(snap), "reach")
    if not reach:
        return None
    return max(by, key=lambda p: by[p]), spent(plan_of(snap)) / 100 / reach * 1000


def same_person_twice(snap: Snap) -> int:
    """n) People booked on two accounts in one plan: lines with the same name and the same
    non-empty contact (compared as the engine does) but another platform or handle."""
    accounts: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for line in creators(snap).values():
        contact = contact_key(line.get("contact"))
        if contact:
            name = " ".join(str(line.get("name", "")).lower().split())
            account = (str(line.get("platform")), str(line.get("handle", "")).lower())
            accounts[(name, contact)].add(account)
    return sum(1 for found in accounts.values() if len(found) > 1)


def agency_picks(snap: Snap, shared: Mapping[str, set[str]]) -> int:
    """n) Picks whose contact several different names of the roster share (an agency)."""
    return sum(contact_key(line.get("contact")) in shared for line in creators(snap).values())


def true_person_twice(snap: Snap, truth: Mapping[tuple[str, str], Account]) -> int | None:
    """n) With the generator's ground truth: people booked on two accounts in one plan,
    whatever their contacts say. None without ground truth."""
    if not truth:
        return None
    persons: dict[int, int] = defaultdict(int)
    for line in creators(snap).values():
        account = truth.get((str(line.get("platform")), handle_key(str(line.get("handle", "")))))
        if account is not None:
            persons[account.person] += 1
    return sum(1 for n in persons.values() if n > 1)


# Metrics that need the candidates the engine was given (not in the snapshot).


def in_scope(c: Candidate, snap: Snap) -> bool:
    """Whether a candidate is where the plan was drawn from (the snapshot's scope)."""
    niches = set(dig(snap, "scope", "niches", default=[]))
    platform = dig(snap, "scope", "platform")
    return bool(niches & set(c.niches)) and (platform is None or c.platform == platform)


def merged_people(candidates: Iterable[Candidate], snap: Snap) -> int:
    """n) Creators the engine could not book because another creator with another name
    shares their contact (an agency address): among the candidates in the plan's scope,
    for each contact, its distinct names minus one."""
    names: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        key = contact_key(c.contact)
        if key and in_scope(c, snap):
            names[key].add(" ".join(c.name.lower().split()))
    return sum(len(found) - 1 for found in names.values() if len(found) > 1)


def unmerged(candidates: Sequence[Candidate], shared: Mapping[str, set[str]]) -> list[Candidate]:
    """The candidates with each agency creator's contact made their own (contact + name):
    the same person's accounts still share one."""
    return [
        replace(c, contact=f"{c.contact} | {c.name}") if contact_key(c.contact) in shared else c
        for c in candidates
    ]


def gain(snap: Snap, other: Snap) -> float | None:
    """How much more of the goal's measure (middle forecast) `other`'s plan brings than
    `snap`'s, as a fraction (0.1: 10 % more); None when `snap`'s brings none."""
    metric = metric_of(snap)
    before, after = middle(plan_of(snap), metric) or 0.0, middle(plan_of(other), metric) or 0.0
    return after / before - 1 if before > 0 else None


# ---------------------------------------------------------------------------------------
# One brief, the whole grid


def measure(snap: Snap, knobs: Knobs, roster: Roster) -> Json:
    """Every snapshot metric of one plan, as one flat row."""
    brief = dig(snap, "brief", default={})
    plan = plan_of(snap)
    in_band, macro = macro_money(snap, knobs)
    return {
        "goal": brief.get("goal"),
        "budget_eur": budget(snap) / 100,
        "band": band_of(budget(snap)),
        "niche": brief.get("niche"),
        "platform": brief.get("platform"),
        "country": brief.get("country"),
        "order_value_eur": (brief.get("order_value_cents") or 0) / 100 or None,
        "margin_pct": brief.get("margin_pct"),
        "verdict": dig(snap, "verdict", "kind"),
        "metric": metric_of(snap),
        "spent_eur": spent(plan) / 100,
        "mid": middle(plan, metric_of(snap)),
        "waves": dig(plan, "waves", default=0),
        "notices": [dig(n, "code") for n in dig(snap, "notices", default=[])],
        "reasons": list(dig(snap, "reasons", default=[])),
        "budget_used": budget_used(snap),
        "people": people(snap),
        "beaten": beaten(snap, knobs),
        "country_share": country_spend_share(snap),
        "sales_range": sales_range_ratio(snap, knobs),
        "payback": payback(snap),
        "gifted": gifted(snap),
        "fair_pay": fair_pay(snap, knobs),
        "frequent": frequent_posters(snap, knobs),
        "weak_er": weak_engagement(snap, knobs),
        "wave2_all": wave2_rebooks_all(snap),
        "long_tail": fact_as_reason(snap, knobs.long_tail_fact),
        "macro_mid_cents": in_band,
        "macro_cents": macro,
        "reach_costs": reach_costs(snap),
        "same_person_twice": same_person_twice(snap),
        "test": bool(snap.get("test")),
        "left": left_explained(snap),
        "plan_reach_cost": plan_reach_cost(snap),
        "cpm_flag": notice(snap, "cpm") is not None,
        "reserve": (spent(plan) and int(dig(plan, "reserve_cents", default=0) or 0) / spent(plan))
        or None,
        "true_person_twice": true_person_twice(snap, roster.truth),
        "agency_picks": agency_picks(snap, roster.shared_contacts),
    }


def run_brief(
    session: Session, brief: Brief, kb: KnowledgeBase, knobs: Knobs, roster: Roster, cf: bool
) -> tuple[Json, Json]:
    """The bot's path for one brief, then its metrics; with `cf`, the same brief again with
    agency creators told apart, when the engine merged some."""
    start = time.perf_counter()
    candidates = candidates_for_brief(session=session, brief=brief, kb=kb)
    prices = price_guide(session=session, niches=niches_to_fetch(brief, kb), kb=kb)
    snap = snapshot(recommend(brief, candidates, kb, prices), kb).to_json()
    row = measure(snap, knobs, roster)
    row["ms"] = round((time.perf_counter() - start) * 1000, 1)
    row["merged_people"] = merged_people(candidates, snap)
    row["unmerged_gain"] = None
    if cf and row["merged_people"]:
        other = snapshot(
            recommend(brief, unmerged(candidates, roster.shared_contacts), kb, prices), kb
        ).to_json()
        row["unmerged_gain"] = gain(snap, other)
        row["unmerged_agency_picks"] = agency_picks(other, roster.shared_contacts)
    row["gifted_in_scope"] = any(c.price_cents == 0 and in_scope(c, snap) for c in candidates)
    row["ungifted"] = None
    if cf and row["gifted_in_scope"]:
        paid = [c for c in candidates if c.price_cents > 0]
        other = snapshot(recommend(brief, paid, kb, prices), kb).to_json()
        row["ungifted"] = {
            "budget_used": budget_used(other),
            "gain": gain(snap, other),
            "verdict": dig(other, "verdict", "kind"),
            "people": people(other),
        }
    return row, snap


def run(
    roster: Roster,
    briefs: Sequence[Brief],
    kb: KnowledgeBase,
    *,
    max_seconds: float,
    counterfactual: bool = True,
) -> tuple[list[Json], Json]:
    """Every brief (until `max_seconds`), its metrics; and what the run was."""
    knobs = Knobs.of(kb)
    rows: list[Json] = []
    start = time.perf_counter()
    with Session(roster.engine) as session:
        for brief in briefs:
            if time.perf_counter() - start > max_seconds:
                break
            rows.append(run_brief(session, brief, kb, knobs, roster, counterfactual)[0])
    info = {
        "roster": roster.kind,
        "roster_size": roster.size,
        "agency_contacts": len(roster.shared_contacts),
        "briefs_asked": len(briefs),
        "briefs_run": len(rows),
        "seconds": round(time.perf_counter() - start, 1),
        "stopped_early": len(rows) < len(briefs),
    }
    return rows, info


def dump_examples(roster: Roster, kb: KnowledgeBase, folder: Path) -> list[Path]:
    """The six example briefs' snapshots as JSON files, named after the roster and brief."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with Session(roster.engine) as session:
        for name, brief in EXAMPLES:
            candidates = candidates_for_brief(session=session, brief=brief, kb=kb)
            prices = price_guide(session=session, niches=niches_to_fetch(brief, kb), kb=kb)
            snap = snapshot(recommend(brief, candidates, kb, prices), kb).to_json()
            path = folder / f"{roster.kind}-{name}.json"
            path.write_text(json.dumps(snap, indent=2, ensure_ascii=False) + "\n")
            written.append(path)
    return written


# ---------------------------------------------------------------------------------------
# Figures


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0–1) by linear interpolation; None for no values."""
    data = sorted(values)
    if not data:
        return None
    position = (len(data) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(data) - 1)
    if math.isinf(data[low]) or math.isinf(data[high]):
        return data[high] if position > low else data[low]
    return data[low] + (data[high] - data[low]) * (position - low)


def share(flags: Iterable[bool | None]) -> tuple[float | None, int]:
    """The share of True among the flags that are not None, and how many those are."""
    known = [bool(f) for f in flags if f is not None]
    return (sum(known) / len(known) if known else None), len(known)


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f} %"


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{value:,.{digits}f}"


def of_share(flags: Iterable[bool | None]) -> str:
    value, n = share(flags)
    return f"{pct(value)} (n={n})"


def _with_plan(rows: Sequence[Json]) -> list[Json]:
    return [r for r in rows if not r["gifted"]["empty"]]


Headline = tuple[str, str, str]


def _row_a(rows: Sequence[Json]) -> list[Headline]:
    planned = _with_plan(rows)
    big = [r for r in planned if r["budget_eur"] >= BIG_BUDGET_EUR]

    def beat(rs: Sequence[Json], key: str) -> str:
        return of_share(r["beaten"][key] if r["beaten"] else None for r in rs)

    by: dict[str, int] = defaultdict(int)
    for r in planned:
        if r["beaten"] and r["beaten"]["unexplained"]:
            by[r["beaten"]["by"]] += 1
    which = ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
    return [
        (
            "a",
            "beaten ≥20 % per unit by a shown alternative, no reason notice",
            f"{beat(planned, 'unexplained')}; from €150k {beat(big, 'unexplained')}; "
            f"by: {which or 'none'}",
        ),
        (
            "a",
            "… beaten per unit (with or without a reason notice)",
            f"{beat(planned, 'beaten')}; from €150k {beat(big, 'beaten')}",
        ),
        (
            "a",
            "… dominated (≥20 % more in all at no more cost), no reason notice",
            f"{beat(planned, 'dominated_unexplained')}; from €150k "
            f"{beat(big, 'dominated_unexplained')}",
        ),
    ]


def _row_e(rows: Sequence[Json]) -> Headline:
    ranges = [r["sales_range"] for r in rows if r["sales_range"] is not None]
    zero = sum(math.isinf(x) for x in ranges)
    return (
        "e",
        "sales range high/low, sales plans with ≥5 creators",
        f"median {num(quantile(ranges, 0.5))}×, p90 {num(quantile(ranges, 0.9))}× "
        f"(n={len(ranges)}, low end 0: {zero})",
    )


def _row_f(rows: Sequence[Json]) -> Headline:
    pay = [r["payback"] for r in rows if r["payback"]]
    return (
        "f",
        "sales plans with basket+margin that can't pay back even at the high end",
        f"{of_share(p['never'] for p in pay)}; can't and spend >50 % of the budget: "
        f"{of_share(p['never_and_spends'] for p in pay)}",
    )


def _row_g(rows: Sequence[Json]) -> Headline:
    zero = sum(r["gifted"]["zero_spend"] for r in rows)
    empty = sum(r["gifted"]["empty"] for r in rows)
    planned = _with_plan(rows)
    unasked = [r["gifted"]["has_gifted"] for r in planned if not r["gifted"]["asked"]]
    asked = [r["gifted"]["has_gifted"] for r in planned if r["gifted"]["asked"]]
    return (
        "g",
        "plans booking a gifted (ask 0) account: seeding not asked / asked",
        f"{of_share(unasked)} / {of_share(asked)}; plans with people spending €0: {zero}; "
        f"empty plans: {empty} of {len(rows)}",
    )


def _row_g2(rows: Sequence[Json]) -> Headline:
    hit = [r for r in rows if r.get("ungifted")]
    before = [r["budget_used"] for r in hit if r["budget_used"] is not None]
    after = [r["ungifted"]["budget_used"] for r in hit if r["ungifted"]["budget_used"] is not None]
    gains = [r["ungifted"]["gain"] for r in hit if r["ungifted"]["gain"] is not None]
    flipped = share(r["ungifted"]["verdict"] != r["verdict"] for r in hit)[0]
    return (
        "g",
        "… briefs with a gifted account in scope, planned again without gifted accounts",
        f"{of_share(bool(r.get('gifted_in_scope')) for r in rows)} of briefs; budget used "
        f"median {pct(quantile(before, 0.5), 0)} → {pct(quantile(after, 0.5), 0)}; verdict "
        f"changes {pct(flipped)}; measure change median {pct(quantile(gains, 0.5))}, "
        f"≥ +20 %: {pct(share(g >= 0.2 for g in gains)[0])} (n={len(hit)})",
    )


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _row_h(rows: Sequence[Json]) -> Headline:
    picks = sum(r["fair_pay"]["picks"] for r in rows)
    below = sum(r["fair_pay"]["below"] for r in rows)
    paid = sum(r["fair_pay"]["below_paid"] for r in rows)
    with_below = [r for r in rows if r["fair_pay"]["below"]]
    offered = sum(r["fair_pay"].get("offered", 0) for r in rows)
    floor = default_knowledge().assumptions.fair_pay_floor[CURRENCY]
    return (
        "h",
        f"picks paid under the fair-pay floor (€{floor} a post, fair_pay.floor); asking less,"
        f" offered it: {offered}",
        f"{pct(_ratio(below, picks))} of {picks:,} picks (paid ones: {pct(_ratio(paid, picks))})"
        f"; plans with one: {of_share(bool(r['fair_pay']['below']) for r in _with_plan(rows))}"
        f"; fair_pay notice shown then: {of_share(r['fair_pay']['noticed'] for r in with_below)}",
    )


def _row_i(rows: Sequence[Json]) -> list[Headline]:
    picks = sum(r["fair_pay"]["picks"] for r in rows)
    planned = _with_plan(rows)
    out = []
    for key, label in (
        ("frequent", "picks posting > 14 a week"),
        ("weak_er", "picks with an engagement rate under half their tier's typical"),
    ):
        count = sum(r[key] for r in rows)
        out.append(
            (
                "i",
                label,
                f"{pct(_ratio(count, picks))} of picks; plans with one: "
                f"{of_share(bool(r[key]) for r in planned)}",
            )
        )
    return out


def _row_j(rows: Sequence[Json]) -> Headline:
    reserve = [r["reserve"] for r in rows if r["reserve"]]
    return (
        "j",
        "two-wave plans whose wave 2 books (not reserves) every wave-1 creator",
        f"{of_share(r['wave2_all'] for r in rows)}; reserve share of a two-wave plan's "
        f"spend: median {pct(quantile(reserve, 0.5), 0)} (n={len(reserve)})",
    )


def _row_o(rows: Sequence[Json]) -> Headline:
    pay = [r for r in rows if r["payback"] is not None or r["test"]]
    return (
        "o",
        "sales plans with basket+margin that are tests (no booking pays back)",
        f"{of_share(r['test'] for r in pay)}",
    )


def _row_p(rows: Sequence[Json]) -> list[Headline]:
    lefts = [r["left"] for r in rows if r["left"]]
    why: dict[str, int] = defaultdict(int)
    for left in lefts:
        why[str(left["why"])] += 1
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(why.items()))
    return [
        (
            "p",
            "plans leaving >10 % of the budget that say how much and why",
            f"{of_share(left['explained'] for left in lefts)}; why: {reasons}",
        ),
        (
            "p",
            "… 'not worth it' with figures that show it (next cost > the limit)",
            of_share(left["figures_show_it"] for left in lefts if left["why"] == "not_worth"),
        ),
    ]


def _row_q(rows: Sequence[Json]) -> Headline:
    reach = [r for r in rows if r["plan_reach_cost"]]
    return (
        "q",
        "awareness/launch plans flagged for a cost per 1,000 outside the market band",
        of_share(r["cpm_flag"] for r in reach),
    )


def _row_k(rows: Sequence[Json]) -> Headline:
    planned = _with_plan(rows)
    cells = [of_share(r["long_tail"][k] for r in planned) for k in ("any", "first", "card")]
    return (
        "k",
        "S1-long-tail as a reason / the first reason / the card's reason",
        " / ".join(cells),
    )


def _row_l(rows: Sequence[Json]) -> Headline:
    in_band = sum(r["macro_mid_cents"] for r in rows)
    macro = sum(r["macro_cents"] for r in rows)
    per_plan = [r["macro_mid_cents"] / r["macro_cents"] for r in rows if r["macro_cents"]]
    return (
        "l",
        "macro-side money going to 100k–500k accounts",
        f"{pct(_ratio(in_band, macro))} pooled; median per plan "
        f"{pct(quantile(per_plan, 0.5))} (n={len(per_plan)})",
    )


def _row_n(rows: Sequence[Json]) -> list[Headline]:
    twice = sum(bool(r["same_person_twice"]) for r in rows)
    truth = [r["true_person_twice"] for r in rows if r["true_person_twice"] is not None]
    truly = f"; by ground truth (any contact): {sum(bool(t) for t in truth)}" if truth else ""
    merged = [r["merged_people"] for r in rows]
    lost = quantile([m for m in merged if m], 0.5)
    gains = [r["unmerged_gain"] for r in rows if r["unmerged_gain"] is not None]
    better = sum(g >= 0.05 for g in gains)
    return [
        ("n", "same person (name + contact) booked twice in a plan", f"{twice} plans{truly}"),
        (
            "n",
            "agency creators merged as one person (same contact, other names)",
            f"briefs where some were merged: {of_share(bool(m) for m in merged)}, median "
            f"{num(lost, 0)} creators merged away; plans booking an agency contact: "
            f"{of_share(bool(r['agency_picks']) for r in _with_plan(rows))}",
        ),
        (
            "n",
            "… the same briefs with agency creators told apart",
            f"measure change median {pct(quantile(gains, 0.5))}, p90 "
            f"{pct(quantile(gains, 0.9))} (n={len(gains)}; ≥5 % better: {better})",
        ),
    ]


def summarise(rows: Sequence[Json]) -> Json:
    """The aggregate figures a–n: headline rows (letter, measure, value) and tables."""
    headline: list[Headline] = [
        *_row_a(rows),
        _row_e(rows),
        _row_f(rows),
        _row_g(rows),
        _row_g2(rows),
        _row_h(rows),
        *_row_i(rows),
        _row_j(rows),
        _row_o(rows),
        *_row_p(rows),
        _row_q(rows),
        _row_k(rows),
        _row_l(rows),
        *_row_n(rows),
    ]
    tables = {"b": _table_b(rows), "c": _table_c(rows), "d": _table_d(rows), "m": _table_m(rows)}
    return {"headline": headline, "tables": tables}


def _table_b(rows: Sequence[Json]) -> list[list[str]]:
    """b) Median share of budget used, goal × band."""
    header = ["goal", *(label for label, _lo, _hi in BANDS)]
    table = [header]
    for goal in GOALS:
        cells = [goal.value]
        for label, _lo, _hi in BANDS:
            used = [
                r["budget_used"]
                for r in rows
                if r["goal"] == goal.value and r["band"] == label and r["budget_used"] is not None
            ]
            cells.append(pct(quantile(used, 0.5), 0))
        table.append(cells)
    return table


def _table_c(rows: Sequence[Json]) -> list[list[str]]:
    """c) Creators per plan by band: median, p90, share with ≥ 20."""
    table = [["band", "plans", "median", "p90", "≥20 creators"]]
    for label, _lo, _hi in BANDS:
        counts = [float(r["people"]) for r in rows if r["band"] == label]
        table.append(
            [
                label,
                str(len(counts)),
                num(quantile(counts, 0.5), 0),
                num(quantile(counts, 0.9), 0),
                pct(share(c >= 20 for c in counts)[0]),
            ]
        )
    return table


def _table_d(rows: Sequence[Json]) -> list[list[str]]:
    """d) Briefs naming a country: share of spend on creators with that audience country."""
    table = [["country", "plans", "median on-target", "mean", "none on target"]]
    for country in (c for c in COUNTRIES if c):
        shares = [
            r["country_share"]
            for r in rows
            if r["country"] == country and r["country_share"] is not None
        ]
        table.append(
            [
                country,
                str(len(shares)),
                pct(quantile(shares, 0.5), 0),
                pct(statistics.fmean(shares) if shares else None, 0),
                pct(share(s == 0 for s in shares)[0], 0),
            ]
        )
    return table


def _table_m(rows: Sequence[Json]) -> list[list[str]]:
    """m) Awareness and launch plans: the plan's € per 1,000 people reached, by the platform
    taking most of its money."""
    by: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["plan_reach_cost"]:
            platform, cost = r["plan_reach_cost"]
            by[platform].append(cost)
    table = [["platform", "plans", "p10 €/1k", "median €/1k", "p90 €/1k"]]
    for platform, costs in sorted(by.items(), key=lambda item: -len(item[1])):
        table.append(
            [
                platform,
                str(len(costs)),
                num(quantile(costs, 0.1), 2),
                num(quantile(costs, 0.5), 2),
                num(quantile(costs, 0.9), 2),
            ]
        )
    return table


def markdown_table(table: Sequence[Sequence[str]]) -> str:
    head, *body = table
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


TABLE_TITLES = {
    "b": "b. Median share of the budget used, by goal and budget band",
    "c": "c. Creators per plan, by budget band",
    "d": "d. Briefs naming a country: share of spend on creators whose audience is there",
    "m": "m. Awareness and launch: the plan's cost per 1,000 people reached, by main platform",
}


def report(summary: Json, info: Json) -> str:
    """The figures as markdown."""
    stopped = " (stopped early: time limit)" if info["stopped_early"] else ""
    out = [
        f"### Roster `{info['roster']}` ({info['roster_size']:,} accounts, "
        f"{info['agency_contacts']} contacts shared by several names): "
        f"{info['briefs_run']:,} briefs in {info['seconds']} s{stopped}",
        "",
        markdown_table([["", "measure", "value"], *summary["headline"]]),
    ]
    for key, table in summary["tables"].items():
        out += ["", f"**{TABLE_TITLES[key]}**", "", markdown_table(table)]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> Json:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--roster", choices=("sample", "realistic"), default="realistic")
    parser.add_argument("--briefs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=3000, help="realistic roster: accounts")
    parser.add_argument("--roster-seed", type=int, default=7, help="realistic roster: seed")
    parser.add_argument("--json", type=Path, help="write the summary and per-brief rows here")
    parser.add_argument("--examples", type=Path, help="write the six example snapshots here")
    parser.add_argument("--max-seconds", type=float, default=280.0)
    parser.add_argument(
        "--no-counterfactual",
        action="store_true",
        help="skip re-planning briefs with agency creators told apart (metric n)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.briefs <= 100_000 or not 1 <= args.size <= 1_000_000:
        parser.error("--briefs: 1 to 100,000; --size: 1 to 1,000,000")
    kb = default_knowledge()
    briefs = grid_briefs(args.briefs, args.seed)
    with tempfile.TemporaryDirectory(prefix="plan-grid-") as folder:
        loaded = time.perf_counter()
        roster = open_roster(args.roster, Path(folder), kb, args.size, args.roster_seed)
        load_seconds = time.perf_counter() - loaded
        try:
            rows, info = run(
                roster,
                briefs,
                kb,
                max_seconds=args.max_seconds,
                counterfactual=not args.no_counterfactual,
            )
            if args.examples:
                for path in dump_examples(roster, kb, args.examples):
                    out(f"example: {path}")
        finally:
            roster.engine.dispose()
    info["load_seconds"] = round(load_seconds, 1)
    info["seed"] = args.seed
    summary = summarise(rows)
    out(report(summary, info))
    result = {"info": info, "summary": summary, "rows": rows}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=str) + "\n")
        out(f"per-brief rows: {args.json}")
    return result


if __name__ == "__main__":
    main()
