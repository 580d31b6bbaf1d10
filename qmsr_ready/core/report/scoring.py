"""The checklist conformance formula, in one place, so every screen and pack agree.

Only questions of elements that are both **selected** for the inspection and **applicable** to
the site count. For one area, with ``w`` the question weight from the template (1..3) and the
credit of a result being::

    conforms 1.0    minor_gap 0.5    major_gap 0.0

the scores are::

    applicable    = counted questions whose result is not ``not_applicable``
    assessed      = applicable questions whose result is conforms, minor_gap or major_gap
    conformance % = 100 * sum(w * credit over assessed) / sum(w over assessed)
    coverage %    = 100 * assessed / applicable

``not_applicable`` answers are excluded from both numerator and denominator; ``not_assessed``
answers (and questions without any answer) lower coverage, never the conformance score. With
nothing assessed the conformance is ``None`` (shown as "—"), with nothing applicable the coverage
is ``None``. The overall score uses the same sums across all areas (a weight-sum, so an area
with more weighted questions counts for more). The percentage is shown as "Checklist
conformance": "readiness" is the verdict (``verdict.py``), which also weighs findings, major gaps
on core questions and completeness. The same text lives in docs/report-formula.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from qmsr_ready.core.vocab import Result

CREDIT: dict[str, float] = {
    Result.CONFORMS.value: 1.0, Result.MINOR_GAP.value: 0.5, Result.MAJOR_GAP.value: 0.0,
}
# Every assessed result (vocab.ASSESSED_RESULTS) earns credit and nothing else does (tested).


@dataclass
class Tally:
    """Running sums for one area (or for everything); mutable while a report is built."""

    applicable: int = 0
    assessed: int = 0
    conforms: int = 0
    minor_gaps: int = 0
    major_gaps: int = 0
    not_applicable: int = 0
    not_assessed: int = 0
    weight_assessed: int = 0
    weight_credit: float = 0.0

    def add(self, weight: int, result: str) -> None:
        """Count one question of a selected, applicable element."""
        if result == Result.NOT_APPLICABLE:
            self.not_applicable += 1
            return
        self.applicable += 1
        credit = CREDIT.get(result)
        if credit is None:  # not_assessed, no answer yet, or an unknown stored value
            self.not_assessed += 1
            return
        self.assessed += 1
        self.weight_assessed += weight
        self.weight_credit += weight * credit
        if result == Result.CONFORMS:
            self.conforms += 1
        elif result == Result.MINOR_GAP:
            self.minor_gaps += 1
        else:
            self.major_gaps += 1

    def merge(self, other: Tally) -> None:
        """Add another tally's sums to this one (used for the overall score)."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def score(self) -> float | None:
        """Checklist conformance in percent, or ``None`` when nothing was assessed."""
        if self.weight_assessed == 0:
            return None
        return 100.0 * self.weight_credit / self.weight_assessed

    @property
    def coverage(self) -> float | None:
        """Share of applicable questions that were assessed, in percent."""
        if self.applicable == 0:
            return None
        return 100.0 * self.assessed / self.applicable


def score(items: Iterable[tuple[int, str]]) -> Tally:
    """Tally ``(weight, result)`` pairs of counted questions."""
    tally = Tally()
    for weight, result in items:
        tally.add(weight, result)
    return tally


def format_percent(value: float | None) -> str:
    """How every renderer prints a score: whole percent, or an em dash for "no data"."""
    return "—" if value is None else f"{round_half_up(value)}%"


def cell_percent(value: float | None) -> float | None:
    """A percentage as written into a spreadsheet cell formatted ``0"%"``.

    Rounding to one decimal first would round twice (91.46 → 91.5 → "92%" while every other
    renderer prints "91%"); six decimals only strip binary noise, so the cell shows what
    ``format_percent`` prints.
    """
    return None if value is None else round(value, 6)


def round_half_up(value: float) -> int:
    """Whole percent the way Excel and LibreOffice show a cell formatted ``0"%"``.

    Python's ``round`` (and ``:.0f``) rounds 62.5 to 62; a spreadsheet shows 63. The packs
    print both, so every renderer rounds this one way. The small epsilon absorbs binary noise
    such as 62.49999999 from 100 * 5 / 8.
    """
    return math.floor(value + 0.5 + 1e-9)
