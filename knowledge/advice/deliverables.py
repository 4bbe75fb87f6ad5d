"""What a plan line buys: a format chosen from the platform and the goal, how many pieces of
it the line's money pays, and the approval rounds before posting (knowledge/data/posts.toml).

The roster's price per post is read as the platform's standard format (ratio 1). The goal's
own format is bought where the line pays whole pieces of it at its price ratio (the price of
two posts: one YouTube dedicated video; of one post: two Instagram Story sets); else the
standard format, one piece per post. Either way the line costs what the plan says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from knowledge.base import Goal, PostRules
from knowledge.base.posts import STANDARD


@dataclass(frozen=True)
class Deliverable:
    format: str  # a format id of posts.toml
    count: int
    approval_rounds: int


def whole_pieces(posts: int, price_ratio: float) -> int | None:
    """How many pieces of a format at `price_ratio` the price of `posts` posts pays, when
    that is a whole number, at least one; else None."""
    pieces = posts / price_ratio
    whole = round(pieces)
    return whole if whole >= 1 and math.isclose(pieces, whole, abs_tol=1e-9) else None


def deliverable(platform: str, goal: Goal, posts: int, rules: PostRules) -> Deliverable:
    """What a line of `posts` posts on `platform` buys for `goal`."""
    table = rules.formats_for(platform)
    wanted = rules.formats[table.get(goal.value, table[STANDARD])]
    pieces = whole_pieces(posts, wanted.price_ratio)
    if pieces is None:
        return Deliverable(table[STANDARD], posts, rules.approval_rounds)
    return Deliverable(wanted.id, pieces, rules.approval_rounds)
