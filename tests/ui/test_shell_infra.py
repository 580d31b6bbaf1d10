"""Workers deliver on the GUI thread; errors are shown in words and logged; home wiring."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox

from qmsr_ready.core.errors import Cancelled, InvalidInput
from qmsr_ready.ui import errors as ui_errors
from qmsr_ready.ui.workers import WorkerRunner


def test_worker_result_and_progress_arrive_on_gui_thread(qtbot) -> None:
    runner = WorkerRunner()
    seen: list[tuple[str, bool]] = []
    job_threads: list[bool] = []

    def job(progress):  # type: ignore[no-untyped-def]
        job_threads.append(threading.current_thread() is threading.main_thread())
        for i in range(3):
            progress.report(i + 1, 3, f"step {i + 1}")
        return 42

    def on_progress(done, total, msg):  # type: ignore[no-untyped-def]
        seen.append((msg, QThread.currentThread() is QApplication.instance().thread()))

    results: list[tuple[int, bool]] = []
    with qtbot.waitSignal(runner.job_finished, timeout=30_000):
        runner.start(
            job, on_progress=on_progress,
            on_result=lambda r: results.append(
                (r, QThread.currentThread() is QApplication.instance().thread())
            ),
        )
    assert job_threads == [False], "the job ran off the GUI thread"
    assert results == [(42, True)]
    assert [m for m, _ in seen] == ["step 1", "step 2", "step 3"]
    assert all(on_gui for _, on_gui in seen)
    assert not runner.busy


def test_worker_error_and_cancel(qtbot) -> None:
    runner = WorkerRunner()
    errors: list[BaseException] = []
    gate = threading.Event()

    def failing(_progress):  # type: ignore[no-untyped-def]
        raise InvalidInput("bad value")

    with qtbot.waitSignal(runner.job_finished, timeout=30_000):
        runner.start(failing, on_error=errors.append)
    assert isinstance(errors[0], InvalidInput)

    def waiting(progress):  # type: ignore[no-untyped-def]
        gate.wait(5)
        progress.check()
        return "never"

    results: list[object] = []
    with qtbot.waitSignal(runner.job_finished, timeout=30_000):
        job = runner.start(waiting, on_result=results.append, on_error=errors.append)
        job.cancel()
        gate.set()
    assert results == []
    assert isinstance(errors[1], Cancelled)


def test_error_box_expected_vs_unexpected(qapp) -> None:
    box = ui_errors.build_error_box(None, InvalidInput("The due date is before the start."))
    assert box.text() == "The due date is before the start."
    assert box.detailedText() == ""
    assert box.icon() == QMessageBox.Icon.Warning
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        box = ui_errors.build_error_box(None, exc)
    assert box.icon() == QMessageBox.Icon.Critical
    assert "ZeroDivisionError" in box.detailedText()
    assert str(ui_errors.log_file_path()) in box.informativeText()


def test_excepthook_logs_and_shows(qtbot, monkeypatch, tmp_path: Path) -> None:
    log_path = ui_errors.setup_logging(tmp_path / "app.log")
    shown: list[BaseException] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, exc: (
        logging.getLogger("qmsr_ready").error("unexpected", exc_info=exc), shown.append(exc)))
    hook = ui_errors.ExceptionHook(lambda: None)
    hook.install()
    try:
        try:
            raise RuntimeError("kaboom")
        except RuntimeError as exc:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: bool(shown), timeout=2000)
    finally:
        hook.uninstall()
        for handler in list(logging.getLogger("qmsr_ready").handlers):
            if getattr(handler, "_qmsr_file", None) == str(log_path):
                logging.getLogger("qmsr_ready").removeHandler(handler)
                handler.close()
    assert isinstance(shown[0], RuntimeError)
    assert "kaboom" in log_path.read_text(encoding="utf-8")


def test_home_selection_sets_current_and_enter_opens_checklist(
    qtbot, main_window, ctx, add_inspection
) -> None:
    code = add_inspection(ctx)
    home = main_window.views["home"]
    home.reload()
    assert home.pages.currentIndex() == 0
    assert home.model.rowCount() == 1
    home.table.setFocus()
    home.table.setCurrentIndex(home.proxy.index(0, 0))
    assert ctx.current_inspection == code
    home.table.activated.emit(home.proxy.index(0, 0))
    assert main_window.current_view_key() == "checklist"
    qtbot.waitUntil(lambda: home.model.row_at(0).readiness_known, timeout=10000)
    home.filter_edit.setText("no such thing")
    assert home.proxy.rowCount() == 0
    home.filter_edit.setText("springfield")
    assert home.proxy.rowCount() == 1


def test_empty_workspace_invites_first_steps(main_window) -> None:
    home = main_window.views["home"]
    assert home.pages.currentIndex() == 1
    assert home.start_button.accessibleName() == "Start a new inspection"
    assert home.demo_button.accessibleName() == "Open a demonstration workspace"


def test_first_run_asks_for_display_name(qtbot, main_window, ctx, monkeypatch) -> None:
    from qmsr_ready.app import ensure_display_name
    from qmsr_ready.ui.dialogs import display_name

    ctx.settings.set_display_name("")
    monkeypatch.setattr(display_name.DisplayNameDialog, "exec", lambda self: (
        self.name_edit.setText("Dana Whitfield"), self.accept(), 1)[-1])
    ensure_display_name(ctx, main_window)
    assert ctx.actor == "Dana Whitfield"
    assert main_window.status_actor.text() == "You: Dana Whitfield"


@pytest.mark.filterwarnings("ignore:.*setActiveWindow.*:DeprecationWarning")
@pytest.mark.parametrize("key", ["home", "checklist", "findings", "dashboard", "audit"])
def test_every_view_key_is_reachable_by_keyboard(qtbot, main_window, key: str) -> None:
    main_window.show()
    # The offscreen platform never activates windows by itself; window shortcuts need one.
    QApplication.setActiveWindow(main_window)
    assert QApplication.activeWindow() is main_window
    action = main_window.menu_actions[f"view_{key}"]
    seq = action.shortcut()
    qtbot.keyClick(main_window, seq[0].key(), seq[0].keyboardModifiers())
    assert main_window.current_view_key() == key
    assert main_window.nav.currentItem().data(Qt.ItemDataRole.UserRole) == key


def test_installed_binding_does_not_steal_bool_references(qapp) -> None:
    """PySide6 6.12.0 on CPython 3.11 stole a reference to True per ``emit()`` and aborted the
    process after a few hundred emits; pyproject.toml excludes it, and this fails (instead of a
    crash in the field) should a build with the defect be installed anyway."""

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        fired = Signal(int)

    emitter = Emitter()
    got: list[int] = []
    emitter.fired.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(50):
        emitter.fired.emit(i)
    assert before - sys.getrefcount(True) < 25  # the defect loses one per emit: 50
    assert got == list(range(50))


def test_demo_button_builds_and_opens_demo_workspace(qtbot, main_window, ctx) -> None:
    home = main_window.views["home"]
    main_window.show()
    qtbot.waitExposed(main_window)
    qtbot.mouseClick(home.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: ctx.workspace is not None and ctx.workspace.path.name == "demo.qmsr", timeout=60000
    )
    assert home.model.rowCount() >= 2
    assert home.pages.currentIndex() == 0
    assert main_window.windowTitle().startswith("demo")
