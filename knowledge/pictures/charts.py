"""Pictures of a recommendation and of a campaign's results, as plain data and as PNG.

`plan_chart` and `results_chart` say what to draw (fast, pure); `draw` turns that into a
PNG with matplotlib's Agg canvas. Drawing takes tens of milliseconds of CPU, so the bot runs
it in a worker process (bot/charts.py), and matplotlib is imported there only, on first use:
the bot's own process never loads it.

Charts are drawn for a phone: square or portrait, `WIDTH_PX` wide, every text at least
`MIN_TEXT_SHARE` of the width, one idea each, the words of each bar written above it (never
beside an axis, where a long French label would be cut).
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from knowledge.advice.stored import StoredPlan, StoredRecommendation
from knowledge.campaigns.checkins import Comparison
from knowledge.writing import i18n
from knowledge.writing.i18n import N_
from knowledge.writing.render import environment, span

PLAN_LABELS = {"plan": N_("This plan"), "micro": N_("All micro"), "macro": N_("All macro")}
MEASURE_NAMES = {
    "reach": N_("People reached"),
    "engagements": N_("Engagements"),
    "clicks": N_("Clicks"),
    "conversions": N_("Sales"),
}
RESULT_MEASURES = ("reach", "engagements", "clicks", "conversions")
PLAN_COLOURS = {"plan": "#2a6fdb", "micro": "#7fb3a6", "macro": "#d9a35b"}
RANGE_COLOUR, ACTUAL_COLOUR, WHISKER_COLOUR = "#c9d7f0", "#1b3f8a", "#333333"
LINE_COLOUR = "#c0392b"
# Behind a bar's words when a dashed mark may cross them (only then: it takes drawing time)
UNDER_WORDS = {"facecolor": "white", "edgecolor": "none", "pad": 1.0}

WIDTH_PX = 1080
DPI = 180
WIDTH_IN = WIDTH_PX / DPI
MIN_TEXT_SHARE = 0.03  # the smallest text, as a share of the picture's width
TEXT_PT, HEADING_PT, TITLE_PT = 14, 15, 17  # 14 pt at 180 dpi: 35 px, 3.2 % of 1080
MARGIN_IN = 0.4
BAR_IN, GAP_IN = 0.34, 0.18  # a bar's thickness and the room under it, before stretching


@dataclass(frozen=True)
class Bar:
    """One bar: the words above it, its middle figure and the range around it if any, and a
    dashed mark across it (`mark`: the sales that plan needs to pay for itself)."""

    label: str
    mid: float
    low: float | None = None
    high: float | None = None
    colour: str = PLAN_COLOURS["plan"]
    mark: float | None = None


@dataclass(frozen=True)
class Group:
    """Bars on one scale under a heading. A results chart has one per measure (the forecast
    and what was reported; `actual` and `forecast` are what its caption says)."""

    heading: str
    bars: tuple[Bar, ...]
    actual: float | None = None
    forecast: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class Chart:
    """What a picture shows. `axis`: the measure's name under a scale all groups share ("":
    each group on its own scale, no axis drawn); `marks_label`: what the bars' dashed marks
    are, when they have some; `language`: the one its words are in (the worker drawing it
    writes the axis's numbers that way)."""

    title: str
    groups: tuple[Group, ...]
    axis: str = ""
    marks_label: str = ""
    language: str = i18n.DEFAULT_LANGUAGE


def amount_words(trio: list[float], metric: str) -> str:
    """A forecast range worded as the recommendation's card words it (its `amount` macro):
    `30–140k people reached`, `maybe no sale, at best 4.5`."""
    macros: Any = environment().get_template("_macros.html").module
    return str(Markup(macros.amount(trio, metric)).unescape()).strip()


def break_even_sales(stored: StoredRecommendation) -> int | None:
    """The sales the plan needs to pay for itself, as the card's notice says (none without a
    basket and a margin)."""
    for notice in stored.notices:
        needed = notice.params.get("needed")
        if notice.code in ("break_even", "test") and needed:
            return int(needed)
    return None


def pays_back_at(stored: StoredRecommendation, p: StoredPlan) -> int | None:
    """The sales plan `p` needs to pay for itself: this plan's as its card says, another's
    from what a sale earns back as the card counts it (its margin less the promo code's
    discount); None without a basket and a margin, or on another measure."""
    if stored.metric != "conversions":
        return None
    if p.key == stored.plan.key:
        return break_even_sales(stored)
    margins = [
        float(n.params["margin_cents"])
        for n in stored.notices
        if n.code in ("break_even", "test") and n.params.get("margin_cents")
    ]
    return math.ceil(p.spent_cents / margins[0]) if margins else None


def plan_chart(stored: StoredRecommendation) -> Chart | None:
    """This plan, all micro and all macro on the goal's measure (middle figure, range as
    error bars), each with its cost and range in the card's words above it and, when the
    brief gives a basket and a margin, a dashed mark at the sales it needs to pay for itself
    (each costs its own, so each has its own); None when no plan has anyone. An alternative
    that is the plan itself is not drawn twice."""
    plan = stored.plan
    metric = stored.metric
    currency = stored.brief.currency
    shown = [plan] if plan.people else []
    for alternative in (stored.all_micro, stored.all_macro):
        if alternative.people and alternative.key != plan.key:
            shown.append(alternative)
    if not shown:
        return None
    bars = []
    for p in shown:
        words = i18n.gettext("%(plan)s, %(cost)s: %(amount)s") % {
            "plan": i18n.gettext(PLAN_LABELS[p.label]),
            "cost": i18n.money(p.spent_cents, currency),
            "amount": amount_words(list(p.forecast[metric]), metric),
        }
        needed = pays_back_at(stored, p)
        if needed:
            words += i18n.gettext("; pays back at %(needed)s") % {"needed": i18n.count(needed)}
        low, mid, high = p.forecast[metric]
        bars.append(Bar(words, mid, low, high, PLAN_COLOURS[p.label], needed or None))
    marked = any(b.mark for b in bars)
    return Chart(
        i18n.gettext("What %(budget)s buys") % {"budget": i18n.money(plan.budget_cents, currency)},
        (Group("", tuple(bars)),),
        i18n.gettext(MEASURE_NAMES[metric]),
        i18n.gettext("Dashed marks: the sales each plan needs to pay for itself") if marked else "",
        i18n.current_language(),
    )


def results_chart(comparison: Comparison) -> Chart | None:
    """Per measure reported: its forecast (the middle figure, the range as an error bar)
    beside the figure reported, as two bars on the measure's own scale. None when no measure
    was reported. Early in a campaign the totals so far are set against the whole campaign's
    forecast, and the caption does not call them ahead or behind."""
    groups = []
    for key in RESULT_MEASURES:
        actual = comparison.actual.get(key)
        forecast = comparison.forecast.get(key)
        if actual is None or not forecast:
            continue
        low, mid, high = forecast
        bars = (
            Bar(
                i18n.gettext("Forecast: %(forecast)s") % {"forecast": span(forecast)},
                mid,
                low,
                high,
                RANGE_COLOUR,
            ),
            Bar(
                i18n.gettext("You reported: %(actual)s") % {"actual": i18n.count(actual)},
                float(actual),
                colour=ACTUAL_COLOUR,
            ),
        )
        groups.append(
            Group(i18n.gettext(MEASURE_NAMES[key]), bars, float(actual), (low, mid, high))
        )
    if not groups:
        return None
    title = i18n.gettext("Results so far against the forecast")
    if comparison.partial:
        title = i18n.gettext("Results so far against the whole campaign's forecast")
    return Chart(title, tuple(groups), language=i18n.current_language())


def draw(chart: Chart) -> bytes:
    """The chart as a PNG (matplotlib's Agg canvas; no display, safe in a worker)."""
    out = io.BytesIO()
    figure_of(chart).savefig(out, format="png", pil_kwargs={"compress_level": 3})
    return out.getvalue()


def figure_of(chart: Chart) -> Any:
    """The chart as a matplotlib Figure on an Agg canvas. The layout is worked out in inches
    from the lines of text, rather than measured (measuring would draw the figure twice),
    and axes and ticks kept few: they are most of the drawing time. Numbers on the axis are
    written the chart's language's way (when the figure is made: it can be drawn in any)."""
    with i18n.speaking(chart.language):
        return _figure(chart)


def _line_in(points: float) -> float:
    """The height of a line of text of `points` size, in inches."""
    return points * 1.3 / 72


def _wrap(text: str, points: float, bold: bool = False) -> str:
    """`text` in lines that fit the picture's width at `points` size (a generous estimate of
    the width of a character: no line runs off the picture)."""
    per_char = points * (0.63 if bold else 0.56) / 72
    return textwrap.fill(text, max(12, int((WIDTH_IN - 2 * MARGIN_IN) / per_char)))


@dataclass(frozen=True)
class _Layout:
    """Where things go, in inches from the top of the rows' area (`rows_in` tall)."""

    title: str
    note: str  # under the title: what the dashed line is
    top_in: float  # above the rows: the title, the line's label
    bottom_in: float  # below the rows: the axis
    rows_in: float
    # Each bar, its words, their y, the bar's y and its scale (what a full-width bar stands for)
    bars: tuple[tuple[Bar, str, float, float, float], ...]
    headings: tuple[tuple[str, float], ...]
    bar_in: float


def _layout(chart: Chart) -> _Layout:
    """Each group's heading, each bar's words above it and the bar, top down; stretched to a
    square when there is little to show."""
    title = _wrap(chart.title, TITLE_PT, bold=True)
    top = 0.25 + _line_in(TITLE_PT) * (title.count("\n") + 1) + 0.2
    note = _wrap(chart.marks_label, TEXT_PT) if chart.marks_label else ""
    top += _line_in(TEXT_PT) * (note.count("\n") + 1) + 0.1 if note else 0.0
    bottom = 0.9 if chart.axis else 0.3
    texts = [_line_in(HEADING_PT) + 0.05 for g in chart.groups if g.heading]
    words = [_wrap(b.label, TEXT_PT) for g in chart.groups for b in g.bars]
    texts += [_line_in(TEXT_PT) * (w.count("\n") + 1) + 0.05 for w in words]
    flexible = BAR_IN * len(words) + GAP_IN * (len(words) + len(chart.groups))
    stretch = min(2.0, max(1.0, (WIDTH_IN - top - bottom - sum(texts)) / flexible))
    rows = sum(texts) + flexible * stretch
    spare = max(0.0, WIDTH_IN - top - bottom - rows)
    bar_in, gap = BAR_IN * stretch, GAP_IN * stretch
    placed, headings, y = [], [], 0.0
    index = 0
    for group in chart.groups:
        if group.heading:
            headings.append((group.heading, y))
            y += _line_in(HEADING_PT) + 0.05
        scale = chart_scale(chart, group)
        for bar in group.bars:
            text = words[index]
            index += 1
            y += _line_in(TEXT_PT) * (text.count("\n") + 1)
            placed.append((bar, text, y, y + 0.05 + bar_in / 2, scale))
            y += 0.05 + bar_in + gap
        y += gap
    return _Layout(
        title,
        note,
        top + spare / 2,
        bottom + spare / 2,
        rows,
        tuple(placed),
        tuple(headings),
        bar_in,
    )


def chart_scale(chart: Chart, group: Group) -> float:
    """What a full-width bar stands for: on a shared axis, the largest figure of all (the
    bars' marks included); else the group's own largest."""
    groups = chart.groups if chart.axis else (group,)
    ends = [max(b.mid, b.high or 0.0, b.mark or 0.0) for g in groups for b in g.bars]
    return max(ends) or 1.0


def _figure(chart: Chart) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    layout = _layout(chart)
    height = math.ceil((layout.top_in + layout.rows_in + layout.bottom_in) * DPI) / DPI
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.text(
        MARGIN_IN / WIDTH_IN,
        1 - 0.25 / height,
        layout.title,
        fontsize=TITLE_PT,
        fontweight="bold",
        va="top",
    )
    if layout.note:
        below_title = 0.25 + _line_in(TITLE_PT) * (layout.title.count("\n") + 1) + 0.2
        figure.text(
            MARGIN_IN / WIDTH_IN,
            1 - below_title / height,
            layout.note,
            fontsize=TEXT_PT,
            color=LINE_COLOUR,
            va="top",
        )
    axes = figure.add_axes(
        (
            MARGIN_IN / WIDTH_IN,
            layout.bottom_in / height,
            1 - 2 * MARGIN_IN / WIDTH_IN,
            layout.rows_in / height,
        )
    )
    axes.set_ylim(layout.rows_in, 0)  # inches from the top
    _draw_rows(axes, layout, UNDER_WORDS if chart.marks_label else None)
    if chart.axis:
        _draw_axis(axes, chart)
    else:
        axes.set_xlim(0, 1.0)
        axes.set_axis_off()
    return figure


def _draw_rows(axes: Any, layout: _Layout, under: dict[str, Any] | None) -> None:
    """The headings, and each bar with its words above it, on a scale from 0 to 1 (each bar's
    figures divided by its scale)."""
    bars = [b for b, *_ in layout.bars]
    scales = [scale for *_, scale in layout.bars]
    positions = [y for _, _, _, y, _ in layout.bars]
    axes.barh(
        positions,
        [b.mid / s for b, s in zip(bars, scales, strict=True)],
        height=layout.bar_in,
        color=[b.colour for b in bars],
    )
    ranged = [(b, s, y) for b, s, y in zip(bars, scales, positions, strict=True) if b.high]
    if ranged:
        # Each range from its low end to its high end, wherever the bar ends (a creator's
        # figure may be past their forecast's range).
        half = [((b.high or 0.0) - (b.low or 0.0)) / 2 / s for b, s, _ in ranged]
        axes.errorbar(
            [((b.low or 0.0) / s) + h for (b, s, _), h in zip(ranged, half, strict=True)],
            [y for *_, y in ranged],
            xerr=half,
            fmt="none",
            ecolor=WHISKER_COLOUR,
            elinewidth=2,
            capsize=6,
        )
    for bar, text, words_y, y, scale in layout.bars:
        axes.text(0, words_y, text, fontsize=TEXT_PT, va="bottom", ha="left", bbox=under)
        if bar.mark:
            reach = layout.bar_in * 0.65
            axes.vlines(
                bar.mark / scale, y - reach, y + reach, LINE_COLOUR, "dashed", linewidth=2.5
            )
    for heading, y in layout.headings:
        axes.text(0, y, heading, fontsize=HEADING_PT, fontweight="bold", va="top", ha="left")
    axes.axvline(0, color=WHISKER_COLOUR, linewidth=1)


def _draw_axis(axes: Any, chart: Chart) -> None:
    """The shared scale below the bars, in the measure's figures."""
    from matplotlib.ticker import MaxNLocator

    scale = chart_scale(chart, chart.groups[0])
    axes.set_xlim(0, 1.05)
    locator = MaxNLocator(nbins=4, integer=True)
    ticks = [t / scale for t in locator.tick_values(0, scale * 1.05) if 0 <= t <= scale * 1.05]
    axes.set_xticks(ticks, [i18n.count(t * scale) for t in ticks])
    axes.tick_params(axis="x", labelsize=TEXT_PT)
    axes.tick_params(axis="y", left=False, labelleft=False)
    axes.set_xlabel(chart.axis, fontsize=TEXT_PT)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
