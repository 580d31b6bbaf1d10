"""Run by test_shell_layout in a subprocess with QT_SCALE_FACTOR=1.25: lay out every view at the
logical size a 1280x720 or 1366x768 screen leaves at 125 % and print what does not fit (JSON).

Why a subprocess: the scale factor is read once, when the QApplication starts.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
)

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.main_window import VIEW_REGISTRY, MainWindow
from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.workers import WorkerRunner


def _problems(window: MainWindow, size: QSize) -> list[str]:
    found = []
    if window.width() > size.width() or window.height() > size.height():
        found.append(f"window {window.width()}x{window.height()} > {size.width()}x{size.height()}")
    least = window.minimumSizeHint()
    if least.width() > size.width() or least.height() > size.height():
        found.append(f"minimum size {least.width()}x{least.height()} > "
                     f"{size.width()}x{size.height()}")
    for button in window.findChildren(QAbstractButton):
        if button.isVisibleTo(window) and button.text() and \
                button.width() < button.sizeHint().width():
            found.append(f"button {button.text()!r} {button.width()} < {button.sizeHint().width()}")
    for edit in window.findChildren(QLineEdit):
        if edit.isVisibleTo(window) and edit.width() < 80 and \
                not isinstance(edit.parentWidget(), (QAbstractSpinBox, QComboBox)):
            found.append(f"line edit {edit.accessibleName() or edit.objectName()} {edit.width()}")
    return found


def main() -> int:
    app = QApplication(sys.argv[:1])
    report: dict[str, list[str]] = {"scale": [str(app.primaryScreen().devicePixelRatio())]}
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.qmsr"
        build_demo(demo, today=dt.date(2026, 11, 25))
        settings = AppSettings(Path(tmp) / "settings.ini")
        settings.set_display_name("Layout Probe")
        workers = WorkerRunner()
        ctx = AppContext(settings, workers)
        ctx.set_workspace(open_workspace(demo, read_only=True))
        window = MainWindow(ctx)
        window.show()
        ctx.set_current_inspection("MI-2026-002")
        for width, height in ((1280, 720), (1366, 768)):
            size = QSize(round(width / 1.25), round(height / 1.25))
            for entry in VIEW_REGISTRY:
                window.resize(size)
                window.show_view(entry.key)
                for _ in range(3):
                    app.processEvents()
                    workers.wait()
                    app.processEvents()
                report[f"{width}x{height} {entry.key}"] = _problems(window, size)
        workers.cancel_all()
        workers.wait()
        window.close()
        app.processEvents()
        if ctx.workspace is not None:
            ctx.workspace.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
