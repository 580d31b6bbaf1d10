"""Shared presentation constants: how results, classes and statuses look in every view.

Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies) and are
never the only signal: every status is shown with a symbol and a word as well. Views, delegates and
the dashboard import from here so the checklist, the register and the charts agree. The words
and thresholds are core's (``core.vocab``, ``core.report.bands``): this module only adds symbol,
colour and icon, so the screen says what the packs say.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtGui import QColor

from qmsr_ready.core.report.bands import Band, band_of
from qmsr_ready.core.report.verdict import VerdictLevel
from qmsr_ready.core.vocab import (
    Classification,
    FindingStatus,
    InspectionStatus,
    RequestStatus,
    Result,
)


@dataclass(frozen=True)
class StatusLook:
    """How one status value is drawn: symbol, word, colour and icon name (resources/icons)."""

    symbol: str
    label: str
    color: str  # hex, readable on both light and dark backgrounds
    icon: str

    @property
    def text(self) -> str:
        """Symbol and word together, e.g. ``"✓ Conforms"`` — colour is never the only cue."""
        return f"{self.symbol} {self.label}"

    @property
    def qcolor(self) -> QColor:
        return QColor(self.color)


# Okabe-Ito colours.
BLUISH_GREEN = "#009E73"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY_BLUE = "#56B4E9"
BLUE = "#0072B2"
REDDISH_PURPLE = "#CC79A7"
GREY = "#8C8C8C"

RESULT_LOOK: dict[Result, StatusLook] = {
    Result.CONFORMS: StatusLook("✓", Result.CONFORMS.label, BLUISH_GREEN, "conforms"),
    Result.MINOR_GAP: StatusLook("▲", Result.MINOR_GAP.label, ORANGE, "minor"),
    Result.MAJOR_GAP: StatusLook("✖", Result.MAJOR_GAP.label, VERMILLION, "major"),
    Result.NOT_APPLICABLE: StatusLook("—", Result.NOT_APPLICABLE.label, GREY, "na"),
    Result.NOT_ASSESSED: StatusLook("○", Result.NOT_ASSESSED.label, GREY, "not-assessed"),
}

# Keyboard keys for result buttons (checklist runner); digits work on every layout.
RESULT_SHORTCUTS: dict[Result, str] = {
    Result.CONFORMS: "1",
    Result.MINOR_GAP: "2",
    Result.MAJOR_GAP: "3",
    Result.NOT_APPLICABLE: "4",
    Result.NOT_ASSESSED: "0",
}

CLASSIFICATION_LOOK: dict[Classification, StatusLook] = {
    c: StatusLook(symbol, c.label, color, icon)
    for c, (symbol, color, icon) in {
        Classification.CRITICAL: ("◆", REDDISH_PURPLE, "major"),
        Classification.MAJOR: ("✖", VERMILLION, "major"),
        Classification.MINOR: ("▲", ORANGE, "minor"),
        Classification.OBSERVATION: ("●", SKY_BLUE, "warning"),
        Classification.OFI: ("◇", BLUE, "conforms"),
    }.items()
}

FINDING_STATUS_LOOK: dict[FindingStatus, StatusLook] = {
    f: StatusLook(symbol, f.label, color, icon)
    for f, (symbol, color, icon) in {
        FindingStatus.OPEN: ("●", VERMILLION, "warning"),
        FindingStatus.ACTION_PLANNED: ("◐", ORANGE, "minor"),
        FindingStatus.AWAITING_VERIFICATION: ("◑", SKY_BLUE, "sign"),
        FindingStatus.CLOSED: ("✓", BLUISH_GREEN, "conforms"),
    }.items()
}

INSPECTION_STATUS_LOOK: dict[InspectionStatus, StatusLook] = {
    i: StatusLook(symbol, i.label, color, icon)
    for i, (symbol, color, icon) in {
        InspectionStatus.PLANNED: ("○", GREY, "not-assessed"),
        InspectionStatus.IN_PROGRESS: ("◐", BLUE, "checklist"),
        InspectionStatus.SIGNED_OFF: ("✔", BLUISH_GREEN, "lock"),
    }.items()
}

OVERDUE = StatusLook("⚠", "Overdue", VERMILLION, "warning")
# Symbols stay in the Basic Multilingual Plane: emoji (e.g. a padlock) show as empty boxes on
# systems without a colour-emoji font. Pair these with the "lock" icon where there is room.
READ_ONLY = StatusLook("⊘", "Read-only", GREY, "lock")
LOCKED_INSPECTION = StatusLook("⊘", "Signed off — read-only", GREY, "lock")

# Conformance bands (dashboard bars, home table): thresholds and words from core.report.bands.
BAND_LOOK: dict[Band, StatusLook] = {
    Band.ON_TARGET: StatusLook("✓", Band.ON_TARGET.label, BLUISH_GREEN, "conforms"),
    Band.NEEDS_WORK: StatusLook("▲", Band.NEEDS_WORK.label, ORANGE, "minor"),
    Band.OFF_TARGET: StatusLook("✖", Band.OFF_TARGET.label, VERMILLION, "major"),
    Band.NO_DATA: StatusLook("○", Band.NO_DATA.label, GREY, "not-assessed"),
}


def band_look(percent: float | None) -> StatusLook:
    """How a conformance percentage is drawn: its core band's word, with symbol and colour."""
    return BAND_LOOK[band_of(percent)]


