"""A seeded, realistic roster of fictional influencers, to judge the engine's plans on a
roster shaped like a real one (the sample roster and bench.common's are evenly spread).

    python -m bench.realistic_roster OUT.csv [--size 3000] [--seed 7]

As a function: `realistic_roster(size, seed)` returns one `Account` per roster row, with the
generator's ground truth the CSV can't hold (the person behind each account, their agency,
the true engagement rate, gifted-only). `write_roster_csv` writes the documented columns
(README, "Roster CSV"); the file imports with `python -m bot roster import OUT.csv` into an
empty database. Same size and seed, same rows.

Every figure below is an ASSUMPTION: an order of magnitude read from public benchmarks
(vendor reports and blog posts, 2019–2026, disagreeing with each other), tuned to look like
a booking roster rather than the whole platform. None is a measurement.

- Followers (`TIERS`): heavy-tailed, 45 % nano (< 10k), 40 % micro (10k–100k), 10 % mid
  (100k–500k), 4 % macro (500k–1M), 1 % mega (≥ 1M), log-uniform inside a tier and a Pareto
  tail (alpha 1.6) above 1M. Tier bands: Later × Fohr influencer report (2021), Influencer
  Marketing Hub tier definitions. The shares of a whole platform are more skewed still
  (HypeAuditor's yearly reports put most accounts over 1k followers in the nano tier: as
  recalled, not rechecked here); a roster someone curates holds relatively more mid-size
  accounts. Assumption.
- Engagement rate (`ENGAGEMENT`, `PLATFORM_ENGAGEMENT`): falls with size as every public
  benchmark says (Later × Fohr 2021; HypeAuditor 2021; Influencer Marketing Hub and
  Hootsuite ranges as summarised by growhtos.com, 2026: nano 4–9 %, micro 3–7 %, mid
  1.5–5 %, macro 0.8–2.5 %, mega 0.3–1.2 %): medians here nano 5 %, micro 2.8 %, mid 1.8 %,
  macro 1.1 %, mega 0.75 %, with lognormal noise per account (sigma 0.45). TikTok about
  double Instagram at a tier (growhtos.com 2026), YouTube lower per subscriber (reports
  measure it per view, and views are a fraction of subscribers: CreatorIQ via Tubefilter
  2019), blogs and podcasts barely measured (low here, with a wide spread). 2.5 % of
  accounts have a very low rate (0.1–0.4 %, often bought followers: their audience quality
  is low too) and 1 % an implausibly high one (20–45 %).
- Price per post (`PRICE_PER_THOUSAND`, `PLATFORM_PRICE`): about €10 per 1,000 followers,
  the "$100 per 10k followers" rule of thumb (Influencer Marketing Hub, as quoted by inBeat;
  Storyclash 2024 quotes a €10 CPM per 1,000 followers), times a lognormal spread (sigma
  0.7): published tier ranges span 5–10× (Hootsuite: nano $25–150 on Instagram;
  wordontheblock 2023: nano $10–100, micro $100–500). Platform multipliers from the same
  guides: YouTube ×2.5 (wordontheblock: about twice Instagram, CPM $15–30 vs $5–15),
  TikTok ×0.7 (wordontheblock: about half), blog ×1.4 and podcast ×2 (our figures:
  dedicated articles and host-read ads are priced above a feed post), the others below
  Instagram. Slightly more for a better engagement rate. Floor €20 for a paid post.
- 4 % of accounts, all nano, work for gifts only (price 0): common for the smallest creators
  (rate guides such as soundme.live's 2025 estimator article describe nano creators paid in
  product); the share is our assumption.
- 5 % of people have a second account on another platform: same name and contact (the
  contact sometimes typed with other capitals), another handle.
- 8 talent agencies each book 5–25 different creators (mostly bigger ones, around a few
  niches each) under one shared address such as bookings@northlight-talent.example.
- Audiences in twelve countries with their language (FR and US most), 4 % with no country;
  Canada en or fr, Belgium fr or nl, Switzerland de or fr.
- Posts per week mostly 2–7 (platform-dependent: a YouTube channel or a podcast posts about
  once a week), about 5 % above 14; audience quality mostly 60–95, 8 % unknown, 5 % under
  50; open to exclusivity 20 %.
- Niches from knowledge/data/niches.toml, 1–2 per account (the second one usually a
  related niche), cooking, beauty, fashion, travel, fitness and tech most common; platforms
  Instagram 50 %, TikTok 20 %, YouTube 15 %, blog 5 %, then pinterest, podcast, x, twitch,
  facebook, linkedin.

The importer refuses an engagement rate under 0.2 % (storage.roster_rows.LOW_ENGAGEMENT_RATE:
it is read as a fraction typed for a percentage), so the CSV clamps those rates to 0.2;
`Account.engagement_rate` keeps the true rate, and the CSV's note says "true ER …".
Every name, handle and address is fictional (addresses under the reserved `.example` domain).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from knowledge.base import KnowledgeBase, default_knowledge
from knowledge.reading.matching import ascii_fold
from storage.roster_rows import COLUMNS, LOW_ENGAGEMENT_RATE

NOTE = "realistic bench data (fictional)"
# (tier, share of accounts, lowest followers, highest followers, median engagement rate %)
TIERS = (
    ("nano", 0.45, 1_000, 9_999, 5.0),
    ("micro", 0.40, 10_000, 99_999, 2.8),
    ("mid", 0.10, 100_000, 499_999, 1.8),
    ("macro", 0.04, 500_000, 999_999, 1.1),
    ("mega", 0.01, 1_000_000, 60_000_000, 0.75),
)
MEGA_PARETO_ALPHA = 1.6
ENGAGEMENT_SIGMA = 0.45
ENGAGEMENT = {name: er for name, _s, _lo, _hi, er in TIERS}
# Engagement against Instagram's at the same size, and its own spread (sigma of the log).
PLATFORM_ENGAGEMENT = {
    "instagram": (1.0, ENGAGEMENT_SIGMA),
    "tiktok": (1.8, 0.5),
    "youtube": (0.6, 0.5),
    "blog": (0.5, 0.9),
    "podcast": (0.7, 0.8),
    "pinterest": (0.4, 0.6),
    "x": (0.5, 0.6),
    "twitch": (1.0, 0.6),
    "facebook": (0.35, 0.6),
    "linkedin": (1.0, 0.6),
}
VERY_LOW_ENGAGEMENT = (0.025, 0.1, 0.4)  # share of accounts, lowest, highest (%)
VERY_HIGH_ENGAGEMENT = (0.01, 20.0, 45.0)
PLATFORMS = {
    "instagram": 50.0,
    "tiktok": 20.0,
    "youtube": 15.0,
    "blog": 5.0,
    "pinterest": 3.0,
    "podcast": 2.5,
    "x": 2.0,
    "twitch": 1.2,
    "facebook": 0.8,
    "linkedin": 0.5,
}
PRICE_PER_THOUSAND = 10.0  # euros per 1,000 followers, before the spread and the platform
PRICE_SIGMA = 0.7
PLATFORM_PRICE = {
    "instagram": 1.0,
    "tiktok": 0.7,
    "youtube": 2.5,
    "blog": 1.4,
    "podcast": 2.0,
    "pinterest": 0.6,
    "x": 0.5,
    "twitch": 1.2,
    "facebook": 0.6,
    "linkedin": 1.5,
}
PAID_FLOOR = 20  # euros: the least a paid post costs
GIFTED_SHARE = 0.04  # of all accounts, all of them nano
SECOND_ACCOUNT_SHARE = 0.05  # of people
AGENCIES = (
    ("Northlight Talent", ("beauty", "fashion")),
    ("Maison Créateurs", ("fashion", "travel")),
    ("Blue Fork Media", ("cooking", "travel")),
    ("Pixel & Play Management", ("gaming", "tech")),
    ("Peak Form Agency", ("fitness", "outdoors")),
    ("Little Ones Collective", ("parenting", "home")),
    ("Circuit Creators", ("tech", "finance")),
    ("Wanderkind Talent", ("travel", "beauty")),
)
AGENCY_SIZE = (5, 25)
# Country weights (FR and US most); then the languages spoken there (share of each).
COUNTRIES = {
    "FR": 25.0,
    "US": 20.0,
    "GB": 8.0,
    "DE": 8.0,
    "ES": 7.0,
    "IT": 6.0,
    "CA": 5.0,
    "BR": 5.0,
    "BE": 4.0,
    "CH": 3.0,
    "NL": 3.0,
    "PT": 2.0,
}
LANGUAGES = {
    "FR": (("fr", 1.0),),
    "US": (("en", 1.0),),
    "GB": (("en", 1.0),),
    "DE": (("de", 1.0),),
    "ES": (("es", 1.0),),
    "IT": (("it", 1.0),),
    "CA": (("en", 0.75), ("fr", 0.25)),
    "BR": (("pt", 1.0),),
    "BE": (("fr", 0.6), ("nl", 0.4)),
    "CH": (("de", 0.65), ("fr", 0.35)),
    "NL": (("nl", 1.0),),
    "PT": (("pt", 1.0),),
}
NO_COUNTRY_SHARE = 0.04
NO_LANGUAGE_SHARE = 0.03
# Niches most accounts are in (weights); every other niche of niches.toml weighs OTHER_NICHE.
COMMON_NICHES = {
    "cooking": 10.0,
    "beauty": 10.0,
    "fashion": 10.0,
    "travel": 9.0,
    "fitness": 9.0,
    "tech": 8.0,
    "gaming": 5.0,
    "parenting": 4.0,
    "home": 4.0,
    "diy": 3.5,
    "pets": 3.0,
    "outdoors": 3.0,
    "finance": 3.0,
    "music": 3.0,
    "books": 2.0,
    "gardening": 2.0,
}
OTHER_NICHE = 0.35
SECOND_NICHE_SHARE = 0.4
RELATED_SECOND_NICHE = 0.7  # a second niche is one of the first's related niches this often
QUALITY_UNKNOWN, QUALITY_LOW = 0.08, 0.04
EXCLUSIVITY_SHARE = 0.2
NO_CONTACT_SHARE = 0.12

FIRST = (
    "Léa", "Hugo", "Amina", "Noah", "Chloé", "Malik", "Sofia", "Jules", "Inès", "Tom",
    "Yasmine", "Lucas", "Camille", "Omar", "Emma", "Nathan", "Zoé", "Karim", "Maya", "Théo",
    "Sarah", "Adam", "Nina", "Samuel", "Lina", "Victor", "Jade", "Elias", "Rose", "Mateo",
    "Olivia", "Liam", "Charlotte", "Ethan", "Mia", "James", "Hannah", "Jonas", "Lena", "Felix",
    "Lucía", "Pablo", "Carmen", "Diego", "Giulia", "Marco", "Chiara", "Luca", "Ana", "João",
    "Beatriz", "Tiago", "Sanne", "Daan", "Fleur", "Ruben", "Aïcha", "Youssef", "Priya", "Kenji",
    "Mei", "Arjun", "Zara", "Ibrahim", "Clara", "Anton", "Élodie", "Bastien", "Manon", "Rayan",
)  # fmt: skip
LAST = (
    "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "Mercier",
    "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier",
    "Perrin", "Robin", "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans",
    "Walker", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "García",
    "Fernández", "López", "Martínez", "Sánchez", "Rossi", "Russo", "Ferrari", "Esposito",
    "Bianchi", "Silva", "Santos", "Oliveira", "Costa", "Pereira", "de Vries", "Jansen",
    "van Dijk", "Bakker", "Peeters", "Janssens", "Maes", "Benali", "Haddad", "Nguyen", "Tran",
    "Kowalski", "Novak", "Okafor", "Mensah",
)  # fmt: skip


@dataclass(frozen=True)
class Account:
    """One roster row, with the generator's ground truth about it."""

    person: int  # the person behind the account (two accounts of one person share it)
    name: str
    handle: str
    platform: str
    niches: tuple[str, ...]
    followers: int
    engagement_rate: float  # the true rate, in % (the CSV clamps it to the importer's floor)
    price_eur: int  # per post; 0 for gifted-only
    country: str | None
    language: str | None
    posts_per_week: float | None
    audience_quality: int | None
    open_to_exclusivity: bool
    contact: str | None
    agency: str | None = None
    gifted: bool = False

    @property
    def tier(self) -> str:
        return tier_of(self.followers)

    def csv_cells(self) -> dict[str, str]:
        """The account as the import reads it, in the documented columns."""
        clamped = max(self.engagement_rate, LOW_ENGAGEMENT_RATE)
        notes = [NOTE]
        if clamped != self.engagement_rate:
            notes.append(f"true ER {self.engagement_rate:g}%")
        if self.gifted:
            notes.append("gifted only")
        if self.agency:
            notes.append(f"agency: {self.agency}")
        return {
            "name": self.name,
            "handle": self.handle,
            "platform": self.platform,
            "niche": ";".join(self.niches),
            "followers": str(self.followers),
            "engagement_rate": f"{clamped:g}",
            "price_per_post": str(self.price_eur),
            "currency": "EUR",
            "country": self.country or "",
            "language": self.language or "",
            "posts_per_week": "" if self.posts_per_week is None else f"{self.posts_per_week:g}",
            "audience_quality": "" if self.audience_quality is None else str(self.audience_quality),
            "open_to_exclusivity": "yes" if self.open_to_exclusivity else "no",
            "contact": self.contact or "",
            "notes": "; ".join(notes),
        }


