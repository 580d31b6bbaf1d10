"""Root test configuration: headless Qt and per-test user folders.

QT_QPA_PLATFORM is set at import time, before any test module can load Qt.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import weakref
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point data, config and log folders at a scratch folder so tests never touch the user's."""
    base: Path = tmp_path_factory.mktemp("user-dirs")
    for env, sub in (
        ("QMSR_READY_DATA_DIR", "data"),
        ("QMSR_READY_CONFIG_DIR", "config"),
        ("QMSR_READY_LOG_DIR", "log"),
    ):
        folder = base / sub
        folder.mkdir()
        monkeypatch.setenv(env, str(folder))
    monkeypatch.setenv("QMSR_READY_USER", "Test Runner")
    return base


# Subprocess runs that take seconds each: the CLI end to end, package install and self-test, the
# crash test, the GUI in a child process. ``make test`` runs them; ``make test-fast`` (pytest -m
# "not slow") leaves them out. A path, or a path::test name, relative to tests/.
SLOW_TESTS = (
    "e2e/",
    "integration/test_robust_crash.py",
    "integration/test_import_workbook_libreoffice.py",  # LibreOffice converts in a subprocess
    "integration/test_robust_file.py::"
    "test_export_on_a_full_disk_prints_one_line_and_no_stray_traceback",  # the CLI, limited
    "ui/test_shell_screenshot.py",
    "ui/test_shell_layout.py::test_every_view_fits_at_a_real_125_percent_scale",
    "ui/test_shell_startup.py::test_the_gui_without_a_display_exits_2_in_a_subprocess",
    "ui/test_shell_startup.py::test_screenshot_size_sets_the_picture_size",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests named in SLOW_TESTS ``slow``."""
    root = Path(__file__).parent
    for item in items:
        try:
            where = item.path.relative_to(root).as_posix()
        except ValueError:
            continue
        name = f"{where}::{getattr(item, 'originalname', item.name)}"
        if any(name == slow if "::" in slow else where.startswith(slow) for slow in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


LEFTOVER_GRACE_S = 5  # a finishing job may still be returning from its pool thread


@pytest.fixture(autouse=True)
def _no_leftover_threads(monkeypatch: pytest.MonkeyPatch):
    """Fail a test that leaves a worker job or a Python thread running after it ends.

    Every ``WorkerRunner`` made during the test is remembered; after the test (and after every
    other fixture's teardown: autouse fixtures are set up first) each pool, Qt's global pool and
    every thread started during the test get a short grace to finish, then the test fails.
    """
    runners: list[Any] = []
    workers = sys.modules.get("qmsr_ready.ui.workers")
    if workers is None and "PySide6.QtCore" in sys.modules:
        import qmsr_ready.ui.workers as workers
    if workers is not None:
        real_init = workers.WorkerRunner.__init__

        def remembering_init(self: Any, *args: Any, **kwargs: Any) -> None:
            real_init(self, *args, **kwargs)
            runners.append(weakref.ref(self))

        monkeypatch.setattr(workers.WorkerRunner, "__init__", remembering_init)
    before = set(threading.enumerate())
    yield
    leftovers: list[str] = []
    for ref in runners:
        runner = ref()
        if runner is None:
            continue
        try:
            done = runner.pool.waitForDone(LEFTOVER_GRACE_S * 1000)
        except RuntimeError:  # its C++ side is gone, and its pool with it
            continue
        if not done:
            leftovers.append(f"{runner.pool.activeThreadCount()} WorkerRunner job(s)")
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None and not qtcore.QThreadPool.globalInstance().waitForDone(
        LEFTOVER_GRACE_S * 1000
    ):
        leftovers.append("a job on Qt's global thread pool")
    for thread in set(threading.enumerate()) - before:
        if isinstance(thread, threading._DummyThread):  # a Qt pool thread, checked above
            continue
        thread.join(LEFTOVER_GRACE_S)
        if thread.is_alive():
            leftovers.append(f"thread {thread.name!r}")
    if leftovers:
        pytest.fail(f"the test left running: {', '.join(leftovers)}", pytrace=False)


FIXED_NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """The one "now" of a time-dependent test: core's clock is frozen at ``FIXED_NOW``.

    ``core.models.utcnow`` and every loaded ``qmsr_ready`` module that imported it read it, so
    codes (``MI-<year>-…``), audit times and due-date arithmetic do not depend on the day the
    suite runs. Request it before fixtures that write (``fixed_now, fnd_inspection``).
    """
    import qmsr_ready.core.exchange.apply
    import qmsr_ready.core.services  # noqa: F401 (load every module that binds utcnow)
    from qmsr_ready.core import models

    real = models.utcnow
    for name, module in list(sys.modules.items()):
        if name.startswith("qmsr_ready") and getattr(module, "utcnow", None) is real:
            monkeypatch.setattr(module, "utcnow", lambda: FIXED_NOW)
    return FIXED_NOW


def fnd_template_content() -> dict:
    """A tiny template (2 areas, 3 elements, 5 questions) in the docs/template-format.md shape."""

    def question(qid: str, text: str) -> dict:
        return {
            "id": qid,
            "text": text,
            "guidance": {"look_at": "x", "good_looks_like": "y", "weak_spots": "z"},
            "records_to_sample": ["one record"],
            "citations": ["ISO 13485:2016 4.2.3"],
            "weight": 2,
            "risk_focus": False,
        }

    def element(eid: str, title: str, questions: list[dict]) -> dict:
        return {
            "id": eid,
            "title": title,
            "iso_clauses": ["4.2.3"],
            "qmsr_hooks": [],
            "legacy_sections": [],
            "model2_minimum": False,
            "sterile_only": False,
            "questions": questions,
        }

    return {
        "key": "tiny-test",
        "version": "1.0",
        "title": "Tiny test template",
        "description": "For tests.",
        "basis": "None.",
        "areas": [
            {
                "id": "MO",
                "title": "Management Oversight",
                "kind": "qms_area",
                "description": "d",
                "elements": [
                    element(
                        "MO-01",
                        "QMS general",
                        [
                            question("MO-01-Q01", "Is there a QMS?"),
                            question("MO-01-Q02", "Is it maintained?"),
                        ],
                    ),
                    element(
                        "MO-02",
                        "Medical device file",
                        [
                            question("MO-02-Q01", "Is there an MDF?"),
                        ],
                    ),
                ],
            },
            {
                "id": "MA",
                "title": "Measurement, Analysis and Improvement",
                "kind": "qms_area",
                "description": "d",
                "elements": [
                    element(
                        "MA-03",
                        "Complaint handling",
                        [
                            question("MA-03-Q01", "Are complaints handled?"),
                            question("MA-03-Q02", "Are MDRs assessed?"),
                        ],
                    ),
                ],
            },
        ],
    }


@pytest.fixture
def fnd_template():
    """The tiny template as a TemplateSnapshot."""
    from qmsr_ready.core.template_content import TemplateSnapshot

    return TemplateSnapshot.from_content(fnd_template_content())


@pytest.fixture
def fnd_workspace(tmp_path: Path):
    """A fresh writable workspace in tmp_path, closed after the test.

    In the PostgreSQL pass (``QMSR_TEST_BACKEND=postgresql``, tests marked ``server``) it is a
    fresh database on the test server instead (tests/server/pg_backend.py).
    """
    from server import pg_backend

    from qmsr_ready.core.db import open_workspace

    if not pg_backend.on_postgresql():
        ws = open_workspace(tmp_path / "test.qmsr", create=True)
        yield ws
        ws.close()
        return
    url = pg_backend.fresh_database()
    ws = open_workspace(pg_backend.url_text(url), create=True)
    yield ws
    ws.close()
    pg_backend.drop(url)


@pytest.fixture
def place_workspace(tmp_path: Path):
    """``place(source_file, name) -> target``: a writable copy of a workspace file as a file in
    tmp_path or, in the PostgreSQL pass, as a fresh server database (dropped afterwards)."""
    from server import pg_backend

    made: list = []
    yield lambda source, name: pg_backend.place_workspace(Path(source), tmp_path, name, made)
    for url in made:
        pg_backend.drop(url)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the test server's template database, if this run made one."""
    from server import pg_backend

    pg_backend.teardown()


@pytest.fixture
def fnd_inspection(fnd_workspace, fnd_template):
    """A workspace with site SITE-001 and a planned inspection; yields (workspace, code)."""
    from qmsr_ready.core import services

    with fnd_workspace.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices", fei_number="3001234567")
        insp = services.start_inspection(
            s,
            "Alice",
            site_code="SITE-001",
            template=fnd_template,
            inspection_type="baseline_surveillance",
            title="Baseline readiness",
        )
        code = insp.code
    return fnd_workspace, code
