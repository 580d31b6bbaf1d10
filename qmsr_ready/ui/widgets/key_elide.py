"""An item delegate that keeps a row's ID whole and elides only the text after it.

Why: the checklist tree shows "PS-03-Q02  Is the ...". Eliding the whole string on the right
cut the ID itself at 125 % ("PS-…"), and the ID is what people navigate by.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

SEPARATOR = "  "  # between the key and the text, as the checklist model writes it


def elide_after_key(
    text: str, width: int, measure: Callable[[str], int], cut: Callable[[str, int], str]
) -> str:
    """``text`` fitted to ``width``: the part after the key is elided first, the key last.

    ``measure`` gives a string's width; ``cut`` elides a string on the right to a width.
    """
    if measure(text) <= width:
        return text
    if SEPARATOR not in text:
        return cut(text, width)
    key, rest = text.split(SEPARATOR, 1)
    room = width - measure(key + SEPARATOR)
    if room < measure("…M"):
        return key if measure(key) <= width else cut(key, width)
    return key + SEPARATOR + cut(rest, room)


class KeyElideDelegate(QStyledItemDelegate):
    """Paints column ``column`` with :func:`elide_after_key`; other columns as usual."""

    def __init__(self, column: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.column = column

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        if index.column() != self.column:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        metrics = opt.fontMetrics
        opt.text = elide_after_key(
            opt.text, text_rect.width() - 2 * margin, metrics.horizontalAdvance,
            lambda s, w: metrics.elidedText(s, Qt.TextElideMode.ElideRight, w),
        )
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