def tier_of(followers: int) -> str:
    """The tier name of `TIERS` a follower count falls in."""
    name = TIERS[0][0]
    for tier, _share, low, _high, _er in TIERS:
        if followers >= low:
            name = tier
    return name


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def tier_plan(rng: random.Random, size: int) -> list[str]:
    """`size` tier names in the shares of `TIERS` (exact, rounded), shuffled: the roster
    holds the target shares whatever its size, not a random draw of them."""
    plan = [t[0] for t in TIERS for _ in range(round(t[1] * size))]
    plan = (plan + [TIERS[0][0]] * size)[:size]
    rng.shuffle(plan)
    return plan


def _followers(rng: random.Random, tier_name: str) -> int:
    """Heavy-tailed: log-uniform inside the tier, Pareto above 1M."""
    _name, _share, low, high, _er = next(t for t in TIERS if t[0] == tier_name)
    if low >= 1_000_000:
        value = low * (1 - rng.random()) ** (-1 / MEGA_PARETO_ALPHA)
        return int(min(value, high))
    return int(math.exp(rng.uniform(math.log(low), math.log(high + 1))))


def _engagement(rng: random.Random, followers: int, platform: str) -> float:
    """The true engagement rate (%): the tier's median × the platform's, lognormal noise,
    and a few very low or implausibly high ones."""
    roll = rng.random()
    share_low, low_min, low_max = VERY_LOW_ENGAGEMENT
    share_high, high_min, high_max = VERY_HIGH_ENGAGEMENT
    if roll < share_low:
        return round(rng.uniform(low_min, low_max), 2)
    if roll < share_low + share_high:
        return round(rng.uniform(high_min, high_max), 1)
    factor, sigma = PLATFORM_ENGAGEMENT[platform]
    rate = ENGAGEMENT[tier_of(followers)] * factor * rng.lognormvariate(0.0, sigma)
    return round(min(max(rate, 0.05), 60.0), 2)


