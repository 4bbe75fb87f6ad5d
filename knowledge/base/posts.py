"""What a plan line buys and how it is tracked and disclosed, read from
`knowledge/data/posts.toml`: the formats per platform with their price against the roster's
price per post, the default format per platform and goal, the approval rounds, the usage
rights and the fee for paid use per platform's ad product, the default discount of a promo
code and the disclosure words per country."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ANY_PLATFORM = "*"
STANDARD = "standard"  # the platform's format at ratio 1 (the roster's price per post)
# A country's disclosure words (`FR`), or those for its audience speaking one of its
# languages (`BE-fr`: the country's own entry, `BE`, stands for an unknown language).
DISCLOSURE_KEY = re.compile(r"[A-Z]{2}(?:-[a-z]{2})?")


class PostRulesError(ValueError):
    """posts.toml does not hold together (a default naming no format, a ratio not above 0)."""


@dataclass(frozen=True)
class Format:
    id: str
    platform: str  # ANY_PLATFORM: any platform without formats of its own
    price_ratio: float  # its typical price against the roster's price per post
    length: tuple[int, int] | None = None  # a piece's usual length, in `unit`
    unit: str | None = None  # one of LENGTH_UNITS


@dataclass(frozen=True)
class Disclosure:
    country: str  # two-letter code
    words: tuple[str, ...]  # as the country's rule gives them, in its language
    source: str


@dataclass(frozen=True)
class AdProduct:
    """A platform's way to run a creator's post as an ad from their account."""

    id: str  # meta_partnership_ads, spark_ads
    pct: Mapping[int, float]  # days of paid use → the usage fee, in % of the post fee


@dataclass(frozen=True)
class PaidUse:
    """The paid use a brief may ask (`days`), and the ad product of each platform that has
    one (a platform not listed has none: its lines stay organic)."""

    days: tuple[int, ...]
    products: Mapping[str, AdProduct]  # platform → its ad product

    def fee_pct(self, platform: str, days: int | None) -> float:
        """The usage fee of `days` of paid use on `platform`, in % of the post fee (0: no
        paid use asked, or no ad product there)."""
        product = self.products.get(platform)
        return product.pct[days] if product is not None and days is not None else 0.0


@dataclass(frozen=True)
class PostRules:
    formats: Mapping[str, Format]
    defaults: Mapping[str, Mapping[str, str]]  # platform → goal (or STANDARD) → format id
    disclosures: Mapping[str, Disclosure]
    discount_pct: int
    approval_rounds: int
    usage: str
    default_shop_code: str
    sources: Mapping[str, str]
    paid_use: PaidUse

    def formats_for(self, platform: str) -> Mapping[str, str]:
        """The goal → format table of `platform` (of any platform when it has none)."""
        return self.defaults.get(platform) or self.defaults[ANY_PLATFORM]


LENGTH_UNITS = ("seconds", "minutes", "frames", "slides", "words")


def _formats(raw: Mapping[str, Any]) -> dict[str, Format]:
    formats = {
        key: Format(
            id=key,
            platform=f["platform"],
            price_ratio=float(f["price_ratio"]),
            length=(int(f["length"][0]), int(f["length"][1])) if "length" in f else None,
            unit=f.get("unit"),
        )
        for key, f in raw.items()
    }
    if any(f.price_ratio <= 0 for f in formats.values()):
        raise PostRulesError("a format's price ratio must be above 0")
    for f in formats.values():
        if (f.length is None) is not (f.unit is None) or f.unit not in (None, *LENGTH_UNITS):
            raise PostRulesError(
                f"{f.id}: a length comes with its unit ({', '.join(LENGTH_UNITS)})"
            )
        if f.length is not None and not 0 < f.length[0] <= f.length[1]:
            raise PostRulesError(f"{f.id}: a length runs from a low above 0 to a high")
    return formats


def _paid_use(raw: Mapping[str, Any]) -> PaidUse:
    days = tuple(int(d) for d in raw["days"])
    products = {
        platform: AdProduct(
            id=str(p["product"]), pct={int(d): float(pct) for d, pct in p["pct"].items()}
        )
        for platform, p in raw["platforms"].items()
    }
    if not days or any(d <= 0 for d in days):
        raise PostRulesError("paid use is asked for a number of days above 0")
    for platform, product in products.items():
        if set(product.pct) != set(days) or any(pct <= 0 for pct in product.pct.values()):
            raise PostRulesError(f"{platform}: a usage fee above 0 % for each of {days} days")
    return PaidUse(days, products)


def _check(rules: PostRules) -> None:
    if ANY_PLATFORM not in rules.defaults:
        raise PostRulesError("posts.toml needs defaults for any platform ('*')")
    for platform, table in rules.defaults.items():
        standard = rules.formats.get(table.get(STANDARD, ""))
        if standard is None or standard.price_ratio != 1:
            raise PostRulesError(f"{platform}: its standard format must exist, at ratio 1")
        for format_id in table.values():
            found = rules.formats.get(format_id)
            if found is None or found.platform not in (platform, ANY_PLATFORM):
                raise PostRulesError(f"{platform}: no format {format_id!r} on that platform")
    for key in rules.disclosures:
        if not DISCLOSURE_KEY.fullmatch(key) or key.split("-")[0] not in rules.disclosures:
            raise PostRulesError(
                f"disclosure {key!r}: a country (FR), or one with a language of its own (BE-fr)"
            )
    if not 0 < rules.discount_pct < 100 or rules.approval_rounds < 0:
        raise PostRulesError("the default discount is 1–99 % and approval rounds at least 0")


def read_post_rules(path: Path) -> PostRules:
    """The rules of posts.toml at `path`, checked (PostRulesError when they don't hold)."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    rules = PostRules(
        formats=_formats(raw["formats"]),
        defaults={platform: dict(table) for platform, table in raw["defaults"].items()},
        disclosures={
            code: Disclosure(country=code, words=tuple(d["words"]), source=d["source"])
            for code, d in raw["disclosure"].items()
        },
        discount_pct=int(raw["discount_pct"]),
        approval_rounds=int(raw["approval_rounds"]),
        usage=str(raw["usage"]),
        default_shop_code=str(raw["default_shop_code"]),
        sources=dict(raw["sources"]),
        paid_use=_paid_use(raw["paid_use"]),
    )
    _check(rules)
    return rules
