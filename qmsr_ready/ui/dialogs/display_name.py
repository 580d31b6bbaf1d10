"""Asks for the name written to the audit trail (on first run and from the File menu)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class DisplayNameDialog(QDialog):
    """One line edit; OK is enabled only with a non-blank name."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your name")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "QMSR Ready records who made every change in the audit trail. "
            "Enter your name as colleagues and investigators will read it.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit(current, self)
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("e.g. Dana Whitfield, QA Manager")
        self.name_edit.setMaxLength(255)
        label = QLabel("&Name:", self)
        label.setBuddy(self.name_edit)
        form.addRow(label, self.name_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._on_name_edit_text_changed)
        self._on_name_edit_text_changed(current)
        self.resize(440, self.sizeHint().height())

    def name(self) -> str:
        return self.name_edit.text().strip()

    def _on_name_edit_text_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))
