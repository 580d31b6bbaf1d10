"""The "Columns" menu of a table's header: show or hide each column, kept per user.

Right-click the header (or the rows), press the context-menu key on the table, or call
``popup`` (a View menu entry): one checkable entry per column, then "Show all columns" and
"Reset to default". The choice is saved in ``AppSettings`` under the table's key, by header text
(a column added later starts at its default), and restored when the chooser is made.

With a ``ColumnFitter`` the fitter owns the columns' visibility: optional columns give way on a
narrow window unless the user chose to show them (they are "pinned": the table scrolls instead);
a column the user hid stays hidden. The menu names a column that gave way "(hidden to fit)".

The list is never left sorted by a column that is not shown (no arrow anywhere, an order the
user cannot see): when the sort column is hidden, by the user or to fit, the table sorts by
``default_sort`` (the code, ascending), visibly; when the column comes back nothing re-sorts.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.widgets.column_fit import ColumnFitter

HIDDEN_TO_FIT = "hidden to fit"


class ColumnChooser(QObject):
    """Lets the user choose a table's columns; keeps the choice in the settings."""

    choice_changed = Signal()

    def __init__(
        self,
        table: QTableView,
        settings: AppSettings,
        key: str,
        *,
        locked: Iterable[int] = (0,),
        fitter: ColumnFitter | None = None,
        default_sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder),
    ) -> None:
        super().__init__(table)
        self.table = table
        self.settings = settings
        self.key = key  # the table's name in the settings ("home")
        self.locked = frozenset(locked)  # columns that cannot be hidden (the code)
        self.fitter = fitter
        self.default_sort = default_sort  # the sort when the sort column is hidden
        self._choice = {name: shown for name, shown in settings.column_choice(key).items()
                        if name in self.names()}
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        # The context-menu key (or a right-click) on the table's rows opens it too. Not through
        # an event filter on the table: while a table is destroyed Qt still sends it events
        # (ChildRemoved), and a Python filter whose wrapper PySide has already let go crashes.
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        if fitter is not None:  # a column that gives way to fit may be the sort column
            fitter.auto_hidden_changed.connect(self._on_fitter_auto_hidden_changed)
        self._apply()

    # -- the choice ---------------------------------------------------------------------------
    def names(self) -> list[str]:
        """The header text of every column, by logical index."""
        model = self.table.model()
        return [str(model.headerData(c, Qt.Orientation.Horizontal,
                                     Qt.ItemDataRole.DisplayRole))
                for c in range(model.columnCount())]

    def choice(self) -> dict[str, bool]:
        """What the user chose: header text -> shown; a column not named follows the default."""
        return dict(self._choice)

    def set_shown(self, column: int, shown: bool) -> None:
        """The user shows (and pins) or hides ``column``; a locked column is always shown."""
        if column in self.locked:
            return
        name = self.names()[column]
        optional = self.fitter is not None and column in self.fitter.optional
        if shown and not optional:
            self._choice.pop(name, None)  # shown is its default: nothing to remember
        else:
            self._choice[name] = shown
        self._save()

    def show_all(self) -> None:
        """Every column shown, the optional ones too (the table scrolls if it must)."""
        optional = self.fitter.optional if self.fitter is not None else ()
        self._choice = {self.names()[c]: True for c in optional}
        self._save()

    def reset(self) -> None:
        """Back to the default: every column shown, the optional ones giving way to fit."""
        self._choice = {}
        self._save()

    def _save(self) -> None:
        self.settings.set_column_choice(self.key, self._choice)
        self._apply()
        self.choice_changed.emit()

    def _apply(self) -> None:
        names = self.names()
        hidden = [c for c, name in enumerate(names)
                  if self._choice.get(name) is False and c not in self.locked]
        if self.fitter is not None:
            pinned = [c for c, name in enumerate(names) if self._choice.get(name)]
            self.fitter.set_choice(hidden=hidden, pinned=pinned)
            self._sort_by_a_shown_column()
            return
        header = self.table.horizontalHeader()
        for c in range(len(names)):
            header.setSectionHidden(c, c in hidden)
        self._sort_by_a_shown_column()

    def _sort_by_a_shown_column(self) -> None:
        sort_by_a_shown_column(self.table, self.default_sort)

    # -- the menu -----------------------------------------------------------------------------
    def menu(self) -> QMenu:
        """A fresh "Columns" menu showing the current choice (the caller shows or drops it)."""
        menu = QMenu("Columns", self.table)
        menu.setObjectName("columnsMenu")
        menu.setAccessibleName("Columns")
        menu.setToolTipsVisible(True)
        header = self.table.horizontalHeader()
        auto = set(self.fitter.auto_hidden) if self.fitter is not None else set()
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            name = self.names()[column]
            action = QAction(f"{name} ({HIDDEN_TO_FIT})" if column in auto else name, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            if column in self.locked:
                action.setEnabled(False)
                action.setToolTip("Always shown: it names the row")
            elif column in auto:
                action.setToolTip("Hidden because the window is too narrow; tick it to keep it "
                                  "shown (the list then scrolls sideways)")
            action.toggled.connect(lambda shown, c=column: self.set_shown(c, shown))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Show all columns", self.show_all)
        menu.addAction("Reset to default", self.reset)
        return menu

    def popup(self, at: QPoint | None = None) -> QMenu:
        """Show the menu at ``at`` (global), or under the header's left end (keyboard)."""
        header = self.table.horizontalHeader()
        menu = self.menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(at if at is not None else header.mapToGlobal(QPoint(0, header.height())))
        first = next((a for a in menu.actions() if a.isEnabled()), None)
        if first is not None:  # the keyboard starts on an entry, not on nothing
            menu.setActiveAction(first)
        return menu

    def _on_fitter_auto_hidden_changed(self) -> None:
        self._sort_by_a_shown_column()

    def _on_header_context_menu_requested(self, pos: QPoint) -> None:
        self.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        self.popup(self.table.viewport().mapToGlobal(pos))  # a scroll area maps to its viewport


def sort_by_a_shown_column(table: QTableView, default: tuple[int, Qt.SortOrder]) -> None:
    """Sort by ``default`` (shown, with its arrow) when ``table`` is sorted by a column now
    hidden: a list must never be in an order nobody can see. Any view that hides columns
    calls it after hiding one."""
    header = table.horizontalHeader()
    section = header.sortIndicatorSection()
    column, order = default
    if (table.isSortingEnabled() and 0 <= section < header.count()
            and header.isSectionHidden(section) and not header.isSectionHidden(column)):
        table.sortByColumn(column, order)
