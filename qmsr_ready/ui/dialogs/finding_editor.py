"""Edit every field of a finding, move its status, attach evidence — or raise a new one.

Saving and status moves go through undoable commands. A refusal from the service (closing
without an effectiveness check, editing a signed-off inspection) is shown in words inside the
dialog, which stays open so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.fields import FINDING
from qmsr_ready.core.views.checklist import load_finding_evidence
from qmsr_ready.core.views.undo import finding_values
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.findings import (
    FINDING_FIELDS,
    RaiseFindingCommand,
    TransitionFindingCommand,
    UpdateFindingCommand,
)
from qmsr_ready.ui.conflicts import save_resolving_conflicts
from qmsr_ready.ui.presentation import FINDING_STATUS_LOOK, MARGIN, READ_ONLY, SPACING
from qmsr_ready.ui.widgets.evidence_list import EvidenceListWidget

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

TEXT_BOXES = (
    "objective_evidence", "requirement", "correction", "root_cause", "corrective_action",
    "effectiveness_check",
)  # fmt: skip


def _text_box(name: str, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setMinimumHeight(height)
    return box


class FindingEditor(QDialog):
    """One finding: every field, its status workflow and its evidence."""

    def __init__(
        self,
        ctx: AppContext,
        inspection_code: str,
        finding_code: str | None = None,
        prefill: dict[str, Any] | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._inspection_code = inspection_code
        self.finding_code = finding_code
        self._read_only = read_only or ctx.read_only
        self._stored: dict[str, Any] = {}
        self._status = FindingStatus.OPEN.value
        self.setWindowTitle(
            f"Finding {finding_code} — {inspection_code}" if finding_code
            else f"Raise finding — {inspection_code}"
        )
        self.setMinimumWidth(640)
        self._build()
        if finding_code:
            self.reload()
            ctx.data_changed.connect(self._on_ctx_data_changed)
        else:
            self._fill({**self._defaults(), **(prefill or {})})
        self._apply_read_only()

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.classification = QComboBox()
        self.classification.setAccessibleName("Classification")
        for c in Classification:
            self.classification.addItem(c.label, c.value)
        self.likely_483 = QCheckBox("Likely to appear on a Form 483")
        self.severity = QSpinBox()
        self.likelihood = QSpinBox()
        for spin, name in ((self.severity, "Severity"), (self.likelihood, "Likelihood")):
            spin.setRange(1, 5)
            spin.setAccessibleName(f"{name} (1 to 5)")
            spin.valueChanged.connect(self._update_risk)
        self.risk_label = QLabel()
        self.question_ids = QLineEdit()
        self.question_ids.setAccessibleName("Linked questions")
        self.question_ids.setPlaceholderText("Question IDs, comma separated, e.g. MA-03-Q02")
        self.boxes = {name: _text_box(name.replace("_", " ").capitalize()) for name in TEXT_BOXES}
        self.owner = QLineEdit()
        self.owner.setAccessibleName("Owner")
        self.capa_reference = QLineEdit()
        self.capa_reference.setAccessibleName("CAPA reference")
        self.has_due = QCheckBox("Due")
        self.due_date = QDateEdit()
        self.due_date.setCalendarPopup(True)
        self.due_date.setDisplayFormat("yyyy-MM-dd")
        self.due_date.setAccessibleName("Due date")
        self._due_limits(None)
        self.has_due.toggled.connect(self.due_date.setEnabled)

        risk_row = QHBoxLayout()
        for label, spin in (("Severity", self.severity), ("Likelihood", self.likelihood)):
            risk_row.addWidget(QLabel(label))
            risk_row.addWidget(spin)
            risk_row.addSpacing(SPACING)
        risk_row.addWidget(self.risk_label)
        risk_row.addStretch(1)
        finding_form = QFormLayout()
        finding_form.addRow("&Title", self.title)
        finding_form.addRow("&Classification", self.classification)
        finding_form.addRow("", self.likely_483)
        finding_form.addRow("Risk", risk_row)
        finding_form.addRow("&Requirement", self.boxes["requirement"])
        finding_form.addRow("Objective &evidence", self.boxes["objective_evidence"])
        finding_form.addRow("Linked &questions", self.question_ids)

        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due_date)
        due_row.addStretch(1)
        action_form = QFormLayout()
        action_form.addRow("&Owner", self.owner)
        action_form.addRow("Due date", due_row)
        action_form.addRow("Co&rrection", self.boxes["correction"])
        action_form.addRow("Root &cause", self.boxes["root_cause"])
        action_form.addRow("Corrective &action", self.boxes["corrective_action"])
        action_form.addRow("CAPA reference", self.capa_reference)
        action_form.addRow("E&ffectiveness check", self.boxes["effectiveness_check"])

        self.tabs = QTabWidget()
        for title, form in (("Finding", finding_form), ("Action and closure", action_form)):
            page = QWidget()
            page.setLayout(form)
            self.tabs.addTab(page, title)
        self.evidence = EvidenceListWidget(self._ctx)
        self.evidence.failed.connect(self.show_error)
        if self.finding_code:
            self.tabs.addTab(self.evidence, "Evidence")

        # Status workflow row (existing findings only).
        self.status_label = QLabel()
        self.status_label.setStyleSheet("font-weight: 600;")
        self.move_to = QComboBox()
        self.move_to.setAccessibleName("Move to status")
        self.move_button = QPushButton("Move")
        self.move_button.setAccessibleName("Move the finding to the chosen status")
        self.move_button.clicked.connect(self._on_move_button_clicked)
        status_row = QHBoxLayout()
        status_row.addWidget(QLabel("Status:"))
        status_row.addWidget(self.status_label)
        status_row.addStretch(1)
        status_row.addWidget(QLabel("Move to"))
        status_row.addWidget(self.move_to)
        status_row.addWidget(self.move_button)
        self.status_widget = QWidget()
        self.status_widget.setLayout(status_row)
        self.status_widget.setVisible(bool(self.finding_code))

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem")
        self.error_label.setStyleSheet(
            "color: #B23A00; background: rgba(213,94,0,0.10); padding: 6px; border-radius: 4px;"
        )
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        if not self.finding_code:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Raise finding")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.addWidget(self.status_widget)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # -- values -------------------------------------------------------------------------
    @staticmethod
    def _defaults() -> dict[str, Any]:
        return {
            "title": "", "classification": Classification.MINOR.value, "likely_483": False,
            "severity": 3, "likelihood": 3, "owner": "", "due_date": None, "capa_reference": "",
            "question_ids": [], **dict.fromkeys(TEXT_BOXES, ""),
        }  # fmt: skip

    def reload(self) -> None:
        """Read the stored finding again (after a save, a move or an undo)."""
        assert self.finding_code
        with self._ctx.read() as session:
            stored = finding_values(session, self._inspection_code, self.finding_code)
            values = {name: stored[name] for name in (*FINDING_FIELDS, "question_ids")}
            self._status = stored["status"]
            evidence = load_finding_evidence(session, self._inspection_code, self.finding_code)
        self._stored = values
        self._fill(values)
        self.evidence.set_target(self._inspection_code, evidence, finding_code=self.finding_code)
        look = FINDING_STATUS_LOOK[FindingStatus(self._status)]
        self.status_label.setText(look.text)
        self.status_label.setStyleSheet(f"font-weight: 600; color: {look.color};")
        self.move_to.clear()
        for status in FindingStatus:
            if status.value != self._status:
                self.move_to.addItem(FINDING_STATUS_LOOK[status].text, status.value)

    def _fill(self, values: dict[str, Any]) -> None:
        self.title.setText(values["title"])
        self.classification.setCurrentIndex(self.classification.findData(values["classification"]))
        self.likely_483.setChecked(bool(values["likely_483"]))
        self.severity.setValue(int(values["severity"]))
        self.likelihood.setValue(int(values["likelihood"]))
        self.owner.setText(values["owner"])
        self.capa_reference.setText(values["capa_reference"])
        due: dt.date | None = values["due_date"]
        self.has_due.setChecked(due is not None)
        self.due_date.setEnabled(due is not None)
        start = due or dt.date.today() + dt.timedelta(days=30)
        self._due_limits(due)
        self.due_date.setDate(QDate(start.year, start.month, start.day))
        self.question_ids.setText(", ".join(values.get("question_ids") or ()))
        for name in TEXT_BOXES:
            self.boxes[name].setPlainText(values[name])
        self._update_risk()

    def _due_limits(self, stored: dt.date | None) -> None:
        """The spec's date range; widened to a date stored before the range existed, so opening
        the finding shows it as stored and does not move it (only a change is checked)."""
        low, high = FINDING.field("due_date").date_limits
        if stored is not None:
            low, high = max(min(low, stored), dt.date(100, 1, 1)), max(high, stored)  # Qt's floor
        self.due_date.setMinimumDate(QDate(low.year, low.month, low.day))
        self.due_date.setMaximumDate(QDate(high.year, high.month, high.day))

    def values(self) -> dict[str, Any]:
        """The form as service field values."""
        due = self.due_date.date().toPython() if self.has_due.isChecked() else None
        ids = [q.strip() for q in self.question_ids.text().replace(";", ",").split(",")]
        return {
            "title": self.title.text().strip(),
            "classification": self.classification.currentData(),
            "likely_483": self.likely_483.isChecked(),
            "severity": self.severity.value(),
            "likelihood": self.likelihood.value(),
            "owner": self.owner.text().strip(),
            "due_date": due,
            "capa_reference": self.capa_reference.text().strip(),
            "question_ids": [q for q in ids if q],
            **{name: self.boxes[name].toPlainText() for name in TEXT_BOXES},
        }

    def changed_values(self) -> dict[str, Any]:
        current = self.values()
        return {k: v for k, v in current.items() if self._stored.get(k) != v}

    def _update_risk(self) -> None:
        score = self.severity.value() * self.likelihood.value()
        self.risk_label.setText(f"Risk score {score} of 25")

    def _apply_read_only(self) -> None:
        if not self._read_only:
            return
        for widget in (self.title, self.question_ids, self.owner, self.capa_reference):
            widget.setReadOnly(True)
        for box in self.boxes.values():
            box.setReadOnly(True)
        for control in (self.classification, self.likely_483, self.severity, self.likelihood,
                        self.has_due, self.due_date, self.move_to, self.move_button):
            control.setEnabled(False)
        self.evidence.set_editable(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.show_error(
            f"{READ_ONLY.symbol} Read-only: this inspection is signed off or the workspace is "
            "open read-only. Nothing can be changed here."
        )

    # -- actions ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def save(self) -> bool:
        """Raise or update; True when stored (the dialog may then close)."""
        if self._read_only:
            return False
        if self.finding_code is None:
            command = RaiseFindingCommand(self._ctx, self._inspection_code, self.values(),
                                          on_error=self._on_command_error)
            error = execute(self._ctx, command)
            if error is None:
                self.finding_code = command.finding_code
        else:
            changes = self.changed_values()
            if not changes:
                return True
            code, base = self.finding_code, dict(self._stored)
            reloaded: list[bool] = []
            error = save_resolving_conflicts(
                self._ctx, self,
                lambda expected: UpdateFindingCommand(
                    self._ctx, self._inspection_code, code, changes,
                    on_error=self._on_command_error, base=base, expected_revision=expected,
                ),
                what=f"Finding {code}",
                on_reload=lambda: reloaded.append(True),
            )
            if reloaded:  # the user chose their version: show it, keep the dialog open
                self.reload()
                self.show_error("Their version is shown now; your edits were not saved.")
                return False
            if error is None:
                self.reload()
        if error is not None:
            self.show_error(error.message)
            return False
        self.show_error("")
        return True

    def move_status(self, new_status: str) -> bool:
        """Save pending edits, then move the status; explains a refusal in the dialog."""
        if self._read_only or not self.finding_code:
            return False
        # Typed-but-unsaved fields are saved first (their own undo step), so a user can fill
        # in the effectiveness check and press Move to Closed in one go.
        if not self.save():
            return False
        error = execute(self._ctx, TransitionFindingCommand(
            self._ctx, self._inspection_code, self.finding_code, new_status,
            on_error=self._on_command_error,
        ))
        if error is not None:
            self.show_error(f"Not moved. {error.message}")
            return False
        self.reload()
        self.show_error("")
        return True

    def _on_ctx_data_changed(self, kind: str, code: str) -> None:
        # Evidence added here (or elsewhere) shows up at once; typed fields are left alone.
        if kind == "evidence" and code == self._inspection_code and self.finding_code:
            with self._ctx.read() as session:
                rows = load_finding_evidence(session, self._inspection_code, self.finding_code)
            self.evidence.set_target(self._inspection_code, rows, finding_code=self.finding_code)

    def _on_command_error(self, error: QmsrError) -> None:
        self.show_error(error.message)

    def _on_move_button_clicked(self) -> None:
        status = self.move_to.currentData()
        if status:
            self.move_status(str(status))

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()

    def keyPressEvent(self, event: Any) -> None:
        # Enter inside a multi-line box must not close the dialog.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
            self.focusWidget(), QPlainTextEdit
        ):
            return
        super().keyPressEvent(event)