def _rounded_price(euros: float) -> int:
    """A price as people quote it: to €5 under €100, €10 under €1,000, €50 under €10,000,
    then €500."""
    step = 5 if euros < 100 else 10 if euros < 1_000 else 50 if euros < 10_000 else 500
    return int(round(euros / step) * step)


def _price(rng: random.Random, followers: int, platform: str, engagement: float) -> int:
    usual = ENGAGEMENT[tier_of(followers)] * PLATFORM_ENGAGEMENT[platform][0]
    quality = (max(engagement, 0.1) / usual) ** 0.25  # a little more for a better engagement
    euros = (
        followers
        / 1000
        * PRICE_PER_THOUSAND
        * PLATFORM_PRICE[platform]
        * rng.lognormvariate(0.0, PRICE_SIGMA)
        * min(quality, 1.5)
    )
    return max(PAID_FLOOR, _rounded_price(euros))


def _posts_per_week(rng: random.Random, platform: str) -> float | None:
    """Mostly 2–7; about 5 % above 14; a YouTube channel, a podcast or a blog less often."""
    roll = rng.random()
    if roll < 0.03:
        return None
    if roll < 0.085:
        return float(rng.choice((15, 18, 21, 28, 35)))
    if platform in ("youtube", "podcast", "blog", "linkedin"):
        return float(rng.choice((0.5, 1, 1, 1, 2, 2, 3)))
    return float(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 7, 10, 14)))


