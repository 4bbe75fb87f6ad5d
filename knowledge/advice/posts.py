"""From plan to posts: each line of a stored plan with what it buys (knowledge.advice
.deliverables), its usage rights, its promo code and tracked link (knowledge.advice.tracking)
and the words that mark it as an ad in its audience's country.

The usage is posts.toml's default (organic use only) unless the brief asks for paid use:
then a line on a platform with an ad product runs as ads for the days asked, its usage fee
priced by the engine (knowledge.advice.offers); a line elsewhere says its platform has none,
and a gifted post says its paid use is agreed apart (a parcel is no fee to take a share of).
"""

from __future__ import annotations

from knowledge.advice.audience import spoken_language
from knowledge.advice.deliverables import deliverable
from knowledge.advice.stored import (
    StoredBrief,
    StoredDeliverable,
    StoredLine,
    StoredRecommendation,
)
from knowledge.advice.tracking import (
    Creator,
    campaign_tag,
    promo_codes,
    shop_code,
    slug,
    tracked_link,
)
from knowledge.base import Goal, PostRules

OTHER = "other"  # a country without disclosure words of its own: the general precaution
# A line's usage, with paid use asked: run as ads; no ad product on its platform; gifted.
PAID, NO_AD_PRODUCT, GIFTED = "paid_ads", "no_ad_product", "gifted"


def usage_of(line: StoredLine, brief: StoredBrief, rules: PostRules) -> str:
    """How a line's content may be used: organic (posts.toml's default) unless the brief
    asks for paid use."""
    if brief.paid_use_days is None:
        return rules.usage
    if line.seeding:
        return GIFTED
    return PAID if line.platform in rules.paid_use.products else NO_AD_PRODUCT


def disclosure_country(
    line_country: str | None,
    brief_country: str | None,
    rules: PostRules,
    language: str | None = None,
) -> str:
    """Whose disclosure words apply to a line: its audience's country, else the brief's,
    with the audience's `language` where the country has words per language (`BE-fr`);
    `OTHER` when the rules name no words for it."""
    country = (line_country or brief_country or "").upper()
    spoken = f"{country}-{language.lower()}" if language else ""
    if spoken in rules.disclosures:
        return spoken
    return country if country in rules.disclosures else OTHER


def line_language(line: StoredLine, brief: StoredBrief) -> str | None:
    """The language the line's audience speaks (knowledge.advice.audience.spoken_language)."""
    return spoken_language(line.country, line.language, brief.country, brief.language)


def code_parts(brief: StoredBrief, rules: PostRules) -> tuple[str, int]:
    """The shop part of a plan's promo codes, and their discount."""
    shop = shop_code(brief.shop_name, brief.shop_url, rules.default_shop_code)
    return shop, brief.discount_pct or rules.discount_pct


def creator_link(brief: StoredBrief, creator: Creator, platform: str, shop: str) -> str | None:
    """The shop's address tagged for this creator (None: the brief gives no address)."""
    if not brief.shop_url:
        return None
    return tracked_link(
        brief.shop_url,
        source=creator.handle.strip().lstrip("@").lower(),
        medium=platform,
        campaign=campaign_tag(shop, brief.goal),
        content=slug(creator.name) or str(creator.id),
    )


def with_posts(stored: StoredRecommendation, rules: PostRules) -> StoredRecommendation:
    """`stored` with every line's deliverable, usage, promo code, link and disclosure."""
    brief = stored.brief
    shop, discount = code_parts(brief, rules)
    lines = stored.plan.lines
    codes = promo_codes((Creator(x.id, x.name, x.handle) for x in lines), shop, discount)

    def posted(line: StoredLine) -> StoredLine:
        bought = deliverable(line.platform, Goal(brief.goal), line.posts, rules)
        link = creator_link(brief, Creator(line.id, line.name, line.handle), line.platform, shop)
        usage = usage_of(line, brief, rules)
        paid = usage == PAID
        return line.model_copy(
            update={
                "deliverable": StoredDeliverable(
                    format=bought.format,
                    count=bought.count,
                    approval_rounds=bought.approval_rounds,
                    length=rules.formats[bought.format].length,
                    unit=rules.formats[bought.format].unit,
                ),
                "usage": usage,
                "paid_use_days": brief.paid_use_days if paid else None,
                "ad_product": rules.paid_use.products[line.platform].id if paid else None,
                "promo_code": codes[line.id],
                "link": link,
                "disclosure": disclosure_country(
                    line.country, brief.country, rules, line_language(line, brief)
                ),
            }
        )

    plan = stored.plan.model_copy(update={"lines": [posted(line) for line in lines]})
    return stored.model_copy(update={"plan": plan})


def with_shop_name(
    stored: StoredRecommendation, name: str, rules: PostRules
) -> StoredRecommendation:
    """`stored` as if its brief had named the shop `name` (`shop_name=`): the codes start
    with it."""
    brief = stored.brief.model_copy(update={"shop_name": name})
    return with_posts(stored.model_copy(update={"brief": brief}), rules)
