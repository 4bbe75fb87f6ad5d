"""A forecast range as the bot writes it (`span`): short, and never at odds with the middle
figure that How and the plan file give beside it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from knowledge.writing import i18n
from knowledge.writing.render import span

UNITS = {"k": 1000, "M": 1_000_000}


def _ends(text: str) -> list[float]:
    """The numbers an English span shows (`19–20k`: 19,000 and 20,000)."""
    unit = UNITS.get(text[-1], 1)
    return [float(n.replace(",", "")) * unit for n in re.findall(r"[\d,.]+", text)]


def test_a_top_rounded_under_the_middle_is_rounded_up() -> None:
    with i18n.speaking("en"):
        assert span([1300, 1934, 1934]) == "1,300–2,000"  # was 1,300–1,900
        assert span([1300, 1600, 2340]) == "1,300–2,300"  # nearest, when it keeps the middle
        assert span([19_340, 19_340, 25_000]) == "19–25k"
        assert span([19_600, 19_600, 25_000]) == "19–25k"  # 20k would leave out 19,600
        assert span([1200, 1200.0000001, 1200.0000001]) == "1,200"


@given(
    st.floats(min_value=1, max_value=5e7),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
)
def test_the_ends_shown_hold_the_middle(low: float, to_mid: float, to_high: float) -> None:
    mid = low * (1 + 9 * to_mid)
    high = mid * (1 + 9 * to_high)
    with i18n.speaking("en"):
        shown = _ends(span([low, mid, high]))
    assert min(shown) <= mid * 1.0000001 and max(shown) >= mid / 1.0000001
