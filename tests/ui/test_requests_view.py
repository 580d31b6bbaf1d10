"""Requests view: keyboard capture, status keys and undo, the live clock, LATE, present, stats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.inspection_day.views import list_requests
from qmsr_ready.core.models import Evidence
from qmsr_ready.core.services import requests as request_service
from qmsr_ready.ui.models.requests_model import (
    COL,
    RequestsFilterProxy,
    RequestsTableModel,
)
from qmsr_ready.ui.views.requests_view import RequestsView
from qmsr_ready.ui.widgets.request_capture import parse_capture

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


class Clock:
    """A clock the test moves by hand (no sleeping)."""

    def __init__(self) -> None:
        self.at = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, minutes: float) -> None:
        self.at += dt.timedelta(minutes=minutes)


def _view(qtbot, env: ViewsEnv, clock: Clock | None = None) -> RequestsView:
    view = RequestsView(env.ctx, now=clock or Clock())
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.set_inspection(env.code)
    with qtbot.waitActive(view):  # focus and shortcuts need the active window
        view.show()
        view.activateWindow()
    return view


def _requests(env: ViewsEnv):  # type: ignore[no-untyped-def]
    with env.ctx.read() as s:
        return {r.code: r for r in list_requests(s, env.code)}


def test_enter_logs_the_request_selects_it_and_returns_to_the_field(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    view.capture.field.setFocus()
    qtbot.keyClicks(view.capture.field, "rec: Complaint log for 2025 @Aoife Keane")
    qtbot.keyClick(view.capture.field, Qt.Key.Key_Return)
    stored = _requests(views_env)["R-001"]
    assert stored.text == "Complaint log for 2025"
    assert stored.kind == "record"
    assert stored.owner == "Aoife Keane"
    assert stored.element_id == "MA-03"  # suggested from the words typed
    assert stored.requested_at is not None
    assert view.selected_code() == "R-001"
    assert view.capture.field.text() == ""
    assert view.focusWidget() is view.capture.field
    assert view.capture.field.hasFocus()
    qtbot.keyClicks(view.capture.field, "Management review minutes")
    qtbot.keyClick(view.capture.field, Qt.Key.Key_Enter)
    assert view.selected_code() == "R-002"
    assert view.model.rowCount() == 2


def test_quick_prefixes_parse() -> None:
    assert parse_capture("int: QA manager @Dana").kind == "interview"
    assert parse_capture("tour: cleanroom").text == "cleanroom"
    plain = parse_capture("Ratio: 3 lots")  # not a known prefix: kept as typed
    assert (plain.text, plain.kind, plain.owner) == ("Ratio: 3 lots", None, None)


def test_status_keys_move_the_request_and_undo_takes_the_move_back(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    code = view.log_request(parse_capture("CAPA log"))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert _requests(views_env)[code].status == "in_retrieval"
    # Alt+Right works from the capture field too, without leaving it.
    view.capture.field.setFocus()
    qtbot.keyClick(view.capture.field, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert _requests(views_env)[code].status == "in_qa_review"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert _requests(views_env)[code].status == "in_retrieval"
    views_env.ctx.undo_stack.undo()  # undo the step back
    assert _requests(views_env)[code].status == "in_qa_review"
    views_env.ctx.undo_stack.undo()
    views_env.ctx.undo_stack.undo()
    stored = _requests(views_env)[code]
    assert stored.status == "requested"
    assert len(stored.moves) == 1
    views_env.ctx.undo_stack.redo()
    assert _requests(views_env)[code].status == "in_retrieval"
    qtbot.keyClick(view.table, Qt.Key.Key_W,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _requests(views_env)[code].status == "withdrawn"
    assert view.step_selected(1) is False
    assert "already withdrawn" in view.message.text()
    assert "Ctrl+Right" in view.table.toolTip()
    assert "Ctrl+Shift+W" in view.table.toolTip()


def test_undo_of_logging_deletes_and_redo_brings_back_the_same_number(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    code = view.log_request(parse_capture("Training matrix"))
    views_env.ctx.undo_stack.undo()
    assert code not in _requests(views_env)
    views_env.ctx.undo_stack.redo()
    assert _requests(views_env)[code].text == "Training matrix"
    assert view.model.rowCount() == 1


def test_elapsed_time_ticks_with_the_injected_clock_and_turns_late(qtbot, views_env) -> None:
    clock = Clock()
    with views_env.ctx.write("request", views_env.code) as s:
        request_service.add_request(s, ACTOR, inspection_code=views_env.code, text="MDF index",
                                    requested_at=clock.at)
    view = _view(qtbot, views_env, clock)
    index = view.model.index(0, COL["Elapsed"])
    assert index.data() == "0 s"
    clock.advance(14)
    view.timer.timeout.emit()  # what the QTimer does every few seconds
    assert index.data() == "14 min"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    clock.advance(1.5)
    view.timer.timeout.emit()
    assert index.data() == "⚠ 16 min LATE"  # 15.5 min: a late time rounds up
    assert index.data(Qt.ItemDataRole.ForegroundRole).name().upper() == "#D55E00"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "1 late" in view.headline.text()
    # A longer target (workspace setting, edited in the view) makes it on time again.
    view.target.setValue(20)
    view.target.editingFinished.emit()
    assert view.model.target == dt.timedelta(minutes=20)
    assert index.data() == "15 min"
    views_env.ctx.undo_stack.undo()
    assert view.model.target == dt.timedelta(minutes=15)


def test_models_pass_modeltester(qtmodeltester, views_env) -> None:
    with views_env.ctx.write("request", views_env.code) as s:
        for text in ("Complaint log", "CAPA log", "Tour of the warehouse"):
            request_service.add_request(s, ACTOR, inspection_code=views_env.code, text=text)
        request_service.move_request(s, ACTOR, views_env.code, "R-002", "withdrawn")
    model = RequestsTableModel()
    model.set_rows(list(_requests(views_env).values()))
    qtmodeltester.check(model)
    proxy = RequestsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(open_only=True)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2
    proxy.set_filters(open_only=False, text="tour")
    assert proxy.rowCount() == 1


def test_present_dialog_records_document_version_and_a_deduplicated_file(
    qtbot, views_env, tmp_path: Path
) -> None:
    view = _view(qtbot, views_env)
    first = view.log_request(parse_capture("Complaint procedure"))
    second = view.log_request(parse_capture("Complaint log"))
    shown = tmp_path / "SOP-014.pdf"
    shown.write_bytes(b"%PDF-1.4 complaint handling rev 7")

    dialog = view.open_present(first)
    assert dialog is not None
    dialog.document_id.setText("SOP-014")
    dialog.version.setText("7")
    dialog.file.setText(str(shown))
    dialog.buttons.accepted.emit()
    stored = _requests(views_env)[first]
    assert stored.status == "presented"
    assert [(i.document_id, i.version) for i in stored.items] == [("SOP-014", "7")]
    assert len(stored.items[0].sha256) == 64

    # A part only: the same file again (stored once), and the request stays open.
    dialog = view.open_present(second)
    dialog.document_id.setText("SOP-014")
    dialog.version.setText("7")
    dialog.file.setText(str(shown))
    assert dialog.add_current()
    dialog.document_id.setText("LOG-CMP")
    dialog.version.setText("export 2026-11-25")
    dialog.final.setChecked(False)
    dialog.buttons.accepted.emit()
    stored = _requests(views_env)[second]
    assert stored.status == "requested"
    assert [i.document_id for i in stored.items] == ["SOP-014", "LOG-CMP"]
    with views_env.ctx.read() as s:
        assert len(s.scalars(select(Evidence)).all()) == 1
    views_env.ctx.undo_stack.undo()
    assert _requests(views_env)[second].items == ()
    views_env.ctx.undo_stack.undo()
    stored = _requests(views_env)[first]
    assert stored.status == "requested"
    assert stored.items == ()
    assert stored.presented_at is None


def test_present_dialog_asks_for_a_document_id(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    code = view.log_request(parse_capture("Calibration list"))
    dialog = view.open_present(code)
    dialog.version.setText("3")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "document ID" in dialog.message.text()
    dialog.reject()
    assert _requests(views_env)[code].status == "requested"


def test_statistics_are_shown(qtbot, views_env) -> None:
    clock = Clock()
    start = clock.at - dt.timedelta(hours=2)
    with views_env.ctx.write("request", views_env.code) as s:
        for i, (owner, minutes) in enumerate((("Dana", 10), ("Dana", 20), ("Eli", 30))):
            req = request_service.add_request(
                s, ACTOR, inspection_code=views_env.code, text=f"Record {i}", owner=owner,
                requested_at=start)
            request_service.move_request(s, ACTOR, views_env.code, req.code, "presented",
                                         at=start + dt.timedelta(minutes=minutes))
    view = _view(qtbot, views_env, clock)
    text = view.headline.text()
    for part in ("3 requests", "3 presented", "median 20 min", "p90 30 min",
                 "longest 30 min", "2 late"):
        assert part in text
    by_owner = view.stats.models["by_owner"]
    assert [by_owner.index(r, 0).data() for r in range(by_owner.rowCount())] == ["Dana", "Eli"]
    assert by_owner.index(0, 5).data() == "15 min"  # Dana's median
    assert view.stats.models["by_day"].rowCount() >= 1


def test_predicted_requests_are_staged_as_prepared(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    with qtbot.waitSignal(view.predicted_dialog_opened) as opened:
        view.predict_button.click()
    dialog = opened.args[0]
    texts = [p.text for p in dialog.predictions]
    assert any("Complaint log" in t for t in texts)
    assert any("Management review" in t for t in texts)
    for i in range(dialog.list.count()):
        if "Complaint log" not in dialog.list.item(i).text():
            dialog.list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.stage_button.click()
    stored = list(_requests(views_env).values())
    assert len(stored) == 1
    assert stored[0].status == "prepared"
    assert stored[0].requested_at is None
    assert stored[0].element_id == "MA-03"
    assert "pre-staged" in view.headline.text()
    # When the investigator asks for it, one key starts its clock.
    view.select_request(stored[0].code)
    assert view.step_selected(1)
    assert _requests(views_env)[stored[0].code].status == "requested"


def test_notes_and_roster_are_edited_from_the_view(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    code = view.log_request(parse_capture("CAPA log"))
    view.notes.topic.setText("CAPA")
    view.notes.links.setText(code)
    qtbot.keyClicks(view.notes.text, "Investigator asked why CAPA-12 was closed early")
    qtbot.keyClick(view.notes.text, Qt.Key.Key_Return)
    assert view.notes.model.rowCount() == 1
    assert view.notes.model.index(0, 4).data() == code
    assert view.notes.model.index(0, 1).data().startswith("CAPA: Investigator asked")
    assert view.notes.topic.text() == "CAPA"  # kept for the next note
    view.roster.table.selectRow(0)
    view.roster.presenter.setText("Dana Whitfield")
    view.roster.prepared.setChecked(True)
    view.roster.save_button.click()
    row = view.roster.model.row_at(0)
    assert row.entry.presenter == "Dana Whitfield"
    assert row.entry.prepared
    assert "no backup" in view.roster.model.index(0, 5).data()
    views_env.ctx.undo_stack.undo()
    assert view.roster.model.row_at(0).entry.presenter == ""


def test_signed_off_inspection_refuses_edits_with_a_clear_message(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    code = view.log_request(parse_capture("Quality manual"))
    with views_env.ctx.write("signoff", views_env.code) as s:
        services.sign_off(s, ACTOR, views_env.code, name="Quinn Lead", meaning="Approved")
    assert "Signed off" in view.banner.text()
    assert not view.capture.isEnabled()
    assert view.log_request(parse_capture("Another")) == ""
    assert "signed off" in view.message.text()
    view.select_request(code)
    assert view.step_selected(1) is False
    assert "signed off" in view.message.text()
    assert _requests(views_env)[code].status == "requested"


def test_read_only_workspace_refuses_edits_with_a_clear_message(qtbot, views_env) -> None:
    view = _view(qtbot, views_env)
    code = view.log_request(parse_capture("Supplier list"))
    path = views_env.ctx.workspace.path
    views_env.ctx.workspace.close()
    from qmsr_ready.core.db import open_workspace

    views_env.ctx.set_workspace(open_workspace(path, read_only=True))
    views_env.ctx.set_current_inspection(views_env.code)
    assert "read-only" in view.banner.text()
    assert not view.capture.isEnabled()
    view.select_request(code)
    assert view.step_selected(1) is False
    assert "read-only" in view.message.text()
