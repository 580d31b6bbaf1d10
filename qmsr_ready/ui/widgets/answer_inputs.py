"""The answer form of the checklist runner: the assessment inputs and the rules they follow.

Split out of ``question_panel``: the "Assessment" box (notes, sampling, records reviewed,
interviewees, evidence), a count that may be unknown and never clamps a stored value, the order
of the result buttons and asking why a question does not apply. The panel wires their signals
and turns edits into changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.core.reasons import visible
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui.presentation import SPACING
from qmsr_ready.ui.widgets.autosave_text import AutosaveTextEdit
from qmsr_ready.ui.widgets.evidence_list import EvidenceListWidget
from qmsr_ready.ui.widgets.flow_layout import flow_container

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext


MIN_TEXT_LINES = 3  # every text field shows at least this many lines (or scrolls with its box)
RESULT_ORDER = (
    Result.CONFORMS,
    Result.MINOR_GAP,
    Result.MAJOR_GAP,
    Result.NOT_APPLICABLE,
    Result.NOT_ASSESSED,
)


def ask_na_reason(parent: QWidget, question_id: str) -> str:
    """Ask why a question does not apply (always empty to start: an old assessment note is not
    a reason); the visible reason, or "" when cancelled or left blank."""
    text, ok = QInputDialog.getMultiLineText(
        parent,
        f"{question_id}: not applicable",
        "Why is this not applicable?\n"
        "The reason is saved as the first line of the notes and printed in the PDF pack.",
        "",
    )
    return visible(text) if ok else ""


def lines_height(box: QFrame, lines: int) -> int:
    """Pixel height that shows ``lines`` lines of text in a plain/rich text edit."""
    metrics = box.fontMetrics()
    return metrics.lineSpacing() * lines + 2 * box.frameWidth() + 10  # + document margins


SAMPLING_FIELDS = ("sample_population", "sample_size")


BLANK_COUNT = "—"  # a count not recorded (what the packs leave empty)


class SpinOrBlank(QSpinBox):
    """A count that may be unknown: "—" (one below the spec's lowest count) is "not recorded".

    0 is a real count ("0 complaints in the period, 0 sampled"), so the blank is its own value
    below the range: the box shows and saves 0 as 0, as the packs print it. Emptying the box
    (or typing "—") makes it blank. The range above the blank is the response field spec's, so
    the box never clamps a value the service accepts; ``typed`` tells a value the user entered
    from the one last shown, so a box that could not show a stored value (it would clamp it)
    never saves the clamped number.
    """

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        spec = RESPONSE.field(field)
        self.field = field
        low, high = spec.int_limits
        self.setRange(low - 1, high)  # the minimum is the blank
        self.setSpecialValueText(BLANK_COUNT)
        self.setAccessibleName(spec.label)
        self.setMinimumWidth(90)
        self._shown = self.minimum()

    def value_or_none(self) -> int | None:
        value = self.value()
        return None if value == self.minimum() else value

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if text.strip() in ("", BLANK_COUNT):  # an emptied box is a blank count, not an error
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:
        if text.strip() in ("", BLANK_COUNT):
            return self.minimum()
        return super().valueFromText(text)

    @property
    def typed(self) -> bool:
        """True when the box holds something other than what was last shown."""
        return self.value() != self._shown

    def set_value_silently(self, value: int | None) -> None:
        self.blockSignals(True)
        self.setValue(self.minimum() if value is None else value)
        self.blockSignals(False)
        self._shown = self.value()

    def mark_shown(self) -> None:
        """Treat the current value as shown (it is being saved)."""
        self._shown = self.value()


@dataclass(frozen=True)
class AssessmentInputs:
    """The assessment column's widgets; the panel wires their signals and shows the values."""

    box: QGroupBox
    notes: AutosaveTextEdit
    population: SpinOrBlank
    sample_size: SpinOrBlank
    records_reviewed: AutosaveTextEdit
    interviewees: AutosaveTextEdit
    evidence: EvidenceListWidget
    scroll: QScrollArea


def assessment_inputs(ctx: AppContext) -> AssessmentInputs:
    """The "Assessment" box: notes, sampling, records reviewed, interviewees, evidence."""
    notes = AutosaveTextEdit()
    notes.setPlaceholderText("What you saw, asked and were shown — saved as you type")
    notes.setAccessibleName("Notes")
    population = SpinOrBlank("sample_population")
    sample_size = SpinOrBlank("sample_size")
    records_reviewed = AutosaveTextEdit()
    records_reviewed.setPlaceholderText("Record IDs reviewed, one per line")
    records_reviewed.setAccessibleName("Records reviewed")
    interviewees = AutosaveTextEdit()
    interviewees.setPlaceholderText("Name — role, one per line")
    interviewees.setAccessibleName("Interviewees")
    evidence = EvidenceListWidget(ctx)
    for box in (notes, records_reviewed, interviewees):
        box.setMinimumHeight(lines_height(box, MIN_TEXT_LINES))

    sampling_row, sampling_flow = flow_container(None, SPACING)
    for text, spin in (("Population", population), ("Sample size", sample_size)):
        pair = QWidget()
        pair_layout = QHBoxLayout(pair)
        pair_layout.setContentsMargins(0, 0, 0, 0)
        pair_layout.addWidget(QLabel(text))
        pair_layout.addWidget(spin)
        sampling_flow.addWidget(pair)
    inputs = QFormLayout()
    inputs.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    inputs.setVerticalSpacing(SPACING // 2)
    inputs.addRow("&Notes", notes)
    inputs.addRow("Sampling", sampling_row)
    inputs.addRow("&Records reviewed", records_reviewed)
    inputs.addRow("&Interviewees", interviewees)
    inputs.addRow("Evidence (drop files on the list)", evidence)
    input_box = QGroupBox("Assessment")
    inner = QWidget()
    inner.setLayout(inputs)
    # On a short screen the inputs scroll inside their box instead of shrinking below
    # three lines or pushing the window taller than the screen.
    scroll = QScrollArea()
    scroll.setWidget(inner)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    box_layout = QVBoxLayout(input_box)
    box_layout.setContentsMargins(0, 0, 0, 0)
    box_layout.addWidget(scroll)
    return AssessmentInputs(input_box, notes, population, sample_size, records_reviewed,
                            interviewees, evidence, scroll)