def _quality(rng: random.Random, engagement: float) -> int | None:
    """Share of real, relevant followers: mostly 60–95, some unknown, some under 50 (more
    often for accounts with a very low engagement rate: bought followers)."""
    if engagement < VERY_LOW_ENGAGEMENT[2] and rng.random() < 0.5:
        return rng.randint(25, 55)
    roll = rng.random()
    if roll < QUALITY_UNKNOWN:
        return None
    if roll < QUALITY_UNKNOWN + QUALITY_LOW:
        return rng.randint(20, 49)
    return int(min(98, max(55, round(rng.gauss(80, 9)))))


def _audience(rng: random.Random) -> tuple[str | None, str | None]:
    if rng.random() < NO_COUNTRY_SHARE:
        return None, rng.choice((None, "en", "fr"))
    country = _pick(rng, COUNTRIES)
    spoken = LANGUAGES[country]
    language = rng.choices([s[0] for s in spoken], [s[1] for s in spoken])[0]
    if rng.random() < NO_LANGUAGE_SHARE:
        return country, None
    return country, language


def _niches(rng: random.Random, kb: KnowledgeBase) -> tuple[str, ...]:
    weights = {slug: COMMON_NICHES.get(slug, OTHER_NICHE) for slug in kb.niches}
    first = _pick(rng, weights)
    if rng.random() >= SECOND_NICHE_SHARE:
        return (first,)
    related = [n for n in kb.niches[first].related if n in kb.niches]
    if related and rng.random() < RELATED_SECOND_NICHE:
        second = rng.choice(related)
    else:
        second = _pick(rng, weights)
    return tuple(dict.fromkeys((first, second)))


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text))


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _digit in range(64):  # enough for any int64
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            break
    return out


