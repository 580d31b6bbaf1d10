"""Present a request: record which document and revision was handed over, with its file.

Several documents can be listed at once; "This completes the request" moves it to presented,
otherwise a part is recorded and the request stays open. A file is stored in the workspace as
evidence (deduplicated by SHA-256) so the exact revision shown can be proved later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.ui.widgets.banner import LockBanner


class PresentRequestDialog(QDialog):
    """Collects items ``{"document_id", "version", "note", "path"?}`` and the final flag."""

    def __init__(self, request_code: str, request_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Present {request_code}")
        self._items: list[dict[str, Any]] = []
        about = QLabel(f"{request_code}: {request_text}", self)
        about.setWordWrap(True)
        self.document_id = QLineEdit(self)
        self.document_id.setPlaceholderText("e.g. SOP-014 or LOG-CAPA")
        self.version = QLineEdit(self)
        self.version.setPlaceholderText("e.g. 7, C or export 2026-11-25")
        self.file = QLineEdit(self)
        self.file.setPlaceholderText("Optional: the file handed over (stored as evidence)")
        self.browse = QPushButton("Browse…", self)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.note = QLineEdit(self)
        for w, name in ((self.document_id, "Document ID"), (self.version, "Version"),
                        (self.file, "File shown"), (self.note, "Note on what was shown")):
            w.setAccessibleName(name)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("&Document ID", self.document_id)
        form.addRow("&Version", self.version)
        file_label = QLabel("&File", self)  # a row holding a layout gets no buddy by itself
        file_label.setBuddy(self.file)
        form.addRow(file_label, file_row)
        form.addRow("&Note", self.note)
        self.add_button = QPushButton("Add another document", self)
        self.add_button.setToolTip("Keep this document in the list and enter the next one")
        self.add_button.clicked.connect(self.add_current)
        self.listed = QListWidget(self)
        self.listed.setAccessibleName("Documents to record")
        self.listed.setMaximumHeight(110)
        self.final = QCheckBox("This completes the request (mark it presented)", self)
        self.final.setChecked(True)
        self.message = LockBanner(self, tone="problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record")
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)
        layout.addWidget(self.listed)
        layout.addWidget(self.final)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def add_current(self) -> bool:
        """Move the fields into the list; False (with a message) when they are not usable."""
        doc = self.document_id.text().strip()
        path = self.file.text().strip()
        if not doc and not path and not self.version.text().strip():
            return False
        if not doc:
            self.message.show_text("Give the document ID of what was shown.")
            return False
        if path and not Path(path).is_file():
            self.message.show_text(f"{path} is not a file; choose the file that was shown.")
            return False
        item = {"document_id": doc, "version": self.version.text().strip(),
                "note": self.note.text().strip()}
        if path:
            item["path"] = path
        self._items.append(item)
        self.listed.addItem(f"{doc} v{item['version'] or '—'}"
                            + (f" · {Path(path).name}" if path else ""))
        for w in (self.document_id, self.version, self.file, self.note):
            w.clear()
        self.message.show_text("")
        self.document_id.setFocus()
        return True

    def items(self) -> list[dict[str, Any]]:
        return list(self._items)

    def is_final(self) -> bool:
        return self.final.isChecked()

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "File shown to the investigator")
        if path:
            self.file.setText(path)
            if not self.document_id.text().strip():
                self.document_id.setText(Path(path).stem)

    def _on_accepted(self) -> None:
        pending = self.document_id.text().strip() or self.file.text().strip()
        if pending and not self.add_current():
            return
        if not self._items:
            self.message.show_text("Give at least one document ID and version.")
            return
        self.accept()
