"""A plain-text box that saves itself: after a pause in typing, on focus-out, or on demand.

There is no Save button anywhere in the checklist; this is what makes that safe. The owner
listens to ``committed`` and records the text through an undoable command.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

AUTOSAVE_DELAY_MS = 600


class AutosaveTextEdit(QPlainTextEdit):
    """Emits ``committed(text)`` once typing pauses, on focus-out and on :meth:`flush`."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None, delay_ms: int = AUTOSAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self._saved_text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._on_self_text_changed)
        self.setTabChangesFocus(True)  # Tab moves on, as in a form; keyboard users rely on it

    @property
    def dirty(self) -> bool:
        return self.toPlainText() != self._saved_text

    def set_saved_text(self, text: str) -> None:
        """Show stored text without treating it as an edit."""
        self._timer.stop()
        self._saved_text = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def keep_unsaved(self, stored: str) -> None:
        """The save of the text on screen was refused: it is unsaved again (``stored`` is what
        the file holds), and the next flush tries again."""
        self._timer.stop()
        self._saved_text = stored

    def forget_edit(self) -> None:
        """Count the text on screen as saved without saving it: its refused save is kept
        elsewhere (``ctx.unsaved``), or the user chose to go on without it."""
        self._timer.stop()
        self._saved_text = self.toPlainText()

    def show_unsaved(self, text: str) -> None:
        """Show ``text``, typed earlier and refused, as unsaved over the stored text shown."""
        self._timer.stop()
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)

    def flush(self) -> None:
        """Commit pending text now (question change, focus-out, closing)."""
        self._timer.stop()
        if self.dirty and not self.isReadOnly():
            self._saved_text = self.toPlainText()
            self.committed.emit(self._saved_text)

    def _on_self_text_changed(self) -> None:
        if not self.isReadOnly():
            self._timer.start()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)