def handle_for(platform: str, name: str, niche: str, serial: int) -> str:
    """A handle valid for `platform` (knowledge/data/niches.toml's patterns), unique by its
    base-36 `serial` suffix."""
    first, _, last = name.partition(" ")
    f, la, n, s = _plain(first) or "x", _plain(last) or "x", _plain(niche) or "x", _base36(serial)
    if platform in ("instagram", "tiktok"):
        room = 30 if platform == "instagram" else 24
        return "@" + f"{f}.{la}"[: room - len(s) - 1] + "_" + s
    if platform == "youtube":
        return "@" + f"{f}{la}-{n}"[: 30 - len(s) - 1] + "-" + s
    if platform == "pinterest":
        return "@" + f"{f}_{n}"[: 30 - len(s) - 1] + "_" + s
    if platform == "x":
        return "@" + f"{f[:6]}{la[:3]}_{s}"
    if platform == "twitch":
        return "@" + f"{f}_{la}"[: 25 - len(s) - 1] + "_" + s
    if platform == "facebook":
        return f"{f}.{la}"[: 50 - len(s) - 1] + "." + s
    if platform == "linkedin":
        return f"{f}-{la}"[: 100 - len(s) - 1] + "-" + s
    if platform == "podcast":
        return f"{f}-{la}-{n}-podcast-{s}"
    return f"{f}{la}-{n}-{s}.example"  # blog: its address


@dataclass
class _Person:
    number: int
    name: str
    contact: str | None
    country: str | None
    language: str | None
    niches: tuple[str, ...]
    agency: str | None = None


def _people(rng: random.Random, count: int, kb: KnowledgeBase) -> list[_Person]:
    people = []
    for number in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        first, _, last = name.partition(" ")
        contact = None
        if rng.random() >= NO_CONTACT_SHARE:
            contact = f"{_plain(first)}.{_plain(last)}.{number}@mail.example"
        country, language = _audience(rng)
        people.append(_Person(number, name, contact, country, language, _niches(rng, kb)))
    return people


