"""Summary cards in one row when the window is wide, in two or three rows when it is not.

Why: six cards in an ``QHBoxLayout`` asked for more than 1024 logical pixels (1280x720 at 125 %),
so the dashboard scrolled sideways with the last card ("Overdue actions") cut off.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLayout, QWidget


class CardGrid(QWidget):
    """Lays its cards out in as many equal columns as fit (all, half, a third of them)."""

    def __init__(self, cards: Sequence[QWidget], spacing: int, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._cards = tuple(cards)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(spacing)
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._columns = 0
        self._arrange(len(self._cards))

    def columns(self) -> int:
        return self._columns

    def _cell_width(self) -> int:
        return max(card.minimumSizeHint().width() for card in self._cards)

    def _fitting_columns(self, width: int) -> int:
        count = len(self._cards)
        for columns in (count, (count + 1) // 2, (count + 2) // 3):
            need = columns * self._cell_width() + (columns - 1) * self._grid.spacing()
            if need <= width:
                return columns
        return max(1, (count + 2) // 3)

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for card in self._cards:
            self._grid.removeWidget(card)
        for i, card in enumerate(self._cards):
            self._grid.addWidget(card, i // columns, i % columns)
        for c in range(len(self._cards)):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(self._fitting_columns(event.size().width()))
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        """As narrow as three columns allow, so the grid never forces sideways scrolling."""
        columns = max(1, (len(self._cards) + 2) // 3)
        width = columns * self._cell_width() + (columns - 1) * self._grid.spacing()
        return QSize(width, self._grid.minimumSize().height())

    def sizeHint(self) -> QSize:
        return QSize(self._grid.sizeHint().width(), self._grid.sizeHint().height())
