"""Conformance bands: the one place that says when a percentage is on target, needs work or is off.

The dashboard bars, the PDF chart and tables, the workbook Summary, the CLI JSON and the verdict
all read ``band_of``; none keeps thresholds of its own (a 65 % area once showed amber on screen
and red in the PDF). A percentage is banded on the whole percent every renderer prints
(``round_half_up``), so "85%" on the page is never called "below 85%".

The thresholds are QMSR Ready's choice, not FDA's: FDA classifies inspections NAI / VAI / OAI
and publishes no percentage that makes a site ready. See docs/report-formula.md.
"""

from __future__ import annotations

from enum import StrEnum

from qmsr_ready.core.report.scoring import round_half_up

TARGET = 85  # at or above: on target
FLOOR = 70  # below: off target, and the verdict is "Not ready"


class Band(StrEnum):
    """Where a conformance percentage sits against TARGET and FLOOR (values are stable)."""

    ON_TARGET = "on_target"
    NEEDS_WORK = "needs_work"
    OFF_TARGET = "off_target"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_LABELS: dict[Band, str] = {
    Band.ON_TARGET: "On target",
    Band.NEEDS_WORK: "Needs work",
    Band.OFF_TARGET: "Off target",
    Band.NO_DATA: "Not assessed",
}

BAND_LEGEND = (
    f"On target: {TARGET}% or more; needs work: {FLOOR}–{TARGET - 1}%; "
    f"off target: below {FLOOR}% (whole percent as printed; our thresholds, not FDA's)"
)


def band_of(percent: float | None) -> Band:
    """The band of a conformance percentage; ``None`` (nothing assessed) has no band."""
    if percent is None:
        return Band.NO_DATA
    whole = round_half_up(percent)
    if whole >= TARGET:
        return Band.ON_TARGET
    return Band.NEEDS_WORK if whole >= FLOOR else Band.OFF_TARGET
