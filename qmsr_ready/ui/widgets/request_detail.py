"""The selected request in full: its fields to edit, its moves, what was shown, its findings.

The panel only shows a frozen ``RequestView`` and emits what the user asked for; the view turns
each into an undo command, so the panel never writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.inspection_day.stats import format_duration
from qmsr_ready.core.inspection_day.views import RequestView
from qmsr_ready.core.vocab import RequestKind, RequestPriority, RequestStatus
from qmsr_ready.ui.models.requests_model import local_time, request_status_look
from qmsr_ready.ui.presentation import SPACING

TIME_FORMAT = "%Y-%m-%d %H:%M"


def parse_local_time(text: str) -> dt.datetime:
    """``YYYY-MM-DD HH:MM`` typed in this computer's time zone, as an aware datetime.

    Anything else is passed on as text so core says, in one line, what it expected.
    """
    try:
        return dt.datetime.strptime(text.strip(), TIME_FORMAT).astimezone()
    except ValueError:
        return text  # type: ignore[return-value]  # core names the expected format


class RequestDetail(QWidget):
    """Edit form, timeline and actions for one request."""

    save_requested = Signal(str, dict)  # request code, changed fields
    present_requested = Signal(str)
    step_requested = Signal(int)  # +1 next status, -1 back
    withdraw_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request: RequestView | None = None
        self.heading = QLabel("No request selected", self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.requested_at = QLineEdit(self)
        self.requested_at.setPlaceholderText("YYYY-MM-DD HH:MM (your time)")
        self.requested_by = QLineEdit(self)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.kind = QComboBox(self)
        for k in RequestKind:
            self.kind.addItem(k.label, k.value)
        self.priority = QComboBox(self)
        for p in RequestPriority:
            self.priority.addItem(p.label, p.value)
        self.element = QComboBox(self)
        self.element.setEditable(False)
        # Long element titles must not widen the panel past the window (the list still shows them).
        self.element.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.element.setMinimumContentsLength(14)
        self.owner = QLineEdit(self)
        self.findings = QLineEdit(self)
        self.findings.setPlaceholderText("F-001; F-004")
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        for w, name in ((self.requested_at, "Requested at"), (self.requested_by, "Requested by"),
                        (self.text, "What was asked"), (self.kind, "Kind"),
                        (self.priority, "Priority"), (self.element, "Area or element"),
                        (self.owner, "Owner"), (self.findings, "Linked findings"),
                        (self.notes, "Request notes")):
            w.setAccessibleName(name)
        lines = self.fontMetrics().lineSpacing()
        self.text.setFixedHeight(lines * 3 + 14)
        self.notes.setFixedHeight(lines * 3 + 14)
        self.save_button = QPushButton("Save changes", self)
        self.save_button.clicked.connect(self._on_save_clicked)

        self.back_button = QPushButton("◀ Back", self)
        self.back_button.setToolTip("Move back one status (Ctrl+Left in the log, Alt+Left)")
        self.next_button = QPushButton("Next ▶", self)
        self.next_button.setToolTip("Move on one status (Ctrl+Right in the log, Alt+Right)")
        self.withdraw_button = QPushButton("Withdraw", self)
        self.withdraw_button.setToolTip("The investigator no longer needs it (Ctrl+Shift+W)")
        self.present_button = QPushButton("Present…", self)
        self.present_button.setToolTip(
            "Record the document ID and version handed over, with the file if you have it "
            "(Ctrl+P)")
        self.back_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.withdraw_button.clicked.connect(self.withdraw_requested.emit)
        self.present_button.clicked.connect(self._on_present_clicked)
        moves = QHBoxLayout()
        moves.setSpacing(SPACING)
        for b in (self.back_button, self.next_button, self.withdraw_button, self.present_button):
            moves.addWidget(b)
        moves.addStretch(1)

        self.timeline = QLabel(self)
        self.timeline.setWordWrap(True)
        self.timeline.setTextFormat(Qt.TextFormat.PlainText)
        self.timeline.setAccessibleName("Moves")
        self.shown = QLabel(self)
        self.shown.setWordWrap(True)
        self.shown.setTextFormat(Qt.TextFormat.PlainText)
        self.shown.setAccessibleName("What was shown")
        self.shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Requested at", self.requested_at)
        form.addRow("By", self.requested_by)
        form.addRow("What", self.text)
        form.addRow("Kind", self.kind)
        form.addRow("Priority", self.priority)
        form.addRow("Area / element", self.element)
        form.addRow("Owner", self.owner)
        form.addRow("Findings", self.findings)
        form.addRow("Notes", self.notes)
        body = QWidget(self)
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, SPACING, 0)
        inner.addWidget(self.heading)
        inner.addLayout(moves)
        inner.addLayout(form)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        inner.addLayout(save_row)
        inner.addWidget(QLabel("<b>Moves</b>", body))
        inner.addWidget(self.timeline)
        inner.addWidget(QLabel("<b>What was shown</b>", body))
        inner.addWidget(self.shown)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.show_request(None)

    def set_elements(self, choices: list[tuple[str, str]]) -> None:
        """Fill the area/element box with ``(value, label)``: areas, then their elements."""
        self.element.clear()
        self.element.addItem("— none —", "")
        for value, label in choices:
            self.element.addItem(label, value)

    def show_request(self, req: RequestView | None, *, editable: bool = True,
                     now: dt.datetime | None = None) -> None:
        self.request = req
        enabled = req is not None
        for w in (self.requested_at, self.requested_by, self.text, self.kind, self.priority,
                  self.element, self.owner, self.findings, self.notes, self.save_button):
            w.setEnabled(enabled and editable)
        if req is None:
            self.heading.setText("No request selected. Log one above, or choose one in the log.")
            for b in (self.back_button, self.next_button, self.withdraw_button,
                      self.present_button):
                b.setEnabled(False)
            for line in (self.requested_at, self.requested_by, self.owner, self.findings):
                line.clear()
            self.text.clear()
            self.notes.clear()
            self.timeline.setText("")
            self.shown.setText("")
            return
        status = RequestStatus(req.status)
        look = request_status_look(req.status)
        elapsed = req.elapsed(now or dt.datetime.now(dt.UTC))
        took = f" · {format_duration(elapsed.total_seconds())}" if elapsed is not None else ""
        self.heading.setText(f"{req.code} · {look.text}{took}")
        final = status in (RequestStatus.PRESENTED, RequestStatus.WITHDRAWN)
        self.next_button.setEnabled(editable and not final)
        self.back_button.setEnabled(editable and status.rank > RequestStatus.REQUESTED.rank
                                    and not final)
        self.withdraw_button.setEnabled(editable and not final)
        self.present_button.setEnabled(editable and not final)
        self.requested_at.setText(req.requested_at.astimezone().strftime(TIME_FORMAT)
                                  if req.requested_at else "")
        self.requested_at.setEnabled(editable and req.requested_at is not None)
        self.requested_by.setText(req.requested_by)
        self.text.setPlainText(req.text)
        self.kind.setCurrentIndex(max(self.kind.findData(req.kind), 0))
        self.priority.setCurrentIndex(max(self.priority.findData(req.priority), 0))
        self.element.setCurrentIndex(max(self.element.findData(req.element_id or req.area_id), 0))
        self.owner.setText(req.owner)
        self.findings.setText("; ".join(req.finding_codes))
        self.notes.setPlainText(req.notes)
        self.timeline.setText("\n".join(
            f"{local_time(m.at)}  {request_status_look(m.status).text}"
            + (f"  ({m.by})" if m.by else "")
            for m in req.moves) or "—")
        self.shown.setText("\n".join(
            f"{i.document_id} v{i.version or '—'}  {local_time(i.presented_at)}"
            + (f"  SHA-256 {i.sha256[:12]}…" if i.sha256 else "")
            + (f"  {i.note}" if i.note else "")
            for i in req.items) or "Nothing recorded yet.")

    def changed_fields(self) -> dict[str, Any]:
        """The fields whose value differs from the request shown."""
        req = self.request
        if req is None:
            return {}
        element = str(self.element.currentData() or "")
        area, elem = (element, "") if "-" not in element else (element.split("-")[0], element)
        values: dict[str, Any] = {
            "requested_by": self.requested_by.text().strip(),
            "text": self.text.toPlainText().strip(),
            "kind": self.kind.currentData(),
            "priority": self.priority.currentData(),
            "area_id": area,
            "element_id": elem,
            "owner": self.owner.text().strip(),
            "notes": self.notes.toPlainText(),
        }
        old: dict[str, Any] = {
            "requested_by": req.requested_by, "text": req.text, "kind": req.kind,
            "priority": req.priority, "area_id": req.area_id, "element_id": req.element_id,
            "owner": req.owner, "notes": req.notes,
        }
        changes = {k: v for k, v in values.items() if v != old[k]}
        findings = [c.strip() for c in self.findings.text().replace(",", ";").split(";")
                    if c.strip()]
        if tuple(findings) != req.finding_codes:
            changes["finding_codes"] = findings
        typed = self.requested_at.text().strip()
        shown = (req.requested_at.astimezone().strftime(TIME_FORMAT)
                 if req.requested_at else "")
        if req.requested_at is not None and typed != shown:
            changes["requested_at"] = parse_local_time(typed)
        return changes

    def _on_save_clicked(self) -> None:
        if self.request is not None:
            changes = self.changed_fields()
            if changes:
                self.save_requested.emit(self.request.code, changes)

    def _on_present_clicked(self) -> None:
        if self.request is not None:
            self.present_requested.emit(self.request.code)
