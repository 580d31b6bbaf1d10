"""Scribe notes: a timestamped list and a one-line note field (topic, investigator, links).

Notes are taken as fast as requests: type, press Enter. Links to requests and findings are
typed as codes (``R-003; F-001``); the selected request's number is offered as the default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.inspection_day.views import NoteView
from qmsr_ready.ui.models.requests_model import local_time
from qmsr_ready.ui.models.row_table import ModelIndex, RowTableModel
from qmsr_ready.ui.presentation import SPACING


class NotesTableModel(RowTableModel):
    """One row per scribe note, oldest first."""

    COLUMNS = ("Time", "Note", "Topic", "Investigator", "Links")

    def set_notes(self, notes: tuple[NoteView, ...]) -> None:
        self.beginResetModel()
        self._rows = list(notes)
        self.endResetModel()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        n = self._row_for(index)
        if n is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{n.topic} · {n.investigator}\n{n.text}" if n.topic else n.text
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        note = f"{n.topic}: {n.text}" if n.topic and index.column() == 1 else n.text
        values = (local_time(n.at), note, n.topic, n.investigator,
                  "; ".join((*n.request_codes, *n.finding_codes)))
        return values[index.column()]


class ScribeNotesPanel(QWidget):
    """List and capture of scribe notes; emits ``note_requested`` with the fields."""

    note_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NotesTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Scribe notes")
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(4, 90)
        # Topic and investigator stay in the model (and the tooltip); the narrow panel shows
        # the topic in front of the note instead of in columns of their own.
        self.table.setColumnHidden(2, True)
        self.table.setColumnHidden(3, True)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Note, then Enter (stamped now)")
        self.topic = QLineEdit(self)
        self.topic.setPlaceholderText("Topic")
        self.investigator = QLineEdit(self)
        self.investigator.setPlaceholderText("Investigator")
        self.links = QLineEdit(self)
        self.links.setPlaceholderText("Links: R-003; F-001")
        for w, name in ((self.text, "Scribe note"), (self.topic, "Note topic"),
                        (self.investigator, "Note investigator"), (self.links, "Note links")):
            w.setAccessibleName(name)
            w.returnPressed.connect(self._on_text_return_pressed)
        self.add_button = QPushButton("Add note", self)
        self.add_button.clicked.connect(self._on_text_return_pressed)
        grid = QGridLayout()
        grid.setSpacing(SPACING)
        grid.addWidget(self.text, 0, 0, 1, 3)
        grid.addWidget(self.add_button, 0, 3)
        grid.addWidget(self.topic, 1, 0)
        grid.addWidget(self.investigator, 1, 1)
        grid.addWidget(self.links, 1, 2, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, SPACING, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)

    def set_editable(self, editable: bool) -> None:
        for w in (self.text, self.topic, self.investigator, self.links, self.add_button):
            w.setEnabled(editable)

    def _on_text_return_pressed(self) -> None:
        text = self.text.text().strip()
        if not text:
            return
        codes = [c.strip() for c in self.links.text().replace(",", ";").split(";") if c.strip()]
        self.note_requested.emit({
            "text": text, "topic": self.topic.text().strip(),
            "investigator": self.investigator.text().strip(),
            "request_codes": [c for c in codes if c.upper().startswith("R-")],
            "finding_codes": [c for c in codes if not c.upper().startswith("R-")],
        })

    def clear_after_note(self) -> None:
        """Keep topic and investigator (the next note is usually on the same), clear the rest."""
        self.text.clear()
        self.links.clear()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
