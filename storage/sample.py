"""A deterministic sample roster of fictional influencers, clearly marked as such."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import post_forecast
from knowledge.base import KnowledgeBase, default_knowledge
from knowledge.reading.matching import ascii_fold
from storage.admin import COMMAND_LINE_ACTOR, _record
from storage.models import SAMPLE_NOTE, Influencer, InfluencerCreate, handle_key, utcnow
from storage.roster import UpsertSummary, _upsert
from storage.search import _set_search_active

SAMPLE_SIZE = 600
NICHES = (
    "cooking",
    "travel",
    "diy",
    "tech",
    "fashion",
    "beauty",
    "fitness",
    "gaming",
    "parenting",
    "gardening",
    "pets",
    "finance",
    "music",
    "books",
)
PLATFORMS = ("instagram", "youtube", "tiktok", "blog", "pinterest")
# (tier, share of the roster, follower range, median engagement rate in %): the medians are
# the tiers' benchmarks (knowledge/data/assumptions.toml, sources.engagement_benchmark), each
# person's rate spread around it (a lognormal of ENGAGEMENT_SPREAD).
TIERS = (
    ("nano", 0.30, (1_500, 9_900), 3.0),
    ("micro", 0.40, (10_000, 99_000), 2.0),
    ("mid", 0.15, (100_000, 490_000), 1.5),
    ("macro", 0.08, (500_000, 990_000), 1.0),
    ("mega", 0.07, (1_000_000, 4_800_000), 0.8),
)
ENGAGEMENT_SPREAD = 0.35
# A post is priced at a cost per 1,000 people it reaches (the knowledge's own forecast) of
# this share of the top of the platform's market band (cpm_band), times a person's spread
# squared: mostly inside the band, some over its top (the card flags them), a few asking
# OVERPRICED times more (the engine leaves them out, as over the market).
MARKET_SHARE = 0.6
OVERPRICED_FROM = 1.55  # a spread above this: the person asks OVERPRICED times more
OVERPRICED = 2.0
# Where the currency has no market band: a price per 1,000 followers, by platform.
PRICE_PER_THOUSAND = {"instagram": 10, "youtube": 18, "tiktok": 8, "blog": 14, "pinterest": 6}
FIRST = (
    "Léa",
    "Hugo",
    "Amina",
    "Noah",
    "Chloé",
    "Malik",
    "Sofia",
    "Jules",
    "Inès",
    "Tom",
    "Yasmine",
    "Lucas",
    "Camille",
    "Omar",
    "Emma",
    "Nathan",
    "Zoé",
    "Karim",
    "Maya",
    "Théo",
    "Sarah",
    "Adam",
    "Nina",
    "Samuel",
    "Lina",
    "Victor",
    "Jade",
    "Elias",
    "Rose",
    "Mateo",
)
LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Moreau",
    "Laurent",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Faure",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Francois",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
)
COUNTRIES = ("FR", "BE", "CH", "CA", "FR", "FR", "US", "GB", "DE", "ES")
LANGUAGES = {
    "FR": "fr",
    "BE": "fr",
    "CH": "fr",
    "CA": "fr",
    "US": "en",
    "GB": "en",
    "DE": "de",
    "ES": "es",
}


def _price_cents(person: InfluencerCreate, spread: float, kb: KnowledgeBase) -> int:
    """What `person` asks for a post: a cost per 1,000 people reached around the market's
    (see MARKET_SHARE), or, without a market band for the currency, per 1,000 followers."""
    a = kb.assumptions
    band = a.cpm_band.get(person.currency.upper(), {}).get(person.platform)
    if band is None:
        price = person.followers / 1000 * PRICE_PER_THOUSAND[person.platform] * spread
    else:
        candidate = Candidate(
            id=0,
            name=person.name,
            handle=person.handle,
            platform=person.platform,
            niches=tuple(person.niches),
            followers=person.followers,
            engagement_rate=person.engagement_rate,
            price_cents=0,
            posts_per_week=person.posts_per_week,
            audience_quality=person.audience_quality,
        )
        cost = band[1] * MARKET_SHARE * spread * spread
        cost *= OVERPRICED if spread > OVERPRICED_FROM else 1.0
        price = post_forecast(candidate, a).reach.mid * cost / 1000
    return max(2000, int(round(price, -1)) * 100)


def sample_roster(
    currency: str, size: int = SAMPLE_SIZE, seed: int = 2026, kb: KnowledgeBase | None = None
) -> list[InfluencerCreate]:
    """`size` fictional influencers over every niche, platform and tier; same seed, same list."""
    kb = kb or default_knowledge()
    rng = random.Random(seed)
    people: list[InfluencerCreate] = []
    tier_plan = [t for t in TIERS for _ in range(round(t[1] * size))]
    while len(tier_plan) < size:
        tier_plan.append(TIERS[1])
    for index in range(size):
        _tier, _share, (low, high), engagement = tier_plan[index]
        niche = NICHES[index % len(NICHES)]
        platform = rng.choice(PLATFORMS)
        niches = [niche]
        if rng.random() < 0.25:
            niches.append(rng.choice([n for n in NICHES if n != niche]))
        followers = int(round(rng.uniform(low, high), -2))
        spread = rng.uniform(0.6, 1.6)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        ascii_first = re.sub(r"[^a-z0-9]", "", ascii_fold(first))
        country = rng.choice(COUNTRIES)
        people.append(
            InfluencerCreate(
                name=f"{first} {last}",
                handle=f"@{ascii_first}_{niche}_{index:03d}",
                platform=platform,
                niches=niches,
                followers=followers,
                engagement_rate=round(engagement * rng.lognormvariate(0, ENGAGEMENT_SPREAD), 2),
                price_cents=0,
                currency=currency,
                country=country,
                language=LANGUAGES[country],
                posts_per_week=rng.choice((1, 2, 3, 3, 4, 5, 7, 10, 14, 21)),
                audience_quality=rng.randint(45, 98),
                open_to_exclusivity=rng.random() < 0.3,
                contact=f"{ascii_first}.{index:03d}@example.invalid",
                notes=SAMPLE_NOTE,
            )
        )
        people[-1].price_cents = _price_cents(people[-1], spread, kb)
    return people


def load_sample(*, session: Session, currency: str, kb: KnowledgeBase) -> tuple[UpsertSummary, int]:
    """Add or refresh the sample roster, and retire sample people it no longer has (from an
    older version of it); committed. The upsert's summary and how many were retired."""
    people = sample_roster(currency, kb=kb)
    summary = _upsert(session, [p.model_dump() for p in people], kb)
    keep = [(p.platform, handle_key(p.handle)) for p in people]
    retired = _set_sample_active(session, False, keep)
    session.commit()
    return summary, retired


