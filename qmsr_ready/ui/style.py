"""Look and feel: the platform style, the system light/dark palette, and a small spacing QSS.

We do not paint our own theme: Qt follows the system palette (``Fusion`` only where the platform
style would ignore it). Colours with meaning come from ``ui.presentation`` and always travel with a
symbol and a word.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from qmsr_ready.ui.icons import clear_cache

QSS = """
QListView#navigation { border: none; padding: 6px 4px; font-size: 11pt; outline: 0; }
QListView#navigation::item { padding: 8px 10px; border-radius: 6px; color: palette(text); }
QListView#navigation::item:selected {
    background: palette(highlight); color: palette(highlighted-text);
}
QFrame#banner {
    background: rgba(140, 140, 140, 0.18); border-bottom: 1px solid rgba(140, 140, 140, 0.45);
}
QLabel#viewTitle { font-size: 15pt; font-weight: 600; }
QLabel#emptyTitle { font-size: 17pt; font-weight: 600; }
QLabel#emptyText { font-size: 11pt; }
QPushButton#bigButton { padding: 14px 22px; font-size: 11pt; min-width: 16em; }
QTableView { gridline-color: palette(midlight); }
QHeaderView::section { padding: 4px 6px; }
QStatusBar QLabel { padding: 0 6px; }
"""


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text."""
    palette = palette or QGuiApplication.palette()
    return (
        palette.color(QPalette.ColorRole.Window).lightness()
        < palette.color(QPalette.ColorRole.WindowText).lightness()
    )


def apply_style(app: QApplication) -> None:
    """Follow the system colour scheme and add spacing rules; icons re-tint on a scheme switch."""
    if app.platformName() in ("offscreen", "minimal") or app.style().name().lower() == "windows":
        app.setStyle("Fusion")  # the bare styles ignore dark palettes and look dated
    app.setStyleSheet(QSS)
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(_on_color_scheme_changed)


def _on_color_scheme_changed(_scheme: Qt.ColorScheme) -> None:
    clear_cache()
