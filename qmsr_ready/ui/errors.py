"""Every error dialog is built here, and uncaught exceptions end here instead of as a traceback.

Expected failures (``QmsrError``) show their one-line message. Anything else is a bug: it is logged
with its traceback to the log file and shown with a "details" section and the log's location.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from qmsr_ready.core.errors import Cancelled, QmsrError
from qmsr_ready.core.paths import user_log_dir

log = logging.getLogger("qmsr_ready")

LOG_FILE_NAME = "qmsr-ready.log"


def log_file_path() -> Path:
    return user_log_dir() / LOG_FILE_NAME


def setup_logging(path: Path | None = None) -> Path:
    """Send the app's log (warnings and up, plus tracebacks) to a file in the log folder."""
    path = path or log_file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("qmsr_ready")
    if not any(getattr(h, "_qmsr_file", None) == str(path) for h in root.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler._qmsr_file = str(path)  # type: ignore[attr-defined]  # marks our handler
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return path


def build_error_box(
    parent: QWidget | None, exc: BaseException, title: str = "QMSR Ready"
) -> QMessageBox:
    """Build (but do not show) the dialog for ``exc``; tests inspect it."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if isinstance(exc, QmsrError):
        box.setIcon(
            QMessageBox.Icon.Information if isinstance(exc, Cancelled) else QMessageBox.Icon.Warning
        )
        box.setText(exc.message)
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText("Something went wrong that QMSR Ready did not expect. Your saved work is safe.")
        box.setInformativeText(
            f"{type(exc).__name__}: {exc}\n\n"
            f"The details were written to the log:\n{log_file_path()}"
        )
        box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.setAccessibleName("Error message")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "QMSR Ready") -> None:
    """Show ``exc`` to the user: its message if expected, details and the log path if not."""
    if not isinstance(exc, QmsrError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = build_error_box(parent, exc, title)
    box.exec()


class _ExceptionRelay(QObject):
    """Carries exceptions from any thread to the GUI thread, where the dialog is shown."""

    raised = Signal(object)


class ExceptionHook:
    """Installs ``sys.excepthook`` and ``threading.excepthook``: log, then show a dialog."""

    def __init__(self, parent_getter: Callable[[], QWidget | None]) -> None:
        self._parent_getter = parent_getter
        self._relay = _ExceptionRelay(QApplication.instance())
        self._relay.raised.connect(self._show)
        self._previous = (sys.excepthook, threading.excepthook)
        self.shown: list[BaseException] = []

    def install(self) -> None:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _sys_hook(
        self, etype: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(etype, KeyboardInterrupt):
            self._previous[0](etype, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self._relay.raised.emit(exc)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self._relay.raised.emit(args.exc_value)

    def _show(self, exc: BaseException) -> None:
        self.shown.append(exc)
        # Defer so a hook fired inside a paint or a modal loop does not re-enter it.
        QTimer.singleShot(0, lambda: show_error(self._parent_getter(), exc))
