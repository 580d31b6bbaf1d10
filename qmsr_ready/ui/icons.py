"""Icons from the shipped SVGs, tinted to the palette and rendered crisp at any scale factor.

Line icons use ``currentColor`` so they follow the light or dark palette; status icons carry their
own (colour-blind-safe) colours from ``ui.presentation``.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
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


class _TintedSvgEngine(QIconEngine):
    """Renders the SVG only at the sizes (and scale) actually asked for, then keeps them.

    Why: drawing every icon at eight sizes in two modes up front cost ~0.18 s before the
    first paint; most of those pixmaps were never shown.
    """

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._renderer: QSvgRenderer | None = None  # parsed on the first render
        self._pixmaps: dict[tuple[int, int, bool, float], QPixmap] = {}

    def _render(self, size: QSize, mode: QIcon.Mode, scale: float) -> QPixmap:
        disabled = mode == QIcon.Mode.Disabled
        key = (size.width(), size.height(), disabled, scale)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        width, height = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        pixmap = QPixmap(QSize(width, height))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._renderer is None:
            self._renderer = QSvgRenderer(QByteArray(self._svg))
        side = min(width, height)  # square icons, centred in a non-square request
        self._renderer.render(
            painter, QRectF((width - side) / 2, (height - side) / 2, side, side)
        )
        painter.end()
        if disabled:
            tint = QPainter(pixmap)
            tint.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            tint.fillRect(pixmap.rect(), QColor(128, 128, 128, 140))
            tint.end()
        pixmap.setDevicePixelRatio(scale)
        self._pixmaps[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return QPixmap(self._render(size, mode, 1.0))

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        return QPixmap(self._render(size, mode, float(scale) or 1.0))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self._render(rect.size(), mode, scale))

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(size, size) for size in _SIZES]

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._svg)


@cache
def _icon_for(name: str, color: str) -> QIcon:
    return QIcon(_TintedSvgEngine(_svg_source(name).replace("currentColor", color).encode("utf-8")))


def icon(name: str) -> QIcon:
    """The named icon (see ``ICON_NAMES``), tinted for the current palette."""
    if name not in ICON_NAMES:
        raise KeyError(f"unknown icon {name!r}")
    return _icon_for(name, _text_color())


def clear_cache() -> None:
    """Forget rendered icons (call when the palette switches between light and dark)."""
    _icon_for.cache_clear()
