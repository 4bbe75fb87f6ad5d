"""A campaign's results per creator and per side as a picture (issue 23, part 7): the
sources' question (which side delivers?) answered with the owner's own figures.

Each side's total is a bar beside the other side's, on one scale, with the line of its
forecast range (the sum of its reporting creators' own); then each creator who reported, under
their side's heading, a bar for their figure and the line of their own forecast range. A bar
past its line did better than forecast, one short of it worse. Each group has its own scale:
what is compared is a bar with its own line.
"""

from __future__ import annotations

from knowledge.base import Side
from knowledge.campaigns.by_creator import ByCreator, Measured
from knowledge.pictures.charts import ACTUAL_COLOUR, MEASURE_NAMES, PLAN_COLOURS, Bar, Chart, Group
from knowledge.writing import i18n
from knowledge.writing.i18n import N_
from knowledge.writing.render import span

MAX_CREATORS = 10
"""Creators drawn at most (the first ones, as the text lists them); the text has them all."""
SIDE_NAMES = {Side.MICRO.value: N_("Micro-influencers"), Side.MACRO.value: N_("Macro-influencers")}


def _bar(label: str, measured: Measured, colour: str) -> Bar:
    """`measured`'s figure, with its forecast range as a line beside it when known."""
    values = {"name": label, "actual": i18n.count(measured.actual)}
    if measured.forecast is None:
        return Bar(
            i18n.gettext("%(name)s: %(actual)s") % values, float(measured.actual), colour=colour
        )
    low, _mid, high = measured.forecast
    words = i18n.gettext("%(name)s: %(actual)s (forecast %(range)s)") % (
        values | {"range": span(measured.forecast)}
    )
    return Bar(words, float(measured.actual), low, high, colour)


def creators_chart(by: ByCreator) -> Chart | None:
    """Each side's total, then each creator's figure, each beside its own forecast range;
    None when nobody reported the goal's measure."""
    if not by.creators:
        return None
    groups = []
    sides = tuple(
        _bar(
            i18n.gettext("%(side)s, %(reported)s of %(creators)s reported")
            % {
                "side": i18n.gettext(SIDE_NAMES[m.side]),
                "reported": m.reported,
                "creators": m.creators,
            },
            m,
            PLAN_COLOURS[m.side],
        )
        for m in by.sides
    )
    if sides:
        groups.append(Group(i18n.gettext("Micro against macro"), sides))
    shown = by.creators[:MAX_CREATORS]
    for side in (Side.MICRO.value, Side.MACRO.value):
        bars = tuple(_bar(m.name, m, ACTUAL_COLOUR) for m in shown if m.side == side)
        if bars:
            groups.append(Group(i18n.gettext(SIDE_NAMES[side]), bars))
    measure = i18n.gettext(MEASURE_NAMES[by.metric.value])
    title = i18n.gettext(
        "%(measure)s: micro against macro and each creator, against their own forecasts"
    )
    if by.partial:
        title = i18n.gettext("%(measure)s so far: micro against macro and each creator")
    return Chart(title % {"measure": measure}, tuple(groups), language=i18n.current_language())


def left_out(by: ByCreator) -> int:
    """The creators who reported but are not drawn (over MAX_CREATORS)."""
    return max(0, len(by.creators) - MAX_CREATORS)
