"""Charts a phone can read: every chart kind, in English and French, drawn square or
portrait, at least 1080 px wide, every text at least 3 % of the width, none cut at the
picture's edge nor over another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.text import Text

from knowledge.pictures.charts import Chart, draw, figure_of, plan_chart, results_chart
from knowledge.pictures.creator_chart import creators_chart
from knowledge.writing import i18n
from tests.test_charts import comparison, png_size, stored
from tests.test_creator_chart import many_creators

ALL_MEASURES = {"reach": 1_240_000, "engagements": 8_412, "clicks": 1_273, "conversions": 3}
WIDE_FORECAST = {
    "reach": [910_000.0, 1_500_000.0, 3_100_000.0],
    "engagements": [9_900.0, 13_000.0, 17_000.0],
    "clicks": [520.0, 1_100.0, 2_000.0],
    "conversions": [0.2, 1.0, 3.6],
}


def chart_kinds() -> Iterator[tuple[str, Chart | None]]:
    """Every kind of chart the bot sends, with long words and large figures."""
    yield "plan, sales, break-even", plan_chart(stored())
    yield (
        "plan, sales, large amounts",
        plan_chart(
            stored(
                needed=1_250,
                spent=(1_429_101, 1_412_722, 1_429_101),
                sales=([0.0, 0.4, 0.9], [30.0, 52.0, 91.0], [7.0, 19.0, 45.0]),
            )
        ),
    )
    yield "plan, reach", plan_chart(stored(metric="reach", needed=None))
    yield "plan, one bar", plan_chart(stored(micro_is_plan=True, needed=None))
    yield "results, every measure", results_chart(comparison(ALL_MEASURES, False, WIDE_FORECAST))
    yield "results, early", results_chart(comparison(ALL_MEASURES, True, WIDE_FORECAST))
    yield "results, one measure", results_chart(comparison({"conversions": 0}))
    yield "per creator, past and short of their ranges", creators_chart(many_creators(3))
    yield "per creator, early, more than are drawn", creators_chart(many_creators(14, "launch"))


def drawn_texts(artist: Artist) -> Iterator[Text]:
    """The texts a drawing shows (not the hidden ones, nor those of an axis turned off)."""
    if not artist.get_visible():
        return
    if isinstance(artist, Text) and artist.get_text().strip():
        yield artist
    children = artist.get_children()
    if isinstance(artist, Axes) and not artist.axison:
        children = [c for c in children if not isinstance(c, Axis)]
    for child in children:
        yield from drawn_texts(child)


def check_readable(chart: Chart) -> list[str]:
    """The picture's size, and each text's size and place; the texts, for more checks."""
    width, height = png_size(draw(chart))
    assert width >= 1080 and height >= width, (width, height)
    figure = figure_of(chart)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    assert (round(figure.bbox.width), round(figure.bbox.height)) == (width, height)
    texts = list(drawn_texts(figure))
    boxes = []
    for text in texts:
        words = text.get_text()
        assert text.get_fontsize() * figure.dpi / 72 >= 0.03 * width, words
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.y0 >= 0, (words, box)
        assert box.x1 <= width and box.y1 <= height, (words, box)
        boxes.append((words, box))
    for index, (words, box) in enumerate(boxes):
        for other, other_box in boxes[index + 1 :]:
            assert not box.overlaps(other_box), (words, other)
    return [t.get_text() for t in texts]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_chart_kind_is_readable_on_a_phone(language: str) -> None:
    with i18n.speaking(language):
        kinds = list(chart_kinds())
    for kind, chart in kinds:
        assert chart is not None, kind
        assert chart.language == language
        texts = check_readable(chart)
        said = " ".join(texts).replace("\n", " ")
        flat = chart.title.replace("\n", " ")
        assert flat in said, (kind, flat, said)
        for group in chart.groups:
            for bar in group.bars:
                assert bar.label in said, (kind, bar.label)


def test_the_french_words_are_drawn_whole() -> None:
    """The label once cut (« ersonnes touchées ») and the break-even marks' words."""
    with i18n.speaking("fr"):
        results = results_chart(comparison(ALL_MEASURES, False, WIDE_FORECAST))
        plan = plan_chart(stored())
    assert results is not None and plan is not None
    assert "Personnes touchées" in check_readable(results)
    said = " ".join(check_readable(plan)).replace("\n", " ")
    assert "Traits pointillés\u00a0: les ventes qu’il faut à chaque plan pour être rentable" in said
    assert "\u00a0; rentable à partir de 95" in said
    assert "Tout macro, 2\u202f545\u00a0€\u00a0: peut-être aucune vente" in said


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(["en", "fr"]),
    st.lists(st.integers(min_value=100, max_value=10**9), min_size=3, max_size=3),
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=2e6), st.floats(min_value=0, max_value=2e6)).map(
            sorted
        ),
        min_size=3,
        max_size=3,
    ),
    st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)),
)
def test_any_plans_figures_fit_the_picture(
    language: str, spent: list[int], ranges: list[list[float]], needed: int | None
) -> None:
    sales = tuple([low, (low + high) / 2, high] for low, high in ranges)
    with i18n.speaking(language):
        chart = plan_chart(stored(needed=needed, spent=(spent[0], spent[1], spent[2]), sales=sales))
    assert chart is not None
    check_readable(chart)
