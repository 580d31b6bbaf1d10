"""Composition root: builds the QApplication, settings, worker runner, context and main window.

Nothing else constructs these; everything below receives what it needs through ``AppContext``.

Start-up order is chosen for speed: the window is shown and painted first (with an "Opening…"
page), and only then are the views built, which imports SQLAlchemy, Alembic and the rest of
core, and the workspace opened. Nothing heavy is imported at module level here.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmsr_ready import __version__
from qmsr_ready.core.errors import QmsrError

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1400, 900)


@dataclass
class GuiOptions:
    """What the ``gui`` command (or a plain ``qmsr-ready``) asked for."""

    workspace: str | None = None
    screenshot: str | None = None
    view: str = "home"
    inspection: str | None = None
    settings_path: Path | None = None
    screenshot_size: tuple[int, int] = SCREENSHOT_SIZE


class ScreenshotFailed(QmsrError):  # noqa: N818 (reads like the other QmsrErrors)
    """Rendering a screenshot hit an error; nothing was written."""


def run(options: GuiOptions) -> int:
    """Start the GUI; with ``options.screenshot`` render one picture and exit. Returns exit code."""
    if options.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window flashes up, works headless
    from qmsr_ready.ui.xcb_check import check_xcb_platform

    check_xcb_platform()  # libraries and a reachable display: one line and exit 2, not Qt's abort
    from PySide6.QtWidgets import QApplication

    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.errors import ExceptionHook, setup_logging
    from qmsr_ready.ui.icons import icon
    from qmsr_ready.ui.main_window import MainWindow
    from qmsr_ready.ui.settings import AppSettings
    from qmsr_ready.ui.style import apply_style
    from qmsr_ready.ui.workers import WorkerRunner

    setup_logging()
    running = QApplication.instance()  # tests start one; a GUI needs a QApplication
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("QMSR Ready")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("qmsr-ready")
    app.setDesktopFileName("qmsr-ready")
    apply_style(app)
    app.setWindowIcon(icon("app"))

    settings = AppSettings(options.settings_path, app)
    workers = WorkerRunner(app)
    ctx = AppContext(settings, workers, app)
    window = MainWindow(ctx, deferred=True)
    if options.screenshot:
        return _run_screenshot(app, ctx, window, options)
    hook = ExceptionHook(lambda: window)
    hook.install()
    try:
        window.first_painted.connect(lambda: _after_first_paint(ctx, window, options))
        window.show()
        return app.exec()
    finally:
        hook.uninstall()
        workers.cancel_all()
        workers.wait()
        if ctx.workspace is not None:
            ctx.workspace.close()


def _after_first_paint(ctx: AppContext, window: MainWindow, options: GuiOptions) -> None:
    """Show the home list from a plain read, then build the views (the heavy imports) and open
    the workspace, which replaces the list with the full one."""
    _show_home_preview(window, options)
    try:
        window.finish_startup()
        ensure_display_name(ctx, window)
        _open_initial_workspace(window, options)
    finally:
        window.end_home_preview()
        freeze_start_up_heap(ctx)


# Young objects the collector lets pile up before it looks (CPython's default is 700): a read of
# 5,000 findings keeps ~30,000 and ran ~60 young collections at 700 (~4 ms of an open).
YOUNG_GENERATION_THRESHOLD = 20_000


def freeze_start_up_heap(ctx: AppContext | None = None) -> None:
    """Keep what start-up made (modules, Qt wrappers, the open workspace) out of full collections.

    Those objects live as long as the app; a full collection walked all of them (~40 ms, and
    with the large workspace one fell on every other open of the findings register). Objects
    made later are collected as before, the young ones in fewer, larger batches;
    ``bench_gui_scale`` calls this at the same point.

    The open workspace does not live as long as the app: with ``ctx``, replacing or closing it
    thaws the heap (a frozen object is never collected: the first workspace, its engine and its
    register rows stayed for the session, ~1 MB and a file handle per later File > Open), and
    once the swap is over the heap is collected and frozen again, the new workspace with it.
    """
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
    if ctx is not None:
        ctx.workspace_about_to_change.connect(lambda: _thaw_until_swapped(ctx))


def _thaw_until_swapped(ctx: AppContext) -> None:
    """Unfreeze before the workspace goes; freeze again after the swap (next event loop turn:
    the previous workspace is closed and let go of by then, so the collection frees it)."""
    from PySide6.QtCore import QTimer

    if gc.get_freeze_count() == 0:
        return  # a swap is already under way: one refreeze is scheduled
    gc.unfreeze()
    QTimer.singleShot(0, ctx, _collect_and_freeze)


def _collect_and_freeze() -> None:
    gc.collect()
    gc.freeze()


def _show_home_preview(window: MainWindow, options: GuiOptions) -> None:
    """The inspections of the workspace about to open, read with ``sqlite3`` (no SQLAlchemy).

    Skipped (the full open shows the list as before) for a new, server, damaged, locked or
    migrating workspace: ``read_home_fast`` returns None for those.
    """
    from qmsr_ready.core.views.home_fast import read_home_fast

    target, create = _initial_target(window.settings, options)
    lines = None if create else read_home_fast(target)
    if lines:
        window.show_home_preview(lines)


def _initial_target(settings: Any, options: GuiOptions) -> tuple[str | Path, bool]:
    """The workspace start-up opens (a path, or a server URL as given) and whether to create it."""
    from qmsr_ready.core.paths import default_workspace_path

    if options.workspace:
        return options.workspace, False
    last = settings.last_workspace()
    if last and Path(last).exists():
        return Path(last), False
    default = default_workspace_path()
    return default, not default.exists()


def ensure_display_name(ctx: Any, window: Any) -> None:
    """Ask for the audit-trail name on first run; fall back to the OS user name."""
    if ctx.settings.display_name():
        return
    if not window.ops.change_display_name():
        from qmsr_ready.core.audit import default_actor
        from qmsr_ready.core.errors import InvalidInput

        try:
            ctx.settings.set_display_name(default_actor())
        except InvalidInput:  # an undecodable login name: "unknown" until one is set
            ctx.settings.set_display_name("unknown")


def _open_initial_workspace(window: Any, options: GuiOptions) -> None:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.server.url import is_server_url

    target, create = _initial_target(window.settings, options)
    if isinstance(target, str) and is_server_url(target):
        if options.screenshot:  # never prompt: the URL must carry what it needs
            window.ctx.set_workspace(open_workspace(target, actor=window.ctx.actor))
        else:  # the same path as File > Connect: password from the URL, keyring or prompt
            window.connect_server(target)
        return
    path = Path(target)
    if options.screenshot:
        _open_quietly(window, path, create)
    else:
        window.open_workspace_path(path, create=create)


def _open_quietly(window: Any, path: Path, create: bool) -> None:
    """Screenshot mode: never prompt; fall back to read-only when the file is in use."""
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.errors import WorkspaceLocked

    try:
        workspace = open_workspace(path, create=create, actor=window.ctx.actor)
    except WorkspaceLocked:
        workspace = open_workspace(path, read_only=True)
    window.ctx.set_workspace(workspace)


# -- screenshots ------------------------------------------------------------------------------
class _NoModalGuard:
    """Screenshot mode must never wait for a person: record errors, close any modal box.

    Why: offscreen, a modal error box (from the exception hook or a view) blocks forever.
    Uncaught exceptions are recorded instead of shown; a modal that still opens is closed by a
    timer and its text recorded, so the screenshot fails with that text.
    """

    def __init__(self, app: Any) -> None:
        from PySide6.QtCore import QTimer

        self.errors: list[str] = []
        self._app = app
        self._previous = (sys.excepthook, __import__("threading").excepthook)
        self._timer = QTimer(app)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._close_modals)

    def __enter__(self) -> _NoModalGuard:
        import threading

        sys.excepthook = self._sys_hook
        threading.excepthook = lambda args: self._record(args.exc_value)
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        import threading

        self._timer.stop()
        sys.excepthook, threading.excepthook = self._previous

    def _sys_hook(self, _etype: type[BaseException], exc: BaseException, _tb: object) -> None:
        self._record(exc)

    def _record(self, exc: BaseException | None) -> None:
        if exc is None:
            return
        if isinstance(exc, QmsrError):  # an expected failure: its one line says it all
            self.errors.append(exc.message)
            return
        self.errors.append(f"{type(exc).__name__}: {exc}")
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)

    def _close_modals(self) -> None:
        modal = self._app.activeModalWidget()
        if modal is None:
            return
        text = getattr(modal, "text", lambda: "")() or modal.windowTitle()
        self.errors.append(f"a dialog opened: {text}")
        modal.reject() if hasattr(modal, "reject") else modal.close()


def _run_screenshot(app: Any, ctx: AppContext, window: MainWindow, options: GuiOptions) -> int:
    try:
        with _NoModalGuard(app) as guard:
            try:
                size_window(window, options.screenshot_size)
                window.show()
                app.processEvents()
                window.finish_startup()
                _open_initial_workspace(window, options)
                image = render_screenshot(window, options)
            except QmsrError:
                raise
            except Exception as exc:
                guard._record(exc)
                image = None
            if guard.errors or image is None:
                raise ScreenshotFailed(
                    "The screenshot was not written: " + (guard.errors or ["rendering failed"])[0]
                )
        save_png_atomically(image, Path(options.screenshot or "screenshot.png"))
    finally:
        ctx.workers.cancel_all()
        ctx.workers.wait()
        if ctx.workspace is not None:
            ctx.workspace.close()
    print(f"Saved {options.screenshot}")
    return 0


def size_window(window: Any, size: tuple[int, int]) -> None:
    """Resize so the saved picture is ``size`` device pixels (logical size = size / scale)."""
    ratio = window.devicePixelRatioF() or 1.0
    window.setMinimumSize(0, 0)  # a small screenshot shows what a small screen shows
    window.resize(round(size[0] / ratio), round(size[1] / ratio))


def render_screenshot(window: Any, options: GuiOptions) -> Any:
    """Show the requested view and inspection, let background loads finish, grab the window."""
    from PySide6.QtWidgets import QApplication

    from qmsr_ready.core.services.queries import list_inspections

    ctx = window.ctx
    code = options.inspection
    if not code and ctx.workspace is not None:
        with ctx.read() as session:
            summaries = list_inspections(session)
        chosen = next((s for s in summaries if s.status == "in_progress"), None)
        chosen = chosen or (summaries[0] if summaries else None)
        code = chosen.code if chosen else None
    if code:
        ctx.set_current_inspection(code)
    window.show_view(options.view)
    for _ in range(3):  # let background loads (readiness) finish and repaint
        QApplication.processEvents()
        ctx.workers.wait()
        QApplication.processEvents()
    return window.grab().toImage()


def take_screenshot(window: Any, options: GuiOptions) -> int:
    """Render the window on the requested view and save it as a PNG (used by scripts)."""
    size_window(window, options.screenshot_size)
    window.show()
    image = render_screenshot(window, options)
    save_png_atomically(image, Path(options.screenshot or "screenshot.png"))
    print(f"Saved {options.screenshot}")
    return 0


def save_png_atomically(image: Any, target: Path) -> None:
    """Write the PNG beside ``target`` under a temporary name, then rename: never a partial file.

    Why: ``QImage.save`` writes straight into the target, so a full disk left a truncated PNG
    that looked like a picture. Encoding into memory first also reports the failure precisely.
    """
    import tempfile

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ScreenshotFailed(f"Could not encode the screenshot for {target}.")
    buffer.close()
    tmp_name = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(bytes(data.data()))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
        tmp_name = ""
    except OSError as exc:
        from qmsr_ready.core.disk_errors import write_failure, write_failure_message

        if tmp_name:  # first, so the message counts the space it held as free
            Path(tmp_name).unlink(missing_ok=True)
            tmp_name = ""
        kind = write_failure(exc)
        lead = f"Could not write the screenshot to {target}"
        raise ScreenshotFailed(
            write_failure_message(lead, target, kind, data.size()) if kind is not None
            else f"{lead}: {exc.strerror or exc}. Choose another folder."
        ) from exc
    finally:
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)
