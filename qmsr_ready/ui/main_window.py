"""The main window: menus, navigation, the stacked views and the open workspace's lifecycle.

The views are listed once in ``ui/view_keys.py`` (key, title, icon) and their classes imported
directly in ``view_classes`` (after the first paint), so a misspelt or broken view fails loudly
at start-up and in the tests instead of turning into a placeholder page.

With ``deferred=True`` (the app's start-up) the window first shows an "Opening…" page and emits
``first_painted``; ``finish_startup()`` then builds the views, which is where SQLAlchemy and the
rest of core get imported. This module imports nothing from core that pulls them in.

Menus are built by ``_build_menus`` from small per-menu lists: add an action to the list of its
menu (``self.menus["file"]`` etc. are kept for later additions).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import QmsrError, WorkspaceLocked
from qmsr_ready.ui.actions import Actions, build_actions
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.errors import show_error
from qmsr_ready.ui.icons import icon
from qmsr_ready.ui.view_keys import VIEW_KEYS, VIEW_REGISTRY

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.core.views.home_fast import FastInspectionLine
    from qmsr_ready.ui.exchange_ops import ExchangeOps
    from qmsr_ready.ui.inspection_ops import InspectionOps

log = logging.getLogger(__name__)

# Kept equal to core.db.WORKSPACE_SUFFIX (tests/ui/test_shell_layout.py checks) without importing
# core.db, which loads SQLAlchemy and Alembic before the first paint.
WORKSPACE_SUFFIX = ".qmsr"
BANNER_MARGIN = 12
# The window's first size: this share of the available screen, within these bounds.
SCREEN_SHARE = 0.9
DEFAULT_SIZE = QSize(1440, 960)
MINIMUM_SIZE = QSize(800, 500)  # 1280x720 at 125 % leaves about 1024x540 to work with


WORKSPACE_FILTER = f"QMSR Ready workspaces (*{WORKSPACE_SUFFIX});;All files (*)"
ViewFactory = Callable[[AppContext, QWidget], QWidget]  # every view is ``View(ctx, parent)``


def view_classes() -> dict[str, ViewFactory]:
    """The class of each view by key (imported here, after the first paint: they load core)."""
    from qmsr_ready.ui.views.audit_view import AuditView
    from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView
    from qmsr_ready.ui.views.dashboard import DashboardView
    from qmsr_ready.ui.views.findings_register import FindingsRegisterView
    from qmsr_ready.ui.views.home import HomeView
    from qmsr_ready.ui.views.requests_view import RequestsView

    classes: dict[str, ViewFactory] = {
        "home": HomeView,
        "checklist": ChecklistRunnerView,
        "findings": FindingsRegisterView,
        "dashboard": DashboardView,
        "audit": AuditView,
        "requests": RequestsView,
    }
    if tuple(classes) != VIEW_KEYS:  # a view added to one list and not the other
        raise RuntimeError(f"view classes {tuple(classes)} do not match VIEW_KEYS {VIEW_KEYS}")
    return classes


def initial_geometry(available: QRect) -> QRect:
    """The first window rectangle on a screen: a share of it, centred, never off-screen."""
    width = min(DEFAULT_SIZE.width(), max(MINIMUM_SIZE.width(),
                                          round(available.width() * SCREEN_SHARE)))
    height = min(DEFAULT_SIZE.height(), max(MINIMUM_SIZE.height(),
                                            round(available.height() * SCREEN_SHARE)))
    width, height = min(width, available.width()), min(height, available.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


class ViewStack(QStackedWidget):
    """A stack whose minimum size is its current view's, not the largest view's.

    Why: QStackedWidget asks for the widest page's minimum, so one wide view made every view
    (and the window) wider than a 1024-pixel-wide laptop window allows.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else QSize(0, 0)


