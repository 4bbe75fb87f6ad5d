"""What a plan line buys, its usage rights and its disclosure, in words in the reader's
language, for the views and the plan file alike (knowledge.advice.posts makes the data)."""

from __future__ import annotations

from knowledge.advice.posts import GIFTED, NO_AD_PRODUCT, PAID
from knowledge.advice.stored import StoredDeliverable, StoredLine
from knowledge.base import PostRules
from knowledge.writing.i18n import _, money, ngettext, number


def format_words(format_id: str, count: int) -> str:
    """`2 Instagram Story sets`: `count` pieces of a format of posts.toml."""
    words = {
        "instagram_reel": ngettext("%(num)s Instagram Reel", "%(num)s Instagram Reels", count),
        "instagram_story_set": ngettext(
            "%(num)s Instagram Story set", "%(num)s Instagram Story sets", count
        ),
        "instagram_carousel": ngettext(
            "%(num)s Instagram carousel", "%(num)s Instagram carousels", count
        ),
        "tiktok_video": ngettext("%(num)s TikTok video", "%(num)s TikTok videos", count),
        "youtube_integration": ngettext(
            "%(num)s YouTube integration", "%(num)s YouTube integrations", count
        ),
        "youtube_dedicated": ngettext(
            "%(num)s dedicated YouTube video", "%(num)s dedicated YouTube videos", count
        ),
        "blog_article": ngettext("%(num)s blog article", "%(num)s blog articles", count),
        "pinterest_pin": ngettext("%(num)s Pinterest pin", "%(num)s Pinterest pins", count),
        "twitch_segment": ngettext(
            "%(num)s sponsored Twitch stream segment",
            "%(num)s sponsored Twitch stream segments",
            count,
        ),
        "post": ngettext("%(num)s sponsored post", "%(num)s sponsored posts", count),
    }
    return words[format_id] % {"num": count}


def approval_words(rounds: int) -> str:
    if rounds == 0:
        return _("no approval before posting")
    return ngettext(
        "%(num)s approval round before posting", "%(num)s approval rounds before posting", rounds
    ) % {"num": rounds}


def length_words(length: tuple[int, int], unit: str) -> str:
    """`30–60 s`, `8–12 min`, `3–5 frames`: a piece's usual length (posts.toml)."""
    words = {
        "seconds": _("%(low)s–%(high)s s"),
        "minutes": _("%(low)s–%(high)s min"),
        "frames": _("%(low)s–%(high)s frames"),
        "slides": _("%(low)s–%(high)s slides"),
        "words": _("%(low)s–%(high)s words"),
    }[unit]
    return words % {"low": number(length[0]), "high": number(length[1])}


def deliverable_words(bought: StoredDeliverable) -> str:
    """`2 TikTok videos (30–60 s), 1 approval round before posting`."""
    pieces = format_words(bought.format, bought.count)
    if bought.length is not None and bought.unit is not None:
        pieces = _("%(pieces)s (%(length)s)") % {
            "pieces": pieces,
            "length": length_words(bought.length, bought.unit),
        }
    return _("%(pieces)s, %(approval)s") % {
        "pieces": pieces,
        "approval": approval_words(bought.approval_rounds),
    }


def ad_product_words(product: str) -> str:
    """A platform's ad product that runs a creator's post as an ad (posts.toml)."""
    return {"meta_partnership_ads": _("Meta partnership ads"), "spark_ads": _("TikTok Spark Ads")}[
        product
    ]


def usage_words(line: StoredLine, currency: str) -> str:
    """How a line's content may be used (knowledge.advice.posts): organic use only, or with
    paid ads for some days at a fee (`organic use + paid ads for 30 days through Meta
    partnership ads (€100)`), or why a line stays organic though paid use was asked."""
    if line.usage == PAID and line.ad_product:
        return _("organic use + paid ads for %(days)s days through %(product)s (%(fee)s)") % {
            "days": line.paid_use_days,
            "product": ad_product_words(line.ad_product),
            "fee": money(line.usage_cents, currency),
        }
    if line.usage == NO_AD_PRODUCT:
        return _("organic use only: no paid ads from the creator's account on this platform")
    if line.usage == GIFTED:
        return _("organic use only: paid ads use of a gifted post is agreed apart")
    return _("organic use only")


def disclosure_words(country: str, rules: PostRules) -> str:
    """How the post is marked as an ad: the country's own words, each quoted (« Publicité »
    or « Collaboration commerciale »), else a clear ad label in the audience's language."""
    found = rules.disclosures.get(country)
    if found is None:
        return _("a clear word for “ad” in the language of the audience")
    quoted = [_("“%(word)s”") % {"word": word} for word in found.words]
    said = quoted[0]
    for word in quoted[1:]:
        said = _("%(first)s or %(second)s") % {"first": said, "second": word}
    return said
