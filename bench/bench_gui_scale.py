"""Benchmark: the working views on a large workspace (issue 4, item 13).

Generates (or reuses) a workspace with 50 inspections, 20,000 responses and 5,000 findings, then
times what a user waits for: opening the workspace, showing the findings register over every
finding, filtering it, opening one inspection's checklist and building its dashboard report.
Prints timings; asserts nothing (timings do not belong in tests).
Usage: ``QT_QPA_PLATFORM=offscreen python bench/bench_gui_scale.py [WORKSPACE]``.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_scale_workspace import generate

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.report import build_report
from qmsr_ready.core.services import queries
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.qt_compat import pin_bool_refcounts
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
    pin_bool_refcounts()  # as the app does at start-up (PySide6 6.12 emit() defect)
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