def sample_counts(*, session: Session) -> tuple[int, int]:
    """How many sample people are in the roster (active), and how many are retired."""
    rows = session.exec(
        select(Influencer.active, func.count())
        .where(col(Influencer.notes) == SAMPLE_NOTE)
        .group_by(col(Influencer.active))
    )
    counts = {bool(active): int(n) for active, n in rows}
    return counts.get(True, 0), counts.get(False, 0)


def retire_sample(*, session: Session, actor_id: int = COMMAND_LINE_ACTOR) -> int:
    """Retire (deactivate, as /remove does) every active sample person, with one audit entry;
    committed. How many."""
    return _switch_all_sample(session, actor_id, active=False, action="sample_remove")


def restore_sample(*, session: Session, actor_id: int) -> int:
    """Bring every retired sample person back (recommended again), with one audit entry;
    committed. How many."""
    return _switch_all_sample(session, actor_id, active=True, action="sample_restore")


def _switch_all_sample(session: Session, actor_id: int, *, active: bool, action: str) -> int:
    """Every sample person switched to `active`, with one audit entry `action`; committed."""
    switched = _set_sample_active(session, active, keep=())
    if switched:
        _record(
            session=session,
            actor_id=actor_id,
            action=action,
            summary=f"{switched} sample people (fictional)",
        )
    session.commit()
    return switched


def _set_sample_active(session: Session, active: bool, keep: Iterable[tuple[str, str]]) -> int:
    """Switch to `active` the sample people who are not, except those keyed (platform,
    handle key) in `keep`, in the caller's transaction; how many."""
    kept = set(keep)
    noted = session.scalars(
        select(Influencer).where(
            col(Influencer.notes) == SAMPLE_NOTE, col(Influencer.active).is_(not active)
        )
    )
    switched = [i for i in noted if (i.platform, i.handle_key) not in kept]
    for influencer in switched:
        influencer.active = active
        influencer.updated_at = utcnow()
    session.flush()
    _set_search_active(session, [i.id for i in switched if i.id is not None], active)
    return len(switched)
