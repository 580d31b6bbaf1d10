"""Main window: title, menus, shortcuts, navigation, read-only workspace, settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from qmsr_ready.core.db import open_workspace
from qmsr_ready.ui.actions import SPECS
from qmsr_ready.ui.settings import AppSettings


def test_title_shows_workspace_name(main_window, workspace_path: Path) -> None:
    assert main_window.windowTitle() == f"{workspace_path.stem} — QMSR Ready"
    assert not main_window.banner.isVisibleTo(main_window)


def test_menus_and_shortcuts(main_window) -> None:
    titles = [a.text().replace("&", "") for a in main_window.menuBar().actions()]
    assert titles == ["File", "Edit", "Inspection", "View", "Help"]
    file_menu: QMenu = main_window.menuBar().actions()[0].menu()
    file_items = [a.text().replace("&", "") for a in file_menu.actions() if a.text()]
    for wanted in ("New workspace…", "Open workspace…", "Open recent", "Save a copy / Back up…",
                   "Close workspace", "Quit"):
        assert wanted in file_items
    assert main_window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Shift+Z") in main_window.redo_action.shortcuts()
    for i, key in enumerate(("home", "checklist", "findings", "dashboard", "audit"), start=1):
        assert main_window.menu_actions[f"view_{key}"].shortcut() == QKeySequence(f"Ctrl+{i}")
    shortcuts = [main_window.menu_actions[s.key].shortcut().toString() for s in SPECS]
    non_empty = [s for s in shortcuts if s]
    assert len(non_empty) == len(set(non_empty)), "no shortcut may be bound twice"


def test_view_switching_by_action(main_window) -> None:
    main_window.menu_actions.view_audit.trigger()
    assert main_window.current_view_key() == "audit"
    assert main_window.nav.currentRow() == 4
    main_window.menu_actions.view_home.trigger()
    assert main_window.current_view_key() == "home"


def test_current_inspection_updates_chrome(main_window, ctx, add_inspection) -> None:
    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    assert main_window.status_inspection.text().startswith(code)
    assert main_window.menu_actions.sign_off.isEnabled()
    assert not main_window.menu_actions.reopen.isEnabled()


def test_second_writer_opens_read_only_with_banner(
    qtbot, main_window, ctx, workspace_path: Path, tmp_path: Path, add_inspection
) -> None:
    add_inspection(ctx)
    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.main_window import MainWindow
    from qmsr_ready.ui.workers import WorkerRunner

    other = AppContext(AppSettings(tmp_path / "other.ini"), WorkerRunner())
    second = MainWindow(other)
    qtbot.addWidget(second)
    asked: list[str] = []
    second.ask_read_only = lambda exc: asked.append(exc.message) or True
    assert second.open_workspace_path(workspace_path)
    try:
        assert asked, "the user was offered read-only"
        assert other.read_only
        assert "read-only" in second.windowTitle()
        assert second.banner.isVisibleTo(second)
        assert "Read-only" in second.banner_label.text()
        assert not second.menu_actions.new_inspection.isEnabled()
        other.set_current_inspection("MI-2026-001")
        assert not second.menu_actions.sign_off.isEnabled()
        assert not second.menu_actions.reopen.isEnabled()
        assert second.menu_actions.export.isEnabled(), "a read-only workspace can still be exported"
        home = second.views["home"]
        assert not home.new_button.isEnabled()
    finally:
        other.workers.wait()
        other.workspace.close()


def test_declining_read_only_keeps_window_without_workspace(qtbot, ctx, workspace_path, tmp_path):
    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.main_window import MainWindow
    from qmsr_ready.ui.workers import WorkerRunner

    other = AppContext(AppSettings(tmp_path / "other.ini"), WorkerRunner())
    second = MainWindow(other)
    qtbot.addWidget(second)
    second.ask_read_only = lambda exc: False
    assert not second.open_workspace_path(workspace_path)
    assert other.workspace is None
    assert second.windowTitle() == "QMSR Ready"


def test_open_adds_recent_and_close(main_window, ctx, tmp_path: Path) -> None:
    path = tmp_path / "second.qmsr"
    open_workspace(path, create=True).close()
    assert main_window.open_workspace_path(path)
    assert ctx.workspace.path == path.absolute()
    assert main_window.settings.recent_files()[0] == str(path.absolute())
    assert main_window.settings.last_workspace() == str(path.absolute())
    main_window.close_workspace()
    assert ctx.workspace is None
    assert main_window.windowTitle() == "QMSR Ready"


def test_settings_round_trip(tmp_path: Path, qapp) -> None:
    s = AppSettings(tmp_path / "s.ini")
    assert s.display_name() == ""
    s.set_display_name("  Zoë Łukasiewicz  ")
    for i in range(12):
        s.add_recent_file(f"/x/{i}.qmsr")
    s.add_recent_file("/x/3.qmsr")
    s.sync()
    again = AppSettings(tmp_path / "s.ini")
    assert again.display_name() == "Zoë Łukasiewicz"
    recent = again.recent_files()
    assert recent[0] == str(Path("/x/3.qmsr"))
    assert len(recent) == 8
    assert recent.count(str(Path("/x/3.qmsr"))) == 1


def test_edit_menu_undo_redo_follow_the_stack(main_window, ctx) -> None:
    from PySide6.QtGui import QUndoCommand

    log: list[str] = []

    class Note(QUndoCommand):
        def redo(self) -> None:
            log.append("do")

        def undo(self) -> None:
            log.append("undo")

    assert not main_window.undo_action.isEnabled()
    ctx.undo_stack.push(Note("Set note"))
    assert main_window.undo_action.isEnabled()
    assert "Set note" in main_window.undo_action.text()
    main_window.undo_action.trigger()
    main_window.redo_action.trigger()
    assert log == ["do", "undo", "do"]


def test_start_opens_last_then_default_workspace(qtbot, tmp_path: Path, qapp) -> None:
    from qmsr_ready.app import GuiOptions, _open_initial_workspace
    from qmsr_ready.core.paths import default_workspace_path
    from qmsr_ready.ui.context import AppContext
    from qmsr_ready.ui.main_window import MainWindow
    from qmsr_ready.ui.workers import WorkerRunner

    settings = AppSettings(tmp_path / "start.ini")
    last = tmp_path / "last.qmsr"
    open_workspace(last, create=True).close()
    settings.set_last_workspace(str(last))
    context = AppContext(settings, WorkerRunner())
    window = MainWindow(context)
    qtbot.addWidget(window)
    _open_initial_workspace(window, GuiOptions())
    assert context.workspace.path == last.absolute()
    window.close_workspace()
    last.unlink()
    assert not default_workspace_path().exists()
    _open_initial_workspace(window, GuiOptions())
    assert context.workspace.path == default_workspace_path().absolute()
    assert default_workspace_path().exists(), "created on first run"
    window.close()
    assert context.workspace is None
    assert not settings.geometry().isEmpty(), "geometry is kept for the next start"


def test_home_count_follows_the_filter(main_window, ctx, add_inspection) -> None:
    add_inspection(ctx)
    add_inspection(ctx)
    home = main_window.views["home"]
    home.reload()
    assert home.count_label.text() == "2 inspections"
    home.filter_edit.setText("no such inspection")
    assert home.count_label.text() == "Showing 0 of 2 inspections"
    home.filter_edit.setText("")
    assert home.count_label.text() == "2 inspections"
    ctx.workers.wait()
