"""An item delegate that elides a cell's text in the middle, keeping its start and its end.

Why: the sites of one company share their start ("Northbridge Medical — Galway Road plant",
"Northbridge Medical — Athlone …"); cut on the right at a laptop's width both read
"Northbridge M…" and cannot be told apart. The cell's tooltip keeps the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem


class ElideMiddleDelegate(QStyledItemDelegate):
    """Paints its column's text elided in the middle; everything else as the default does."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle
