"""From plan to posts: each line of a stored plan with what it buys (knowledge.advice
.deliverables), its usage rights, its promo code and tracked link (knowledge.advice.tracking)
and the words that mark it as an ad in its audience's country."""

from __future__ import annotations

from knowledge.advice.deliverables import deliverable
from knowledge.advice.stored import StoredDeliverable, StoredLine, StoredRecommendation
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


def disclosure_country(
    line_country: str | None, brief_country: str | None, rules: PostRules
) -> str:
    """Whose disclosure words apply to a line: its audience's country, else the brief's;
    `OTHER` when the rules name no words for it."""
    country = (line_country or brief_country or "").upper()
    return country if country in rules.disclosures else OTHER


def with_posts(stored: StoredRecommendation, rules: PostRules) -> StoredRecommendation:
    """`stored` with every line's deliverable, usage, promo code, link and disclosure."""
    brief = stored.brief
    discount = brief.discount_pct or rules.discount_pct
    shop = shop_code(brief.shop_name, brief.shop_url, rules.default_shop_code)
    lines = stored.plan.lines
    codes = promo_codes((Creator(x.id, x.name, x.handle) for x in lines), shop, discount)
    campaign = campaign_tag(shop, brief.goal)

    def posted(line: StoredLine) -> StoredLine:
        bought = deliverable(line.platform, Goal(brief.goal), line.posts, rules)
        link = None
        if brief.shop_url:
            link = tracked_link(
                brief.shop_url,
                source=line.handle.strip().lstrip("@").lower(),
                medium=line.platform,
                campaign=campaign,
                content=slug(line.name) or str(line.id),
            )
        return line.model_copy(
            update={
                "deliverable": StoredDeliverable(
                    format=bought.format, count=bought.count, approval_rounds=bought.approval_rounds
                ),
                "usage": rules.usage,
                "promo_code": codes[line.id],
                "link": link,
                "disclosure": disclosure_country(line.country, brief.country, rules),
            }
        )

    plan = stored.plan.model_copy(update={"lines": [posted(line) for line in lines]})
    return stored.model_copy(update={"plan": plan})
