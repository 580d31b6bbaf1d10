"""A one-line banner above a view: the read-only lock, or a refusal explained in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

_TONES = {
    # Tinted backgrounds stay readable in light and dark palettes; text uses the palette.
    "lock": "background: rgba(140,140,140,0.18); border: 1px solid rgba(140,140,140,0.45);",
    "problem": "background: rgba(213,94,0,0.12); border: 1px solid rgba(213,94,0,0.55);",
}


class LockBanner(QLabel):
    """Hidden while empty; :meth:`show_text` with a message shows it."""

    def __init__(self, parent: QWidget | None = None, tone: str = "lock") -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(f"QLabel {{ {_TONES[tone]} border-radius: 4px; padding: 6px 10px; }}")
        self.setAccessibleName("Read-only notice" if tone == "lock" else "Problem")
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
