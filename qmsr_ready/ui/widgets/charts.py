"""Small painted charts for the dashboard (QtCharts is not part of PySide6-Essentials).

Each chart paints from plain values with palette colours for text and grid, so it follows light
and dark themes, and exposes its numbers as an accessible description and tooltip: a colour is
never the only way to read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from qmsr_ready.ui.presentation import GREY


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value (``None`` = nothing to show) and how to draw it."""

    label: str
    value: float | None
    color: str
    caption: str = ""  # text drawn at the end of the bar, e.g. "82% · coverage 40%"
    secondary: float | None = None  # optional thin bar beneath (e.g. coverage), same scale


def _text_color(widget: QWidget, muted: bool = False) -> QColor:
    role = QPalette.ColorRole.PlaceholderText if muted else QPalette.ColorRole.WindowText
    return widget.palette().color(role)


class HorizontalBarChart(QWidget):
    """Labelled horizontal bars on a 0..maximum scale (readiness per area)."""

    ROW_HEIGHT = 30

    def __init__(self, title: str, maximum: float = 100.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._maximum = maximum
        self._bars: tuple[Bar, ...] = ()
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = tuple(bars)
        summary = "; ".join(f"{b.label}: {b.caption or '—'}" for b in self._bars)
        self.setAccessibleDescription(summary)
        self.setToolTip(summary.replace("; ", "\n"))
        self.updateGeometry()
        self.update()

    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def sizeHint(self) -> QSize:
        return QSize(420, 28 + self.ROW_HEIGHT * max(1, len(self._bars)))

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 28 + self.ROW_HEIGHT * max(1, len(self._bars)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text = _text_color(self)
        muted = _text_color(self, muted=True)
        label_width = min(
            max((metrics.horizontalAdvance(b.label) for b in self._bars), default=40) + 12,
            int(self.width() * 0.42),
        )
        caption_width = max((metrics.horizontalAdvance(b.caption) for b in self._bars),
                            default=0) + 12
        left = label_width
        right = max(left + 40, self.width() - caption_width)
        span = right - left
        top = 4
        # Grid lines at 0, 50, 100 %.
        painter.setPen(QPen(muted, 1, Qt.PenStyle.DotLine))
        bottom = top + self.ROW_HEIGHT * max(1, len(self._bars))
        for fraction in (0.0, 0.5, 1.0):
            x = left + span * fraction
            painter.drawLine(int(x), top, int(x), bottom)
        for i, bar in enumerate(self._bars):
            y = top + i * self.ROW_HEIGHT
            painter.setPen(text)
            label_rect = QRectF(0, y, label_width - 8, self.ROW_HEIGHT)
            elided = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
            painter.drawText(label_rect, align, elided)
            bar_h = self.ROW_HEIGHT * 0.45
            if bar.value is not None:
                width = span * max(0.0, min(bar.value, self._maximum)) / self._maximum
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(bar.color))
                painter.drawRoundedRect(QRectF(left, y + 4, max(width, 2), bar_h), 3, 3)
            if bar.secondary is not None:
                width = span * max(0.0, min(bar.secondary, self._maximum)) / self._maximum
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(GREY))
                painter.drawRect(QRectF(left, y + 6 + bar_h, max(width, 1), 4))
            painter.setPen(text if bar.value is not None else muted)
            painter.drawText(QRectF(right + 8, y, caption_width, self.ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             bar.caption or "—")
        painter.end()


class ColumnChart(QWidget):
    """Vertical bars with counts (open findings by age)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._bars: tuple[Bar, ...] = ()
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self._bars = tuple(bars)
        summary = "; ".join(f"{b.label}: {b.caption}" for b in self._bars)
        self.setAccessibleDescription(summary)
        self.setToolTip(summary.replace("; ", "\n"))
        self.update()

    def bars(self) -> tuple[Bar, ...]:
        return self._bars

    def sizeHint(self) -> QSize:
        return QSize(320, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 150)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text = _text_color(self)
        muted = _text_color(self, muted=True)
        line = metrics.height()
        n = max(1, len(self._bars))
        top, bottom = line + 8, self.height() - line - 8
        slot = self.width() / n
        peak = max((b.value or 0 for b in self._bars), default=0) or 1
        painter.setPen(QPen(muted, 1))
        painter.drawLine(0, int(bottom), self.width(), int(bottom))
        for i, bar in enumerate(self._bars):
            x = i * slot
            height = (bottom - top) * (bar.value or 0) / peak
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bar.color))
            width = slot * 0.56
            painter.drawRoundedRect(
                QRectF(x + (slot - width) / 2, bottom - height, width, max(height, 1)), 3, 3
            )
            painter.setPen(text)
            painter.drawText(QRectF(x, bottom - height - line - 4, slot, line),
                             Qt.AlignmentFlag.AlignCenter, bar.caption)
            painter.drawText(QRectF(x, bottom + 4, slot, line), Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(slot)))
        painter.end()
