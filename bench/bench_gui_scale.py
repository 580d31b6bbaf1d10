"""Benchmark: the working views on a large workspace (issue 4, item 13).

Generates (or reuses) a workspace with 50 inspections, 20,000 responses and 5,000 findings, then
times what a user waits for: opening the workspace, showing the findings register over every
finding, filtering it, opening one inspection's checklist and building its dashboard report.
Prints timings; asserts nothing (timings do not belong in tests).
Usage: ``QT_QPA_PLATFORM=offscreen python bench/bench_gui_scale.py [WORKSPACE]``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _table import BenchRow, samples
from gen_scale_workspace import generate

from qmsr_ready.app import freeze_start_up_heap
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.report import build_report
from qmsr_ready.core.services import queries
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView
from qmsr_ready.ui.views.findings_register import FindingsRegisterView
from qmsr_ready.ui.workers import WorkerRunner

_MEDIANS: dict[str, float] = {}


def timed(label: str, fn: Callable[[], Any], repeat: int = 3) -> Any:
    """Run ``fn`` ``repeat`` times; print the median and best in milliseconds."""
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        QApplication.processEvents()
        samples.append((time.perf_counter() - start) * 1000)
    _MEDIANS[label] = statistics.median(samples)
    print(f"{label:<52} median {statistics.median(samples):8.1f} ms   best {min(samples):8.1f} ms")
    return result


def bare_select(path: Path) -> int:
    """Baseline: the same finding rows fetched with plain sqlite3, no ORM and no Qt."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT f.*, q.question_id FROM findings f "
            "LEFT JOIN finding_questions q ON q.finding_id = f.id"
        ).fetchall()
    finally:
        conn.close()
    return len(rows)


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([])
    scratch = Path(tempfile.mkdtemp(prefix="qmsr-bench-"))
    path = Path(argv[0]) if argv else scratch / "scale.qmsr"
    if not path.exists():
        start = time.perf_counter()
        counts = generate(path)
        print(f"generated {counts} in {time.perf_counter() - start:.1f} s")

    def open_and_list() -> Any:
        ws = open_workspace(path)
        with ws.session() as s:
            queries.list_inspections(s)
        ws.close()

    timed("open workspace + list inspections", open_and_list)

    workspace = open_workspace(path)
    settings = AppSettings(scratch / "settings.ini")
    settings.set_display_name("Bench")
    ctx = AppContext(settings, WorkerRunner())
    ctx.set_workspace(workspace)
    with workspace.session() as s:
        code = queries.list_inspections(s)[0].code

    register = FindingsRegisterView(ctx)
    register.resize(1300, 800)
    register.show()
    register.set_inspection(code)

    def show_all() -> int:
        register.all_inspections.setChecked(False)
        register.all_inspections.setChecked(True)  # loads every finding
        return register.proxy.rowCount()

    timed("baseline: plain sqlite3 SELECT of every finding", lambda: bare_select(path))
    rows = timed("findings register: load + show 5,000 findings", show_all)
    ratio = (_MEDIANS["findings register: load + show 5,000 findings"]
             / _MEDIANS["baseline: plain sqlite3 SELECT of every finding"])
    print(f"  ({rows} rows shown; {ratio:.1f}x the bare SELECT in the same run)")
    timed("register: filter status = open", lambda: register.status_filter.setCurrentIndex(
        register.status_filter.findData("open")))
    timed("register: + overdue only", lambda: register.overdue_filter.setChecked(
        not register.overdue_filter.isChecked()))
    timed("register: search text 'finding 4'", lambda: register.search.setText(
        "finding 4" if register.search.text() != "finding 4" else "finding 42"))
    timed("register: sort by risk", lambda: register.table.sortByColumn(
        8, register.table.horizontalHeader().sortIndicatorOrder()))
    register.search.setText("")
    register.overdue_filter.setChecked(False)
    timed("register: clear filters", lambda: register.status_filter.setCurrentIndex(0))

    runner = ChecklistRunnerView(ctx)
    runner.resize(1300, 800)
    runner.show()
    timed("checklist runner: open inspection (400 questions)",
          lambda: runner.set_inspection(code))
    timed("checklist runner: record a result (undoable)",
          lambda: runner.record(runner.model.question_ids()[0], {"result": "conforms"}))

    def report() -> Any:
        with workspace.session() as s:
            return build_report(s, code)

    timed("dashboard: build_report (runs on a worker)", report)
    ctx.workers.wait()
    ctx.set_workspace(None)
    workspace.close()
    # Tear the widgets down while Qt is alive; leaving them to interpreter shutdown crashes
    # PySide's garbage collection on some versions.
    for view in (register, runner):
        view.close()
        view.deleteLater()
    ctx.deleteLater()
    app.processEvents()
    return 0


