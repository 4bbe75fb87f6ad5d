"""The plan page's edits as its links and forms carry them (`rm=4,30&sw=9&np=2:3&mv=-1`):
written from `knowledge.advice.edits.PlanEdits` and read back, where what is not a
well-formed edit (`²`, a 4,300-digit number, `x:3`) is left out."""

from __future__ import annotations

import re
from collections.abc import Mapping

from knowledge.advice.edits import MOST_MOVES, PlanEdits
from knowledge.reading.parsing import parse_id

# The query string's fields of the edits.
REMOVED, SWAPPED, POSTS, TO_MACRO = "rm", "sw", "np", "mv"
MOST_IDS = 200  # at most this many ids read from one field: a plan holds far fewer
_MOVES = re.compile(r"-?[0-9]{1,3}")


def edits_fields(edits: PlanEdits) -> dict[str, str]:
    """The edits as query-string fields (none for no edit of a kind)."""
    found = {
        REMOVED: ",".join(str(i) for i in sorted(edits.removed)),
        SWAPPED: ",".join(str(i) for i in edits.swapped),
        POSTS: ",".join(f"{i}:{n}" for i, n in edits.posts),
        TO_MACRO: str(edits.to_macro) if edits.to_macro else "",
    }
    return {k: v for k, v in found.items() if v}


def edits_of(fields: Mapping[str, str]) -> PlanEdits:
    """The edits `fields` carries; what is not a well-formed edit is left out."""
    posts = {}
    for pair in fields.get(POSTS, "").split(",")[:MOST_IDS]:
        before, _, after = pair.partition(":")
        creator, count = parse_id(before), parse_id(after)
        if creator is not None and count is not None:
            posts[creator] = max(1, count)
    moves = fields.get(TO_MACRO, "").strip()
    to_macro = int(moves) if _MOVES.fullmatch(moves) else 0
    return PlanEdits(
        removed=frozenset(_ids(fields.get(REMOVED, ""))),
        swapped=tuple(dict.fromkeys(_ids(fields.get(SWAPPED, "")))),
        posts=tuple(sorted(posts.items())),
        to_macro=max(-MOST_MOVES, min(MOST_MOVES, to_macro)),
    )


def _ids(text: str) -> list[int]:
    return [n for part in text.split(",")[:MOST_IDS] if (n := parse_id(part)) is not None]
