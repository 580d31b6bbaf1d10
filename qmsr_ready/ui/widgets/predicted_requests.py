"""Predicted first-day requests: tick the records to pre-stage as "prepared" before the day."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.inspection_day.predict import PredictedRequest
from qmsr_ready.core.vocab import RequestKind


class PredictedRequestsDialog(QDialog):
    """A checklist of predictions (a short, fixed list, so list items are fine)."""

    def __init__(self, predictions: list[PredictedRequest], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Predicted first-day requests")
        self.predictions = list(predictions)
        intro = QLabel(
            "Investigators usually start from these records. Tick the ones the back room has "
            "ready: they are logged as pre-staged (prepared), and their clock starts only when "
            "the investigator asks for them.", self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Predicted requests")
        self.list.setWordWrap(True)
        for p in self.predictions:
            where = f" [{p.element_id}]" if p.element_id else ""
            item = QListWidgetItem(f"{p.text}{where} · {RequestKind(p.kind).label}", self.list)
            item.setToolTip(p.reason)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        if not self.predictions:
            QListWidgetItem("Every predicted request is already in the log.", self.list)
        self.buttons = QDialogButtonBox(self)
        self.stage_button = self.buttons.addButton(
            "Stage ticked as prepared", QDialogButtonBox.ButtonRole.AcceptRole)
        self.stage_button.setEnabled(bool(self.predictions))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 460)

    def chosen(self) -> list[dict[str, Any]]:
        """The ticked predictions as ``add_request`` fields."""
        out = []
        for i, p in enumerate(self.predictions):
            if self.list.item(i).checkState() == Qt.CheckState.Checked:
                out.append({"text": p.text, "kind": p.kind, "area_id": p.area_id,
                            "element_id": p.element_id, "notes": p.reason})
        return out
