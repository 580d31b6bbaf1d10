"""Icons from the shipped SVGs, tinted to the palette and rendered crisp at any scale factor.

Line icons use ``currentColor`` so they follow the light or dark palette; status icons carry their
own (colour-blind-safe) colours from ``ui.presentation``.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from qmsr_ready.core.resources import resource_path

ICON_NAMES: tuple[str, ...] = (
    "app", "new", "open", "save", "export", "checklist", "findings", "dashboard", "audit",
    "home", "sign", "reopen", "conforms", "minor", "major", "na", "not-assessed", "warning", "lock",
    "requests",
)  # fmt: skip

_SIZES = (16, 20, 24, 32, 48, 64, 96, 128)


def _text_color() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#333333"
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()


@cache
def _svg_source(name: str) -> str:
    return resource_path("icons", f"{name}.svg").read_text(encoding="utf-8")


@cache
def _icon_for(name: str, color: str) -> QIcon:
    data = QByteArray(_svg_source(name).replace("currentColor", color).encode("utf-8"))
    renderer = QSvgRenderer(data)
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
        disabled = QPixmap(pixmap)
        tint = QPainter(disabled)
        tint.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        tint.fillRect(disabled.rect(), QColor(128, 128, 128, 140))
        tint.end()
        icon.addPixmap(disabled, QIcon.Mode.Disabled)
    return icon


def icon(name: str) -> QIcon:
    """The named icon (see ``ICON_NAMES``), tinted for the current palette."""
    if name not in ICON_NAMES:
        raise KeyError(f"unknown icon {name!r}")
    return _icon_for(name, _text_color())


def clear_cache() -> None:
    """Forget rendered icons (call when the palette switches between light and dark)."""
    _icon_for.cache_clear()
