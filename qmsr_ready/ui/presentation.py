"""Shared presentation constants: how results, classes and statuses look in every view.

Colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies) and are
never the only signal: every status is shown with a symbol and a word as well. Views, delegates and
the dashboard import from here so the checklist, the register and the charts agree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtGui import QColor

from qmsr_ready.core.report.verdict import VerdictLevel
from qmsr_ready.core.vocab import (
    Classification,
    FindingStatus,
    InspectionStatus,
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
    Result.CONFORMS: StatusLook("✓", "Conforms", BLUISH_GREEN, "conforms"),
    Result.MINOR_GAP: StatusLook("▲", "Minor gap", ORANGE, "minor"),
    Result.MAJOR_GAP: StatusLook("✖", "Major gap", VERMILLION, "major"),
    Result.NOT_APPLICABLE: StatusLook("—", "N/A", GREY, "na"),
    Result.NOT_ASSESSED: StatusLook("○", "Not assessed", GREY, "not-assessed"),
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
    Classification.CRITICAL: StatusLook("◆", "Critical", REDDISH_PURPLE, "major"),
    Classification.MAJOR: StatusLook("✖", "Major", VERMILLION, "major"),
    Classification.MINOR: StatusLook("▲", "Minor", ORANGE, "minor"),
    Classification.OBSERVATION: StatusLook("●", "Observation", SKY_BLUE, "warning"),
    Classification.OFI: StatusLook("◇", "Opportunity for improvement", BLUE, "conforms"),
}

FINDING_STATUS_LOOK: dict[FindingStatus, StatusLook] = {
    FindingStatus.OPEN: StatusLook("●", "Open", VERMILLION, "warning"),
    FindingStatus.ACTION_PLANNED: StatusLook("◐", "Action planned", ORANGE, "minor"),
    FindingStatus.AWAITING_VERIFICATION: StatusLook("◑", "Awaiting verification", SKY_BLUE, "sign"),
    FindingStatus.CLOSED: StatusLook("✓", "Closed", BLUISH_GREEN, "conforms"),
}

INSPECTION_STATUS_LOOK: dict[InspectionStatus, StatusLook] = {
    InspectionStatus.PLANNED: StatusLook("○", "Planned", GREY, "not-assessed"),
    InspectionStatus.IN_PROGRESS: StatusLook("◐", "In progress", BLUE, "checklist"),
    InspectionStatus.SIGNED_OFF: StatusLook("✔", "Signed off", BLUISH_GREEN, "lock"),
}

OVERDUE = StatusLook("⚠", "Overdue", VERMILLION, "warning")
# Symbols stay in the Basic Multilingual Plane: emoji (e.g. a padlock) show as empty boxes on
# systems without a colour-emoji font. Pair these with the "lock" icon where there is room.
READ_ONLY = StatusLook("⊘", "Read-only", GREY, "lock")
LOCKED_INSPECTION = StatusLook("⊘", "Signed off — read-only", GREY, "lock")

# Readiness bands for percentages (dashboard bars, home table): (lower bound, look).
READINESS_BANDS: tuple[tuple[float, StatusLook], ...] = (
    (85.0, StatusLook("✓", "Ready", BLUISH_GREEN, "conforms")),
    (60.0, StatusLook("▲", "Needs work", ORANGE, "minor")),
    (0.0, StatusLook("✖", "Not ready", VERMILLION, "major")),
)


def readiness_look(percent: float | None) -> StatusLook:
    """The band for a readiness percentage; ``None`` (nothing assessed) reads as not assessed."""
    if percent is None:
        return RESULT_LOOK[Result.NOT_ASSESSED]
    for lower, look in READINESS_BANDS:
        if percent >= lower:
            return look
    return READINESS_BANDS[-1][1]


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