class OpeningPage(QWidget):
    """What the window shows between its first paint and the views being ready."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.label = QLabel("Opening…", self)
        self.label.setObjectName("openingLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAccessibleName("Opening")
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.label.setFont(font)
        layout.addWidget(self.label)


class MainWindow(QMainWindow):
    """Hosts the views for the workspace held by ``ctx``."""

    first_painted = Signal()  # once, after the window's first paint (deferred start-up)
    # The menu and toolbar actions by key (not ``actions``: that would hide QWidget.actions()).
    menu_actions: Actions

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, deferred: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = ctx.settings
        self._ops: InspectionOps | None = None
        self._exchange: ExchangeOps | None = None
        self._painted = False
        self.started = False
        self._reopen_offered: Workspace | None = None  # asked once per replaced workspace
        self.views: dict[str, QWidget] = {}
        self.setWindowIcon(icon("app"))
        self.setWindowTitle("QMSR Ready")
        self.setMinimumSize(MINIMUM_SIZE)
        self.menu_actions = build_actions(self, self._handlers())
        self._build_undo_actions()
        self._build_shell()
        self._build_menus()
        self._build_status_bar()
        self._place_on_screen()
        if not deferred:
            self.finish_startup()

    def _place_on_screen(self) -> None:
        """Size from the available screen first, then restore the user's last geometry."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(initial_geometry(screen.availableGeometry()))
        if not self.settings.geometry().isEmpty():
            self.restoreGeometry(self.settings.geometry())

    @property
    def ops(self) -> InspectionOps:
        """Inspection operations (created on first use: it imports the services)."""
        if self._ops is None:
            from qmsr_ready.ui.inspection_ops import InspectionOps

            self._ops = InspectionOps(self.ctx, self)
        return self._ops

    @property
    def exchange(self) -> ExchangeOps:
        """Import workbook / merge workspace (created on first use, like ``ops``)."""
        if self._exchange is None:
            from qmsr_ready.ui.exchange_ops import ExchangeOps

            self._exchange = ExchangeOps(self.ctx, self)
        return self._exchange

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Queued: the paint finishes (and reaches the screen) before the heavy work starts.
            QTimer.singleShot(0, self.first_painted.emit)

    def finish_startup(self) -> None:
        """Build the views and connect to the context (idempotent)."""
        if self.started:
            return
        self.started = True
        self.status_workspace.setText("Opening…")
        self._build_views()
        ctx = self.ctx
        ctx.workspace_changed.connect(self._on_ctx_workspace_changed)
        ctx.current_inspection_changed.connect(self._on_ctx_current_inspection_changed)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.evidence_purged.connect(lambda text: self.statusBar().showMessage(text, 15000))
        ctx.workspace_replaced.connect(self._on_ctx_workspace_replaced)
        from qmsr_ready.ui.change_watch import ChangeWatch

        # Others' saves on a server (or in a file this window only reads) refresh the views.
        self.change_watch = ChangeWatch(ctx, self)
        self.change_watch.others_changed.connect(
            lambda text: self.statusBar().showMessage(text, 10000)
        )
        self.show_view("home")
        self._refresh_chrome()

    # -- construction -----------------------------------------------------------------------
    def _handlers(self) -> dict[str, Callable[[], object]]:
        handlers: dict[str, Callable[[], object]] = {
            "new_workspace": self.new_workspace,
            "open_workspace": self.choose_workspace,
            "connect_server": self.connect_server,
            "backup": self.backup_workspace,
            "close_workspace": self.close_workspace,
            "quit": self.close,
            "display_name": lambda: self.ops.change_display_name(),
            "import_template": lambda: self.ops.import_template(),
            "new_inspection": self.new_inspection,
            "sign_off": lambda: self.ops.sign_off(),
            "reopen": lambda: self.ops.reopen(),
            "export": lambda: self.ops.export(),
            "import_workbook": lambda: self.exchange.import_workbook(),
            "merge_workspace": lambda: self.exchange.merge_workspace(),
            "merge_server": lambda: self.exchange.merge_from_server(),
            "about": self._show_about,
            "home_columns": self._choose_home_columns,
        }
        for key in VIEW_KEYS:
            handlers[f"view_{key}"] = partial(self.show_view, key)
        return handlers

    def _build_undo_actions(self) -> None:
        stack = self.ctx.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setObjectName("action_undo")
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        self.redo_action.setObjectName("action_redo")

    def _build_shell(self) -> None:
        """Banner, navigation and an empty stack: cheap, so the first paint comes early."""
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.ctx.read_only_notice_shown = True  # the banner below says it for every view
        self.banner = QFrame(central)
        self.banner.setObjectName("banner")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(BANNER_MARGIN, 6, BANNER_MARGIN, 6)
        self.banner_icon = QLabel(self.banner)
        self.banner_icon.setPixmap(icon("lock").pixmap(18, 18))
        self.banner_label = QLabel(self.banner)
        self.banner_label.setWordWrap(True)
        self.banner_label.setAccessibleName("Read-only notice")
        banner_layout.addWidget(self.banner_icon)
        banner_layout.addWidget(self.banner_label, 1)
        self.banner.hide()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Views")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(150)  # fits "Audit trail"; leaves room on a 1024 px-wide window
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.stack = ViewStack(central)
        self.opening_page = OpeningPage(self.stack)
        self.stack.addWidget(self.opening_page)
        for entry in VIEW_REGISTRY:
            item = QListWidgetItem(icon(entry.icon), entry.title, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            keys = self.menu_actions[f"view_{entry.key}"].shortcut().toString()
            item.setToolTip(f"{entry.title} ({keys})")
        self.nav.setEnabled(False)
        body.addWidget(self.nav)
        separator = QFrame(central)
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        body.addWidget(separator)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

    def show_home_preview(self, lines: Sequence[FastInspectionLine]) -> None:
        """Before the views are built: show the home list from the start-up read, painted now.

        Only the home view is built (its module loads no SQLAlchemy); ``finish_startup`` keeps it
        and the workspace's full read replaces the lines in place, so nothing flickers.
        """
        if self.started or "home" in self.views:
            return
        from qmsr_ready.ui.views.home import HomeView

        home = HomeView(self.ctx, self.stack)
        home.setObjectName("view_home")
        home.show_preview(lines)
        self.views["home"] = home
        self.stack.addWidget(home)
        self.stack.setCurrentWidget(home)
        # Lay out and fit the columns now, then paint: the heavy imports that follow block the
        # event loop, and the full list must not jump in width when it replaces these lines.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        home.column_fit.fit()
        self.repaint()

    def end_home_preview(self) -> None:
        """The start-up open is over; a list it did not replace (the open failed) is dropped."""
        from qmsr_ready.ui.views.home import HomeView

        home = self.views.get("home")
        if isinstance(home, HomeView):
            home.end_preview()

    def _build_views(self) -> None:
        classes = view_classes()
        built = dict(self.views)  # the home view, when the start-up list was shown
        self.views.clear()
        for entry in VIEW_REGISTRY:
            early = built.get(entry.key)
            view = early if early is not None else classes[entry.key](self.ctx, self.stack)
            view.setObjectName(f"view_{entry.key}")
            self.views[entry.key] = view
            if entry.key not in built:  # home comes first, so an early home keeps its place
                self.stack.addWidget(view)
        self.stack.removeWidget(self.opening_page)
        self.opening_page.deleteLater()
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.nav.setEnabled(True)
        self._connect_home(self.views["home"])

    def _build_menus(self) -> None:
        a = self.menu_actions
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.menus: dict[str, QMenu] = {"file": file_menu}
        file_menu.addActions([a.new_workspace, a.open_workspace, a.connect_server])
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.setObjectName("menu_recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addActions([a.backup, a.close_workspace])
        file_menu.addSeparator()
        file_menu.addActions([a.import_workbook, a.merge_workspace, a.merge_server])
        file_menu.setToolTipsVisible(True)  # a disabled import/merge says why
        file_menu.addSeparator()
        file_menu.addAction(a.import_template)
        file_menu.addAction(a.display_name)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        self.menus["edit"] = edit_menu
        insp_menu = bar.addMenu("&Inspection")
        self.menus["inspection"] = insp_menu
        insp_menu.addActions([a.new_inspection, a.sign_off, a.reopen])
        insp_menu.setToolTipsVisible(True)  # sign-off and reopen say they cannot be undone
        insp_menu.addSeparator()
        insp_menu.addAction(a.export)
        view_menu = bar.addMenu("&View")
        view_menu.addActions([a[f"view_{k}"] for k in VIEW_KEYS])
        view_menu.addSeparator()
        view_menu.addAction(a.home_columns)  # the header's menu, without a mouse
        self.menus["view"] = view_menu
        self.menus["help"] = bar.addMenu("&Help")
        self.menus["help"].addAction(a.about)
        self._fill_recent_menu()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_workspace = QLabel(self)
        self.status_workspace.setAccessibleName("Workspace")
        self.status_inspection = QLabel(self)
        self.status_inspection.setAccessibleName("Current inspection")
        self.status_actor = QLabel(self)
        self.status_actor.setAccessibleName("Signed in as")
        bar.addWidget(self.status_workspace, 1)
        bar.addPermanentWidget(self.status_inspection)
        bar.addPermanentWidget(self.status_actor)

    def _connect_home(self, home: QWidget) -> None:
        from qmsr_ready.ui.views.home import HomeView  # loaded by view_classes already

        if isinstance(home, HomeView):
            home.new_inspection_requested.connect(self.new_inspection)
            home.open_workspace_requested.connect(self.open_workspace_path)
            home.inspection_activated.connect(lambda _code: self.show_view("checklist"))

    def _choose_home_columns(self) -> None:
        from qmsr_ready.ui.views.home import HomeView  # loaded by view_classes already

        self.show_view("home")
        home = self.views.get("home")
        if isinstance(home, HomeView):
            home.column_chooser.popup()

    def new_inspection(self) -> None:
        """Run the wizard; a new inspection opens in the checklist on its first question."""
        before = self.ctx.current_inspection
        self.ops.new_inspection()
        created = self.ctx.current_inspection
        if created and created != before:
            self.show_view("checklist")

    # -- views ------------------------------------------------------------------------------
    def show_view(self, key: str) -> None:
        """Switch to the view ``key`` (one of ``VIEW_KEYS``)."""
        self.finish_startup()
        index = list(self.views).index(key)
        self.nav.setCurrentRow(index)
        self.stack.setCurrentIndex(index)

    def current_view_key(self) -> str:
        return list(self.views)[self.stack.currentIndex()] if self.views else ""

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        for i, key in enumerate(self.views):
            self.menu_actions[f"view_{key}"].setChecked(i == row)

    # -- workspace lifecycle ----------------------------------------------------------------
    def open_workspace_path(self, path: str | Path, *, create: bool = False) -> bool:
        """Open ``path`` (offering read-only if another process writes it); True on success."""
        from qmsr_ready.core.db import open_workspace

        self.finish_startup()
        path = Path(path)
        current = self.ctx.workspace
        if current is not None and current.is_file(path):  # the same file, by any name
            self.statusBar().showMessage(f"{path.name} is already open.", 5000)
            return True
        if current is not None and not self._confirm_leave("open another"):
            return False
        if current is not None and not current.is_server and path.exists() \
                and path.resolve() == current.path.resolve():
            self._swap_workspace(None)  # another file under its name: let go of the old first
        try:
            try:
                workspace = open_workspace(path, create=create, actor=self.ctx.actor)
            except WorkspaceLocked as exc:
                if not self.ask_read_only(exc):
                    return False
                workspace = open_workspace(path, read_only=True)
        except QmsrError as exc:
            show_error(self, exc)
            if not path.exists():
                self.settings.remove_recent_file(str(path))
            return False
        self._swap_workspace(workspace)
        self.settings.add_recent_file(str(workspace.path))
        self.settings.set_last_workspace(str(workspace.path))
        return True

    def _on_ctx_workspace_replaced(self, message: str) -> None:
        """Offer once per open workspace, after the refused save has returned, to reopen it."""
        workspace = self.ctx.workspace
        if workspace is None or workspace is self._reopen_offered:
            return
        self._reopen_offered = workspace

        def offer() -> None:
            if self.ctx.workspace is workspace and self.ask_reopen(message):
                self.open_workspace_path(workspace.path)

        QTimer.singleShot(0, self, offer)

    def ask_reopen(self, message: str) -> bool:
        """Ask whether to reopen a workspace whose file was replaced on disk."""
        answer = QMessageBox.question(
            self,
            "Workspace file replaced",
            f"{message}\n\nAnother program put a different file under this name (a sync "
            "client or a restore). Nothing more is saved in this window until it is reopened. "
            "Reopen it now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_read_only(self, exc: WorkspaceLocked) -> bool:
        """Ask whether to open a workspace that another process holds, read-only."""
        answer = QMessageBox.question(
            self,
            "Workspace in use",
            f"{exc.message}\n\nOpen it read-only instead? You can look at everything "
            "and export, but not change anything.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New workspace", self._default_folder(), WORKSPACE_FILTER
        )
        if path:
            if not path.endswith(WORKSPACE_SUFFIX):
                path += WORKSPACE_SUFFIX
            if Path(path).exists():
                show_error(self, QmsrError(f"{path} already exists; open it instead."))
                return
            self.open_workspace_path(path, create=True)

    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open workspace", self._default_folder(), WORKSPACE_FILTER
        )
        if path:
            self.open_workspace_path(path)

    def backup_workspace(self) -> None:
        ws = self.ctx.workspace
        if ws is None:
            return
        suggestion = str(ws.path.with_name(f"{ws.path.stem}-copy{WORKSPACE_SUFFIX}"))
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy", suggestion, WORKSPACE_FILTER)
        if not path:
            return
        try:
            ws.backup_to(path)
        except QmsrError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage(f"Copy saved to {path}", 8000)

    def close_workspace(self) -> None:
        if self._confirm_leave("close"):
            self._swap_workspace(None)

    def _confirm_leave(self, action: str) -> bool:
        """Before the open workspace goes: save what waits to be saved; if some typing was
        refused, ask (try again, go on without it, or stay). True: go on."""
        from qmsr_ready.ui.unsaved import confirm_leave  # loads the services: not at start-up

        return confirm_leave(self, self.ctx, action)

    def _swap_workspace(self, workspace: Workspace | None) -> None:
        """Stop background jobs that read the old file, then switch and close it."""
        previous = self.ctx.workspace
        self.ctx.workers.cancel_all()
        self.ctx.workers.wait()
        self.ctx.set_workspace(workspace)
        if previous is not None:
            previous.close()

    def connect_server(self, url: str | None = None) -> None:
        """File ▸ Connect to server (``url``: from ``gui URL``, connecting at once when it or
        the keyring gives the password); an unreachable server may send the user to a file."""
        from qmsr_ready.ui.dialogs.connect_server import ConnectServerDialog

        self.finish_startup()
        if self.ctx.workspace is not None and not self._confirm_leave("connect"):
            return
        dialog = ConnectServerDialog(self.ctx, self)
        if url is not None and dialog.fill_from_url(url):
            dialog.connect_now()
        accepted = dialog.exec() == ConnectServerDialog.DialogCode.Accepted
        if accepted and dialog.workspace is not None:
            self._swap_workspace(dialog.workspace)
        elif dialog.wants_local_file:
            self.choose_workspace()
        dialog.deleteLater()

    def _default_folder(self) -> str:
        ws = self.ctx.workspace
        return str(ws.path.parent) if ws and not ws.is_server else str(Path.home())

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        for i, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{i} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_workspace_path(p))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self.settings.clear_recent_files)
        self.recent_menu.setEnabled(bool(recent))

    # -- reactions --------------------------------------------------------------------------
    def _on_ctx_workspace_changed(self) -> None:
        self._refresh_chrome()

    def _on_ctx_current_inspection_changed(self, _code: str) -> None:
        # Each view listens to the context itself (the view contract); only chrome changes here.
        self._refresh_chrome()

    def _on_ctx_data_changed(self, kind: str, _code: str) -> None:
        # response/finding/evidence/export: the "changed since last export" mark may change
        if kind in ("inspection", "signoff", "settings", "response", "finding", "evidence",
                    "export"):
            self._refresh_chrome()

    def _refresh_chrome(self) -> None:
        """Title, banner, status bar and which actions are enabled."""
        from qmsr_ready.ui.presentation import READ_ONLY, inspection_status_look

        ws = self.ctx.workspace
        read_only = self.ctx.read_only
        if ws is None:
            self.setWindowTitle("QMSR Ready")
            self.status_workspace.setText("No workspace open")
        else:
            suffix = " — read-only" if ws.read_only else ""
            # A server workspace shows its URL with the password masked (Workspace.location).
            name = ws.location if ws.is_server else ws.path.stem
            self.setWindowTitle(f"{name}{suffix} — QMSR Ready")
            self.status_workspace.setText(ws.location)
        self.banner.setVisible(ws is not None and ws.read_only)
        if ws is not None and ws.read_only:
            self.banner_label.setText(
                f"{READ_ONLY.label}: another window or process has "
                f"{ws.path.name} open for writing. You can browse and export; changes are refused."
            )
        code = self.ctx.current_inspection
        status = self.ops.inspection_status(code) if code else ""
        mark = self.exchange.export_mark(code) if code and status else ""
        self.status_inspection.setText(
            f"{code} · {inspection_status_look(status).text}" + (f" · {mark}" if mark else "")
            if code and status else ""
        )
        self.status_actor.setText(f"You: {self.ctx.actor or '—'}")
        a = self.menu_actions
        for key in ("backup", "close_workspace", "export"):
            a[key].setEnabled(ws is not None)
        a.new_inspection.setEnabled(not read_only)
        a.sign_off.setEnabled(not read_only and bool(code) and status != "signed_off")
        a.reopen.setEnabled(not read_only and bool(code) and status == "signed_off")
        a.export.setEnabled(ws is not None and bool(code))
        self.exchange.update_actions(a, code, status)

    def _show_about(self) -> None:
        from qmsr_ready.ui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    # -- shutdown ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.started:  # closed while opening: nothing to save but the geometry
            self.settings.set_geometry(self.saveGeometry())
            super().closeEvent(event)
            return
        if self.ctx.workspace is not None and not self._confirm_leave("quit"):
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        self._swap_workspace(None)
        super().closeEvent(event)
