"""Table columns that share a narrow window fairly: text columns stretch, the others fit content.

Why: with ``ResizeToContents`` on the short columns and ``Stretch`` on the long ones, a window
1024 logical pixels wide (1280x720 at 125 %) gave Type and Dates their full width and squeezed
Title and Site to "…". Here the short columns fit their content up to a cap, the stretching
columns share what is left but never drop below a floor (the table scrolls sideways instead).

Only the rows on screen are measured (header resize precision 0): Qt's default measured up to
1,000 rows per column on every reload. Scrolling widens a column when a wider row comes into
view, never narrows it, so the columns do not jump about; a reload measures afresh.

Optional columns give way on a narrow window: when the stretching columns would fall below their
floor, the optional columns are hidden, the last named first, until the rest fits; they come back
when there is room. A column the user chose to show (``set_choice(pinned=…)``) never gives way
(the table scrolls instead), and one they chose to hide stays hidden. ``auto_hidden`` says which
columns gave way, so the view can say so rather than let them disappear silently.

When no stretching column is shown (the user hid them), the last column on screen takes the spare
width, so no empty strip is left at the right of the header and the rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionHeader, QTableView


def text_width(font: QFont, text: str) -> int:
    """What a delegate lays ``text`` out in: the fractional advance rounded up (the whole-pixel
    ``QFontMetrics.horizontalAdvance`` rounds to nearest, a pixel short of the cell's own hint,
    and the column then widened by that pixel when the real text arrived)."""
    return math.ceil(QFontMetricsF(font).horizontalAdvance(text))


class ColumnFitter(QObject):
    """Keeps a table's column widths fitted as its rows and its size change."""

    auto_hidden_changed = Signal()  # the columns that gave way to fit changed

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
        optional: Sequence[int] = (),
    ) -> None:
        super().__init__(table)
        self.table = table
        self.stretch = tuple(stretch)
        self.optional = tuple(optional)  # in order of need: the last gives way first
        self._pinned: frozenset[int] = frozenset()  # the user chose to show: never give way
        self._user_hidden: frozenset[int] = frozenset()  # the user chose to hide
        self._auto: tuple[int, ...] = ()  # optional columns hidden now to fit
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
        self._header: dict[int, int] = {}  # column -> its header's width, kept while hidden
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

    def header_width(self, column: int) -> int:
        """What the column's header needs, also while the column is hidden (Qt says 0 then):
        the width it last asked for when shown, or the style's measure of its text."""
        header = self.table.horizontalHeader()
        if not header.isSectionHidden(column):
            self._header[column] = header.sectionSizeHint(column)
        elif column not in self._header:
            option = QStyleOptionHeader()
            option.initFrom(header)
            option.section = column
            option.text = str(self.table.model().headerData(column, Qt.Orientation.Horizontal))
            if header.isSortIndicatorShown():
                option.sortIndicator = QStyleOptionHeader.SortIndicator.SortDown
            self._header[column] = header.style().sizeFromContents(
                QStyle.ContentsType.CT_HeaderSection, option, QSize(), header).width()
        return self._header[column]

    def content_width(self, column: int) -> int:
        """What the column needs: its header and its widest visible cell, with a little air."""
        if column in self.fixed:
            return self.fixed[column] * self.table.fontMetrics().averageCharWidth()
        measured = self.known.get(column)
        if measured is None:
            measured = self.table.sizeHintForColumn(column)
        wanted = max(self.header_width(column), measured, self.reserved.get(column, 0)) + 4
        wanted = self._widest[column] = max(wanted, self._widest.get(column, 0))
        return min(wanted, self.cap) if column not in self.stretch and column not in self.known \
            else wanted

    @property
    def auto_hidden(self) -> tuple[int, ...]:
        """The optional columns hidden now because the window is too narrow for them."""
        return self._auto

    def set_choice(self, *, hidden: Iterable[int] = (), pinned: Iterable[int] = ()) -> None:
        """The user's choice: ``hidden`` columns stay hidden, ``pinned`` ones never give way."""
        header = self.table.horizontalHeader()
        hidden = frozenset(hidden)
        for c in self._user_hidden - hidden:
            header.setSectionHidden(c, False)
        for c in hidden:
            header.setSectionHidden(c, True)
        self._user_hidden = hidden
        self._pinned = frozenset(pinned) - hidden
        self._auto = tuple(c for c in self._auto if c not in hidden)
        self.fit()

    def _floor_of(self, column: int, width: int) -> int:
        """The least a stretching column gets: its floor (or its content, if less), and never
        less than its header ("What was asked")."""
        return max(min(self.floor, width), self.header_width(column))

    def _give_way(self, widths: dict[int, int]) -> tuple[int, ...]:
        """The optional columns to hide so the rest fit with the stretching columns at their
        floor (none when they fit as they are), the last named first."""
        room = self.table.viewport().width()

        def needed(columns: Iterable[int]) -> int:
            return sum(self._floor_of(c, widths[c]) if c in self.stretch else widths[c]
                       for c in columns)

        shown = set(widths)
        gone: list[int] = []
        for c in reversed(self.optional):
            if needed(shown) <= room:
                break
            if c in shown and c not in self._pinned:
                shown.discard(c)
                gone.append(c)
        return tuple(gone)

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        columns = [c for c in range(header.count()) if c not in self._user_hidden
                   and (not header.isSectionHidden(c) or c in self._auto)]
        widths = {c: self.content_width(c) for c in columns}
        if self.optional:
            # A table not on screen has no real width yet: nothing gives way until it is shown.
            auto = self._give_way(widths) if self.table.isVisible() else \
                tuple(c for c in self._auto if c in widths)
            for c in self.optional:
                if c in widths and header.isSectionHidden(c) != (c in auto):
                    header.setSectionHidden(c, c in auto)
            for c in auto:
                del widths[c]
            if auto != self._auto:
                self._auto = auto
                self.auto_hidden_changed.emit()
        columns = list(widths)
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
            floors = {c: self._floor_of(c, widths[c]) for c in stretch}
            above = sum(widths[c] - floors[c] for c in stretch)
            for c in stretch:
                if rest >= wanted or not above:  # room for all: share it in proportion to need
                    share = rest * widths[c] // wanted if wanted else rest // len(stretch)
                else:  # each its floor, then what is left in proportion to need above it
                    extra = max(0, rest - sum(floors.values()))
                    share = floors[c] + extra * (widths[c] - floors[c]) // above
                widths[c] = max(floors[c], share)
        elif widths and rest > 0:
            # Nothing stretches (the user hid Title and Site): the last column on screen takes
            # the spare width, or an empty strip is left at the right of the header and rows.
            last = max(widths, key=header.visualIndex)
            widths[last] += rest
        for c, width in widths.items():
            if header.sectionSize(c) != width:
                header.resizeSection(c, width)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
