"""Composition root: builds the QApplication, settings, worker runner, context and main window.

Nothing else constructs these; everything below receives what it needs through ``AppContext``.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from qmsr_ready import __version__
from qmsr_ready.core.audit import default_actor
from qmsr_ready.core.errors import QmsrError, WorkspaceLocked
from qmsr_ready.core.paths import default_workspace_path

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


def run(options: GuiOptions) -> int:
    """Start the GUI; with ``options.screenshot`` render one picture and exit. Returns exit code."""
    if options.screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window flashes up, works headless
    from qmsr_ready.ui.qt_compat import pin_bool_refcounts

    pin_bool_refcounts()  # before any signal is emitted
    from PySide6.QtWidgets import QApplication

    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.errors import ExceptionHook, setup_logging
    from qmsr_ready.ui.icons import icon
    from qmsr_ready.ui.main_window import MainWindow
    from qmsr_ready.ui.settings import AppSettings
    from qmsr_ready.ui.style import apply_style
    from qmsr_ready.ui.workers import WorkerRunner

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("QMSR Ready")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("qmsr-ready")
    app.setDesktopFileName("qmsr-ready")
    apply_style(app)  # type: ignore[arg-type]
    app.setWindowIcon(icon("app"))

    settings = AppSettings(options.settings_path, app)
    workers = WorkerRunner(app)
    ctx = AppContext(settings, workers, app)
    window = MainWindow(ctx)
    hook = ExceptionHook(lambda: window)
    hook.install()
    try:
        if not options.screenshot:
            ensure_display_name(ctx, window)
        _open_initial_workspace(window, options)
        if options.screenshot:
            return take_screenshot(window, options)
        window.show()
        return app.exec()
    finally:
        hook.uninstall()
        workers.cancel_all()
        workers.wait()
        if ctx.workspace is not None:
            ctx.workspace.close()


def ensure_display_name(ctx, window) -> None:  # type: ignore[no-untyped-def]
    """Ask for the audit-trail name on first run; fall back to the OS user name."""
    if ctx.settings.display_name():
        return
    if not window.ops.change_display_name():
        ctx.settings.set_display_name(default_actor())


def _open_initial_workspace(window, options: GuiOptions) -> None:  # type: ignore[no-untyped-def]
    settings = window.settings
    if options.workspace:
        path, create = Path(options.workspace), False
    elif settings.last_workspace() and Path(settings.last_workspace()).exists():
        path, create = Path(settings.last_workspace()), False
    else:
        path, create = default_workspace_path(), not default_workspace_path().exists()
    if options.screenshot:
        _open_quietly(window, path, create)
    else:
        window.open_workspace_path(path, create=create)


def _open_quietly(window, path: Path, create: bool) -> None:  # type: ignore[no-untyped-def]
    """Screenshot mode: never prompt; fall back to read-only when the file is in use."""
    from qmsr_ready.core.db import open_workspace

    try:
        workspace = open_workspace(path, create=create, actor=window.ctx.actor)
    except WorkspaceLocked:
        workspace = open_workspace(path, read_only=True)
    window.ctx.set_workspace(workspace)


def take_screenshot(window, options: GuiOptions) -> int:  # type: ignore[no-untyped-def]
    """Render the window on the requested view and inspection and save it as a PNG."""
    from PySide6.QtWidgets import QApplication

    from qmsr_ready.core.services.queries import list_inspections

    ctx = window.ctx
    window.resize(*SCREENSHOT_SIZE)
    window.show()
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
    target = Path(options.screenshot or "screenshot.png")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(target)):
        raise QmsrError(f"Could not write the screenshot to {target}.")
    print(f"Saved {target}")
    return 0