HERE = Path(__file__).resolve().parent
RUNS = 9  # paired, alternating; the median of nine steadies it on a busy machine

BARE_RSS = r"""
import sqlite3, sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QTableWidget(5000, 12)); window.show()
app.processEvents()
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("SELECT * FROM findings").fetchall()
rows += conn.execute("SELECT * FROM responses").fetchall()
rows += conn.execute("SELECT * FROM audit_events").fetchall()
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")))
"""


def peak_rss_kib() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited on fork)."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def scale_workspace() -> Path:
    """The large workspace, generated once per generator and schema version and then reused."""
    key = hashlib.sha256(b"".join(
        (HERE / name).read_bytes() for name in ("gen_scale_workspace.py",)
    ) + (HERE.parent / "qmsr_ready" / "core" / "models.py").read_bytes()).hexdigest()[:12]
    path = HERE / "results" / f"scale-{key}.qmsr"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        partial = path.with_name(f"partial-{path.name}")
        for leftover in (partial, *(Path(f"{partial}{s}") for s in ("-wal", "-shm", ".lock"))):
            leftover.unlink(missing_ok=True)
        # In a child process, so generating never counts towards this process's peak memory.
        subprocess.run([sys.executable, str(HERE / "gen_scale_workspace.py"), str(partial)],
                       check=True)
        os.replace(partial, path)
        Path(f"{partial}.lock").unlink(missing_ok=True)
    return path


def rows() -> list[BenchRow]:
    """Open the large workspace to the findings register vs a bare SELECT; peak memory."""
    app = QApplication.instance() or QApplication([])
    path = scale_workspace()
    scratch = Path(tempfile.mkdtemp(prefix="qmsr-bench-"))
    settings = AppSettings(scratch / "settings.ini")
    settings.set_display_name("Bench")
    kept: list[Any] = []

    def open_to_register() -> int:
        workspace = open_workspace(path, read_only=True)
        ctx = AppContext(settings, WorkerRunner())
        ctx.set_workspace(workspace)
        register = FindingsRegisterView(ctx)
        register.resize(1300, 800)
        register.show()
        register.all_inspections.setChecked(True)  # every finding of every inspection
        app.processEvents()
        shown = register.proxy.rowCount()
        kept[:] = [workspace, ctx, register]
        return shown

    def close_kept() -> None:
        if kept:
            workspace, ctx, register = kept
            register.close()
            register.deleteLater()
            ctx.workers.wait()
            ctx.set_workspace(None)
            workspace.close()
            ctx.deleteLater()
            app.processEvents()
            # processEvents() leaves deferred deletes alone: every closed register (5,000 rows)
            # stayed alive and the peak memory counted all of them, not one open workspace.
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            kept.clear()

    # As in the app: the first open is start-up's (module imports, the template parsed once per
    # process), after which the app freezes the start-up heap (app.freeze_start_up_heap); the
    # timed opens come after, each from a closed workspace (closing the previous one is not
    # part of opening, so it is done between the timed calls, for ours and for bare alike).
    open_to_register()
    close_kept()
    freeze_start_up_heap()
    open_samples: list[float] = []
    select_samples: list[float] = []
    for _ in range(RUNS):
        close_kept()
        open_samples += samples(1, open_to_register)
        select_samples += samples(1, lambda: bare_select(path))
    open_ms, select_ms = statistics.median(open_samples), statistics.median(select_samples)
    ours_kb = peak_rss_kib()
    shown = kept[2].proxy.rowCount()
    close_kept()
    bare_kb = int(subprocess.run([sys.executable, "-c", BARE_RSS, str(path)], check=True,
                                 capture_output=True, text=True).stdout)
    return [
        BenchRow("open large workspace to findings register (5,000 findings) vs bare SELECT",
                 open_ms, select_ms, "ms", 3.0,
                 f"{shown} rows shown; opened read-only, after a start-up open as in the app; "
                 "baseline: the same findings and their question links with plain sqlite3"),
        BenchRow("peak RSS, large workspace open in the register vs bare PySide6 + sqlite3",
                 ours_kb / 1024, bare_kb / 1024, "MB", None,
                 "baseline: a QMainWindow with a 5,000-row table and every row of findings, "
                 "responses and audit events fetched with sqlite3"),
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