readiness_look = band_look  # the older name, still used by the inspection list


def result_look(value: str | None) -> StatusLook:
    """Look for a stored result string; unknown or empty reads as not assessed."""
    try:
        return RESULT_LOOK[Result(value)] if value else RESULT_LOOK[Result.NOT_ASSESSED]
    except ValueError:
        return RESULT_LOOK[Result.NOT_ASSESSED]


def classification_look(value: str) -> StatusLook:
    return CLASSIFICATION_LOOK[Classification(value)]


def finding_status_look(value: str) -> StatusLook:
    return FINDING_STATUS_LOOK[FindingStatus(value)]


def inspection_status_look(value: str) -> StatusLook:
    return INSPECTION_STATUS_LOOK[InspectionStatus(value)]


# Layout spacing used across views (px at 1x; Qt scales for high DPI).
SPACING = 8
MARGIN = 12
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M UTC"


_VERDICT_AS_RESULT = {
    VerdictLevel.READY: Result.CONFORMS,
    VerdictLevel.AT_RISK: Result.MINOR_GAP,
    VerdictLevel.NOT_READY: Result.MAJOR_GAP,
    VerdictLevel.NOT_ASSESSED: Result.NOT_ASSESSED,
}


def verdict_look(level: VerdictLevel) -> StatusLook:
    """A readiness verdict drawn like the matching result, labelled with the verdict's word."""
    return dataclasses.replace(RESULT_LOOK[_VERDICT_AS_RESULT[level]], label=level.label)


# Inspection-day request statuses, and the mark of a request past its time-to-present target.
REQUEST_STATUS_LOOK: dict[RequestStatus, StatusLook] = {
    s: StatusLook(symbol, s.label, color, icon)
    for s, (symbol, color, icon) in {
        RequestStatus.PREPARED: ("◇", GREY, "not-assessed"),
        RequestStatus.REQUESTED: ("○", BLUE, "requests"),
        RequestStatus.IN_RETRIEVAL: ("◐", ORANGE, "open"),
        RequestStatus.IN_QA_REVIEW: ("◑", SKY_BLUE, "sign"),
        RequestStatus.PRESENTED: ("✓", BLUISH_GREEN, "conforms"),
        RequestStatus.WITHDRAWN: ("—", GREY, "na"),
    }.items()
}
LATE = StatusLook("⚠", "LATE", VERMILLION, "warning")
