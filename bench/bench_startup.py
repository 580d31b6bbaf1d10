"""Cold start: first paint and home list shown, against a bare PySide6 window in the same run.

Each run is a fresh process (offscreen), timed from just before it is spawned to the moment
it reports the event, so interpreter start-up and imports count as the user feels them. The bare
baseline opens a ``QMainWindow`` with a tree and a table, paints, then fills the table. Ours
counts the list shown at the first paint of the home table with rows (the start-up read of
``core.views.home_fast``, before SQLAlchemy loads), and the readiness row once the full list
has replaced it and every verdict is in.
Targets (issue 13): first paint <= 2x the bare window; home list of the demo shown <= 3x.
Not a test; ``python bench/run_all.py bench_startup`` or ``python bench/bench_startup.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import BenchRow, render

RUNS = 5

OURS = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from qmsr_ready import app as A

T0 = float(sys.argv[1])
original = A._after_first_paint

class ListPainted(QObject):
    # "list shown": the first paint of the home table's viewport with rows in it, whichever
    # read filled it (the start-up read of core.views.home_fast, or the full one)
    listed = False
    def eventFilter(self, obj, event):
        if not self.listed and event.type() == QEvent.Type.Paint:
            table = obj.parent()
            if table is not None and table.objectName() == "inspectionsTable" \
                    and table.model() is not None and table.model().rowCount() > 0:
                self.listed = True
                print("LIST", time.time() - T0, flush=True)
        return False

def after_first_paint(ctx, window, options):
    print("PAINT", time.time() - T0, flush=True)
    QApplication.instance().installEventFilter(watcher)  # the list is shown from here on
    original(ctx, window, options)
    def poll_readiness():  # the full list with the readiness column filled in (a worker)
        rows = window.views["home"].model._rows
        if rows and all(r.readiness_known and not r.partial for r in rows) and watcher.listed:
            QApplication.processEvents()
            print("READY", time.time() - T0, flush=True)
            window.close()
            QApplication.quit()
        else:
            QTimer.singleShot(5, poll_readiness)
    poll_readiness()

A._after_first_paint = after_first_paint
watcher = ListPainted()
sys.exit(A.run(A.GuiOptions(workspace=sys.argv[2])))
"""

BARE = r"""
import sys, time
T0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTableView, QTreeView

app = QApplication(sys.argv[:1])
class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.first_paint)
    def first_paint(self):
        print("PAINT", time.time() - T0, flush=True)
        model = QStandardItemModel(0, 6, self)
        for row in range(4):
            model.appendRow([QStandardItem(f"MI-2026-00{row} {c}") for c in range(6)])
        self.table.setModel(model)
        app.processEvents()
        print("LIST", time.time() - T0, flush=True)
        print("READY", time.time() - T0, flush=True)
        app.quit()
window = Window()
split = QSplitter(window)
split.addWidget(QTreeView(split))
window.table = QTableView(split)
split.addWidget(window.table)
window.setCentralWidget(split)
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""


def _run(code: str, workspace: Path, env: dict[str, str]) -> tuple[float, float, float]:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", code, repr(start), str(workspace)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    lines = proc.stdout.splitlines()
    marks = dict(line.split() for line in lines if line[:5] in ("PAINT", "LIST ", "READY"))
    if proc.returncode != 0 or not {"PAINT", "LIST", "READY"} <= set(marks):
        raise RuntimeError(f"start-up run failed: {proc.stderr[-500:]}")
    paint, listed, ready = (float(marks[key]) * 1000 for key in ("PAINT", "LIST", "READY"))
    return paint, listed, ready


def rows() -> list[BenchRow]:
    """Median first paint and list-shown times, ours vs bare, paired run by run."""
    from qmsr_ready.core.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workspace = folder / "demo.qmsr"
        build_demo(workspace, today=dt.date(2026, 11, 25))
        config = folder / "config"
        config.mkdir()
        (config / "settings.ini").write_text("[user]\ndisplay_name=Bench\n", encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QMSR_READY_CONFIG_DIR": str(config),
               "QMSR_READY_DATA_DIR": str(folder), "QMSR_READY_LOG_DIR": str(folder)}
        ours, bare = [], []
        for _ in range(RUNS):
            ours.append(_run(OURS, workspace, env))
            bare.append(_run(BARE, workspace, env))

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return [
        BenchRow("cold start: first paint vs bare PySide6 window",
                 median([o[0] for o in ours]), median([b[0] for b in bare]), "ms", 2.0),
        BenchRow("cold start: home list of the demo shown vs bare window + table",
                 median([o[1] for o in ours]), median([b[1] for b in bare]), "ms", 3.0),
        BenchRow("cold start: home list with every readiness verdict shown vs bare window + table",
                 median([o[2] for o in ours]), median([b[2] for b in bare]), "ms", None,
                 "the readiness column is filled by a worker after the rows show"),
    ]


def main() -> None:
    table = rows()
    print(render(table))
    for row in table:
        print(f"{row.metric}: {row.ratio:.2f}x (target {row.target}x)")


if __name__ == "__main__":
    main()
