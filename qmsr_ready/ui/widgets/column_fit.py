"""Table columns that share a narrow window fairly: text columns stretch, the others fit content.

Why: with ``ResizeToContents`` on the short columns and ``Stretch`` on the long ones, a window
1024 logical pixels wide (1280x720 at 125 %) gave Type and Dates their full width and squeezed
Title and Site to "…". Here the short columns fit their content up to a cap, the stretching
columns share what is left but never drop below a floor (the table scrolls sideways instead).

Only the rows on screen are measured (header resize precision 0): Qt's default measured up to
1,000 rows per column on every reload. Scrolling widens a column when a wider row comes into
view, never narrows it, so the columns do not jump about; a reload measures afresh.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView


def text_width(font: QFont, text: str) -> int:
    """What a delegate lays ``text`` out in: the fractional advance rounded up (the whole-pixel
    ``QFontMetrics.horizontalAdvance`` rounds to nearest, a pixel short of the cell's own hint,
    and the column then widened by that pixel when the real text arrived)."""
    return math.ceil(QFontMetricsF(font).horizontalAdvance(text))


class ColumnFitter(QObject):
    """Keeps a table's column widths fitted as its rows and its size change."""

    def __init__(
        self,
        table: QTableView,
        stretch: Iterable[int],
        *,
        floor_chars: int = 18,
        cap_chars: int = 26,
        fixed: dict[int, int] | None = None,
        reserve: dict[int, str] | None = None,
        vocabulary: dict[int, Iterable[str]] | None = None,
        bold: Iterable[int] = (),
    ) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = tuple(stretch)
        chars = table.fontMetrics().averageCharWidth()
        self.floor = floor_chars * chars
        self.cap = cap_chars * chars
        self.fixed = dict(fixed or {})  # column -> width in characters (a chosen width)
        # column -> the widest text it will show: room kept for it while placeholder cells
        # ("…") stand in, so the column does not widen when the real text arrives
        # the delegate's text margins, and the grid line QTableView.sizeHintForColumn adds
        margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        margin += 1 if table.showGrid() else 0
        self.reserved = {c: text_width(table.font(), text) + margin
                         for c, text in (reserve or {}).items()}
        # column -> the few words its cells can show (a status, a class): sized from the widest
        # word, its cells never measured (measuring is a delegate size hint per cell on screen)
        # Its words are short and whole words say what a cell means ("Awaiting verification",
        # "⚠ Overdue"): such a column is never capped, the stretching columns take what is left.
        # ``bold``: columns whose cells may be bold (an overdue due date), measured in bold.
        bold_font = QFont(table.font())
        bold_font.setBold(True)
        bold = frozenset(bold)
        self.known = {
            c: max((text_width(bold_font if c in bold else table.font(), w) for w in words),
                   default=0) + margin
            for c, words in (vocabulary or {}).items()
        }
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(0)  # sizeHintForColumn: the rows on screen only
        self._widest: dict[int, int] = {}  # column -> widest content seen since the last reload
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.fit)
        table.viewport().installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(self._reload)
        for signal in (model.rowsInserted, model.rowsRemoved):
            signal.connect(self._later)
        table.verticalScrollBar().valueChanged.connect(self._later)
        self.fit()

    def _reload(self, *_args: object) -> None:
        self._widest.clear()
        self._later()

    def _later(self, *_args: object) -> None:
        self._timer.start(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._later()
        return False

    def content_width(self, column: int) -> int:
        """What the column needs: its header and its widest visible cell, with a little air."""
        header = self.table.horizontalHeader()
        if column in self.fixed:
            return self.fixed[column] * self.table.fontMetrics().averageCharWidth()
        measured = self.known.get(column)
        if measured is None:
            measured = self.table.sizeHintForColumn(column)
        wanted = max(header.sectionSizeHint(column), measured, self.reserved.get(column, 0)) + 4
        wanted = self._widest[column] = max(wanted, self._widest.get(column, 0))
        return min(wanted, self.cap) if column not in self.stretch and column not in self.known \
            else wanted

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        widths = {c: self.content_width(c) for c in columns}
        stretch = [c for c in self.stretch if c in widths]
        # On a wide screen the cap is not needed: lift it while the stretching columns still
        # get all they want ("Awaiting verification" whole at 1920, capped at 1366).
        spare = self.table.viewport().width() - sum(widths.values())
        for c in columns:
            extra = self._widest.get(c, 0) - widths[c]
            if c not in stretch and c not in self.fixed and 0 < extra <= spare:
                widths[c] += extra
                spare -= extra
        rest = self.table.viewport().width() - sum(w for c, w in widths.items()
                                                   if c not in stretch)
        if stretch:
            wanted = sum(widths[c] for c in stretch)
            for c in stretch:  # share what is left in proportion to need, never below the floor
                share = rest * widths[c] // wanted if wanted else rest // len(stretch)
                floor = max(min(self.floor, widths[c]), header.sectionSizeHint(c))
                widths[c] = max(floor, share)  # the header stays whole ("What was asked")
        for c, width in widths.items():
            if header.sectionSize(c) != width:
                header.resizeSection(c, width)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