def _account(rng: random.Random, person: _Person, platform: str, serial: int, tier: str) -> Account:
    followers = _followers(rng, tier)
    engagement = _engagement(rng, followers, platform)
    price = _price(rng, followers, platform, engagement)
    return Account(
        person=person.number,
        name=person.name,
        handle=handle_for(platform, person.name, person.niches[0], serial),
        platform=platform,
        niches=person.niches,
        followers=followers,
        engagement_rate=engagement,
        price_eur=price,
        country=person.country,
        language=person.language,
        posts_per_week=_posts_per_week(rng, platform),
        audience_quality=_quality(rng, engagement),
        open_to_exclusivity=rng.random() < EXCLUSIVITY_SHARE,
        contact=person.contact,
    )


def _gift(rng: random.Random, accounts: list[Account], size: int) -> list[Account]:
    """GIFTED_SHARE of the roster, chosen among the nano accounts (first accounts only),
    works for gifts: price 0."""
    nano = [i for i, a in enumerate(accounts[:size]) if a.tier == "nano"]
    chosen = set(rng.sample(nano, k=min(len(nano), round(GIFTED_SHARE * len(accounts)))))
    return [
        replace(a, price_eur=0, gifted=True) if i in chosen else a for i, a in enumerate(accounts)
    ]


def _agency_slug(agency: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(agency).replace("&", "and")).strip("-")


def _sign_agencies(rng: random.Random, accounts: list[Account]) -> list[Account]:
    """Each agency takes 5–25 different people (distinct names, not gifted-only, bigger
    accounts and its own niches preferred); their accounts get its booking address."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for index, account in enumerate(accounts):
        by_person[account.person].append(index)
    taken: set[int] = set()
    signed: dict[int, tuple[str, str]] = {}
    for agency, focus in AGENCIES:
        size = rng.randint(*AGENCY_SIZE)
        names: set[str] = set()
        people = [p for p in sorted(by_person) if p not in taken]
        weights = []
        for p in people:
            best = max(accounts[i].followers for i in by_person[p])
            gifted = any(accounts[i].gifted for i in by_person[p])
            niches = set(accounts[by_person[p][0]].niches)
            size_weight = 1.0 if best < 10_000 else 4.0 if best < 100_000 else 20.0
            weights.append(0.0 if gifted else size_weight * (4.0 if niches & set(focus) else 1.0))
        contact = f"bookings@{_agency_slug(agency)}.example"
        for _attempt in range(size * 20):
            if len(names) >= size or not any(weights):
                break
            choice = rng.choices(range(len(people)), weights)[0]
            weights[choice] = 0.0
            person = people[choice]
            name = accounts[by_person[person][0]].name
            if name in names:
                continue
            names.add(name)
            taken.add(person)
            signed[person] = (agency, contact)
    out = []
    for account in accounts:
        if account.person in signed:
            agency, contact = signed[account.person]
            account = replace(account, agency=agency, contact=contact)
        out.append(account)
    return out


def realistic_roster(
    size: int = 3000, seed: int = 7, kb: KnowledgeBase | None = None
) -> list[Account]:
    """`size` accounts (about 5 % of them a person's second account), same seed, same list."""
    kb = kb or default_knowledge()
    rng = random.Random(seed)
    people = _people(rng, max(1, round(size / (1 + SECOND_ACCOUNT_SHARE))), kb)
    tiers = tier_plan(rng, size)
    accounts: list[Account] = []
    serial = 0
    for person in people:
        if len(accounts) >= size:
            break
        platform = _pick(rng, PLATFORMS)
        accounts.append(_account(rng, person, platform, serial, tiers[serial]))
        serial += 1
    # Second accounts: same name and contact (some typed with other capitals), another
    # platform and handle; people without a contact get one first.
    firsts = len(accounts)
    doubles = rng.sample(people[: len(accounts)], k=min(size - len(accounts), len(accounts)))
    for person in doubles:
        if person.contact is None:
            first, _, last = person.name.partition(" ")
            person.contact = f"{_plain(first)}.{_plain(last)}.{person.number}@mail.example"
            index = person.number
            accounts[index] = replace(accounts[index], contact=person.contact)
        taken = accounts[person.number].platform
        platform = _pick(rng, {p: w for p, w in PLATFORMS.items() if p != taken})
        second = _account(rng, person, platform, serial, tiers[serial])
        if rng.random() < 0.3 and person.contact:
            second = replace(second, contact=person.contact.title())
        accounts.append(second)
        serial += 1
    return _sign_agencies(rng, _gift(rng, accounts, firsts))


def roster_csv_text(accounts: Iterable[Account]) -> str:
    """The roster as a CSV file's text, header first, in the documented columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for account in accounts:
        writer.writerow(account.csv_cells())
    return out.getvalue()


def write_roster_csv(path: Path, accounts: Sequence[Account]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(roster_csv_text(accounts), encoding="utf-8")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def describe(accounts: Sequence[Account]) -> list[str]:
    """What the roster looks like, against the realism targets, as printable lines."""
    total = len(accounts)
    tiers = Counter(a.tier for a in accounts)
    platforms = Counter(a.platform for a in accounts)
    lines = [f"{total:,} accounts, {len({a.person for a in accounts}):,} people"]
    lines.append(
        "tiers: " + ", ".join(f"{t} {tiers[t] / total:.1%}" for t, _s, _lo, _hi, _er in TIERS)
    )
    er = {
        t: _median(
            [a.engagement_rate for a in accounts if a.tier == t and a.platform == "instagram"]
        )
        for t, *_rest in TIERS
    }
    lines.append("median ER on Instagram: " + ", ".join(f"{t} {v:.2f}%" for t, v in er.items()))
    er_platform = {
        p: _median([a.engagement_rate for a in accounts if a.platform == p and a.tier == "micro"])
        for p in PLATFORMS
    }
    lines.append(
        "median ER of micro accounts by platform: "
        + ", ".join(f"{p} {v:.2f}%" for p, v in er_platform.items())
    )
    low = sum(a.engagement_rate < LOW_ENGAGEMENT_RATE for a in accounts)
    high = sum(a.engagement_rate >= VERY_HIGH_ENGAGEMENT[1] for a in accounts)
    lines.append(f"ER under {LOW_ENGAGEMENT_RATE}% (clamped in the CSV): {low}; ≥ 20%: {high}")
    paid = [a for a in accounts if not a.gifted]
    per_k = {
        p: _median([a.price_eur * 1000 / a.followers for a in paid if a.platform == p])
        for p in PLATFORMS
    }
    lines.append(
        "median price per 1,000 followers (€): "
        + ", ".join(f"{p} {v:.1f}" for p, v in per_k.items())
    )
    lines.append("platforms: " + ", ".join(f"{p} {platforms[p] / total:.1%}" for p in PLATFORMS))
    gifted = sum(a.gifted for a in accounts)
    people = Counter(a.person for a in accounts)
    agencies = Counter(
        agency for agency, _person in {(a.agency, a.person) for a in accounts if a.agency}
    )
    lines.append(
        f"gifted only: {gifted / total:.1%}; people with two accounts: "
        f"{sum(1 for c in people.values() if c > 1) / len(people):.1%}; agencies (people): "
        + ", ".join(f"{name} {count}" for name, count in sorted(agencies.items()))
    )
    countries = Counter(a.country or "none" for a in accounts)
    lines.append(
        "countries: " + ", ".join(f"{c} {n / total:.0%}" for c, n in countries.most_common())
    )
    posts = [a.posts_per_week for a in accounts if a.posts_per_week is not None]
    quality = [a.audience_quality for a in accounts if a.audience_quality is not None]
    lines.append(
        f"posts/week 2–7: {sum(2 <= p <= 7 for p in posts) / total:.0%}, > 14: "
        f"{sum(p > 14 for p in posts) / total:.1%}; audience quality 60–95: "
        f"{sum(60 <= q <= 95 for q in quality) / total:.0%}, unknown "
        f"{(total - len(quality)) / total:.0%}, < 50: {sum(q < 50 for q in quality) / total:.1%};"
        f" open to exclusivity {sum(a.open_to_exclusivity for a in accounts) / total:.0%}"
    )
    niches = Counter(n for a in accounts for n in a.niches)
    lines.append("top niches: " + ", ".join(f"{n} {c}" for n, c in niches.most_common(8)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the CSV file to write")
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 1 <= args.size <= 1_000_000:
        parser.error("--size must be between 1 and 1,000,000")
    accounts = realistic_roster(args.size, args.seed)
    write_roster_csv(args.out, accounts)
    print(f"Wrote {args.out}")
    for line in describe(accounts):
        print("  " + line)


if __name__ == "__main__":
    main()
