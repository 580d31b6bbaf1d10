"""Sign-off (name, meaning, time) and reopen (with a required reason) dialogs.

Both call the core service inside ``ctx.write`` so the change and its audit event commit together;
a refusal (``QmsrError``) is shown and the dialog stays open. Both are final on purpose (not undo
commands): the dialogs and the menu say so.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.services.inspections import reopen_inspection, sign_off
from qmsr_ready.core.services.queries import list_inspections
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.errors import show_error
from qmsr_ready.ui.presentation import DATETIME_FORMAT

# A signature is a person's act, so neither it nor its withdrawal goes on the undo stack: Edit ▸
# Undo cannot sign in someone's name or silently withdraw a signature. Said in both dialogs and
# in the menu tips (ui/actions.py).
SIGN_OFF_IS_FINAL = "Sign-off cannot be undone; Reopen instead."
REOPEN_IS_FINAL = "Reopening cannot be undone; sign off again instead."

MEANINGS: tuple[str, ...] = (
    "Reviewed and approved as lead auditor",
    "Reviewed as quality management representative",
    "Acknowledged as site management",
)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class SignOffDialog(QDialog):
    """Records who signs, what the signature means, and when (shown, stamped by the service)."""

    def __init__(self, ctx: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = code
        self.setWindowTitle(f"Sign off {code}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Signing off makes {code} read-only in every view until someone reopens it "
            f"with a reason. The signature is kept in the audit trail. {SIGN_OFF_IS_FINAL}",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.state_label = QLabel(self._state_text(), self)
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("What is still open")
        layout.addWidget(self.state_label)
        form = QFormLayout()
        self.name_edit = QLineEdit(ctx.actor, self)
        self.name_edit.setAccessibleName("Signer name")
        self.meaning_combo = QComboBox(self)
        self.meaning_combo.setEditable(True)
        self.meaning_combo.addItems(MEANINGS)
        self.meaning_combo.setAccessibleName("Meaning of the signature")
        now = dt.datetime.now(dt.UTC)
        self.time_label = QLabel(now.strftime(DATETIME_FORMAT), self)
        self.time_label.setAccessibleName("Signing time")
        for text, widget in (("&Name:", self.name_edit), ("&Meaning:", self.meaning_combo)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("Time:", self.time_label)
        layout.addLayout(form)
        self.buttons = _buttons(self, "Sign off")
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._on_input_changed)
        self.meaning_combo.currentTextChanged.connect(self._on_input_changed)
        self._on_input_changed()
        self.resize(520, self.sizeHint().height())

    def _state_text(self) -> str:
        """What the signature would cover: unanswered questions and open findings, said plainly."""
        with self.ctx.read() as session:
            summary = next((i for i in list_inspections(session) if i.code == self.code), None)
        if summary is None:
            return ""
        missing = summary.questions_in_scope - summary.questions_answered
        parts = []
        if missing:
            parts.append(f"{missing} of {summary.questions_in_scope} questions in scope are not "
                         "assessed yet")
        if summary.findings_open:
            parts.append(f"{summary.findings_open} finding"
                         f"{'s are' if summary.findings_open != 1 else ' is'} still open")
        if not parts:
            return "✓ Every question in scope is assessed and no finding is open."
        return f"▲ {' and '.join(parts)}. You can still sign off; the packs will show it."

    def _on_input_changed(self, *_args: object) -> None:
        ok = bool(self.name_edit.text().strip() and self.meaning_combo.currentText().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        self.ctx.flush_edits()  # typing still inside its autosave pause is part of the record
        waiting = self.ctx.unsaved.of_inspection(self.code)
        if waiting:  # a signature over answers the file does not hold would mislead
            show_error(self, QmsrError(
                f"Some typing on {self.code} is not saved yet: {'; '.join(waiting)}. Go to "
                "that question to save it (or edit it back), then sign off."))
            return
        try:
            with self.ctx.write("signoff", self.code) as session:
                sign_off(
                    session, self.ctx.actor, self.code,
                    name=self.name_edit.text().strip(),
                    meaning=self.meaning_combo.currentText().strip(),
                )
        except QmsrError as exc:
            show_error(self, exc)
            return
        super().accept()


class ReopenDialog(QDialog):
    """Asks why a signed-off inspection is being reopened; the reason is required and audited."""

    def __init__(self, ctx: AppContext, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = code
        self.setWindowTitle(f"Reopen {code}")
        layout = QVBoxLayout(self)
        label = QLabel(
            f"&Why are you reopening {code}? The reason is kept in the audit trail. "
            f"{REOPEN_IS_FINAL}", self,
        )
        label.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setAccessibleName("Reason for reopening")
        self.reason_edit.setTabChangesFocus(True)
        label.setBuddy(self.reason_edit)
        layout.addWidget(label)
        layout.addWidget(self.reason_edit)
        self.buttons = _buttons(self, "Reopen")
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._on_reason_edit_text_changed)
        self._on_reason_edit_text_changed()
        self.resize(480, 260)

    def _on_reason_edit_text_changed(self) -> None:
        ok = bool(self.reason_edit.toPlainText().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        try:
            with self.ctx.write("signoff", self.code) as session:
                reopen_inspection(
                    session, self.ctx.actor, self.code,
                    reason=self.reason_edit.toPlainText().strip(),
                )
        except QmsrError as exc:
            show_error(self, exc)
            return
        super().accept()
