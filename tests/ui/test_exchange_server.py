"""Merging between a file and a server in the GUI, and connecting to an empty server database.

The dialog flows run everywhere against a stand-in for core's ``open_workspace``; the merges and
the empty-database states run against the test server when QMSR_TEST_DATABASE_URL names one
(``.ci/run`` starts it), on fresh databases from ``tests/server/pg_backend.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow
from server import pg_backend

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import NotAWorkspace
from qmsr_ready.core.exchange.plan import ExchangePlan
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.server.errors import ServerUnreachable
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.dialogs import connect_server, server_keyring
from qmsr_ready.ui.dialogs.connect_server import ConnectServerDialog, ServerTarget
from qmsr_ready.ui.exchange_ops import ExchangeOps

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SECRET = "S3rver-pw&merge"
URL = "postgresql+psycopg://auditor@db.plant.example:5433/team?sslmode=prefer"


class FakeWorkspace:
    def __init__(self, workspace_id: str = "ws-1") -> None:
        self.workspace_id = workspace_id
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeOpen:
    """Stands in for core's ``open_workspace``: records each call and answers as told."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer  # a workspace, an exception, or a callable(create) -> either
        self.calls: list[dict[str, Any]] = []

    def __call__(self, target: str, create: bool = False, read_only: bool = False,
                 actor: str | None = None, *, password: str | None = None) -> Any:
        self.calls.append({"target": target, "create": create, "read_only": read_only,
                           "password": password})
        answer = self.answer(create) if callable(self.answer) else self.answer
        if isinstance(answer, BaseException):
            raise answer
        return answer


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_keyring, "keyring_backend", lambda: None)


def _fake_open(monkeypatch: pytest.MonkeyPatch, answer: Any) -> FakeOpen:
    fake = FakeOpen(answer)
    monkeypatch.setattr("qmsr_ready.core.db.open_workspace", fake)
    return fake


def _dialog(qtbot, ctx: AppContext, url: str = URL, password: str = SECRET,  # type: ignore[no-untyped-def]
            purpose: str = "open") -> ConnectServerDialog:
    dialog = ConnectServerDialog(ctx, purpose=purpose)
    qtbot.addWidget(dialog)
    dialog.fill(ServerTarget.from_url(url))
    if password:
        dialog.password.setText(password)
    return dialog


def _settings_text(ctx: AppContext) -> str:
    ctx.settings.sync()
    return Path(ctx.settings.path).read_text(encoding="utf-8")


# -- File ▸ Connect to server: a database with no workspace yet -----------------------------
def test_empty_database_offers_to_create_a_workspace(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    created = FakeWorkspace()
    fake = _fake_open(monkeypatch, lambda create: created if create else NotAWorkspace("empty"))
    dialog = _dialog(qtbot, ctx)
    dialog.show()
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.create_button.isVisibleTo(dialog), timeout=5000)
    message = dialog.problem.text()
    assert "holds no QMSR Ready workspace yet" in message
    assert "server init" in message
    assert SECRET not in message
    assert not dialog.local_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.create_button.click()
    assert dialog.workspace is created
    assert [c["create"] for c in fake.calls] == [False, True]
    assert fake.calls[1]["password"] == SECRET
    assert ctx.settings.recent_servers() == [dialog.target().url()]
    assert SECRET not in _settings_text(ctx)


def test_initialised_but_unused_database_counts_as_empty(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    """``server init`` leaves the tables but no workspace identity: offer to create one too."""
    unused = FakeWorkspace(workspace_id="")
    _fake_open(monkeypatch, unused)
    dialog = _dialog(qtbot, ctx)
    dialog.show()
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.create_button.isVisibleTo(dialog), timeout=5000)
    assert unused.closed
    assert dialog.workspace is None


def test_create_after_the_fields_changed_checks_the_new_database_first(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    fake = _fake_open(monkeypatch, NotAWorkspace("empty"))
    dialog = _dialog(qtbot, ctx)
    dialog.show()
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.create_button.isVisibleTo(dialog), timeout=5000)
    dialog.database.setText("another")
    dialog.create_button.click()
    qtbot.waitUntil(lambda: len(fake.calls) == 2 and dialog.open_button.isEnabled(),
                    timeout=5000)
    assert [c["create"] for c in fake.calls] == [False, False]
    assert "/another" in fake.calls[1]["target"]


def test_a_refused_create_says_why_in_one_line_and_withdraws_the_offer(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    from qmsr_ready.core.server.errors import ServerNotMigrated

    refusal = ServerNotMigrated("The role 'auditor' may not create or change tables in team; "
                                "the database's owner runs: qmsr-ready server init URL")
    _fake_open(monkeypatch, lambda create: refusal if create else NotAWorkspace("empty"))
    dialog = _dialog(qtbot, ctx)
    dialog.show()
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.create_button.isVisibleTo(dialog), timeout=5000)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: "may not create" in dialog.problem.text(), timeout=5000)
    assert not dialog.create_button.isVisibleTo(dialog)
    assert dialog.workspace is None


# -- File ▸ Merge from server: the dialog picks the server -----------------------------------
def test_merge_mode_checks_the_login_read_only_and_hands_back_the_url(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    opened = FakeWorkspace()
    fake = _fake_open(monkeypatch, opened)
    dialog = _dialog(qtbot, ctx, purpose="merge")
    assert dialog.open_button.text() == "Choose"
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.connect_now()
    assert fake.calls == [{"target": URL, "create": False, "read_only": True,
                           "password": SECRET}]
    assert opened.closed  # only a check: the merge opens its own read-only connection
    assert dialog.workspace is None
    assert dialog.merge_source.startswith("postgresql+psycopg://auditor:")
    assert "db.plant.example:5433/team" in dialog.merge_source
    assert SECRET not in _settings_text(ctx)


@pytest.mark.parametrize("answer", [NotAWorkspace("empty"), FakeWorkspace(workspace_id="")])
def test_merge_mode_refuses_an_empty_database_without_offering_to_create(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None, answer: Any
) -> None:
    _fake_open(monkeypatch, answer)
    dialog = _dialog(qtbot, ctx, purpose="merge")
    dialog.show()
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog), timeout=5000)
    assert "nothing to merge" in dialog.problem.text()
    assert not dialog.create_button.isVisibleTo(dialog)
    assert dialog.merge_source == ""


def test_merge_mode_does_not_offer_a_local_file_when_unreachable(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    _fake_open(monkeypatch, ServerUnreachable("db.plant.example", 5433, "timeout expired"))
    dialog = _dialog(qtbot, ctx, purpose="merge")
    dialog.show()
    dialog.connect_now()
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog), timeout=5000)
    assert dialog.problem.text().startswith("Cannot reach the database server")
    assert not dialog.local_button.isVisibleTo(dialog)


def test_new_dialog_states_render_at_1366x768(
    qtbot, ctx: AppContext, tmp_path: Path, no_keyring: None
) -> None:
    shots = Path(os.environ.get("QMSR_SHOTS", tmp_path))
    empty = _dialog(qtbot, ctx)
    empty.show_problem(connect_server.empty_message(empty.target()), offer_create=True)
    merge = _dialog(qtbot, ctx, purpose="merge")
    merge.setWindowTitle("Merge a server workspace into MI-2026-001")
    for name, dialog in (("connect-empty", empty), ("merge-from-server", merge)):
        dialog.resize(dialog.sizeHint())
        dialog.show()
        qtbot.waitExposed(dialog)
        image = dialog.grab()
        assert 0 < image.width() <= 1366
        assert 0 < image.height() <= 768
        assert image.save(str(shots / f"{name}.png"))
    assert empty.create_button.isVisibleTo(empty)
    assert empty.problem.heightForWidth(empty.problem.width()) <= empty.problem.height()


# -- ExchangeOps and the undo step ----------------------------------------------------------
def test_merge_from_server_action_follows_the_merge_rules(ctx: AppContext, qtbot) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.ui.actions import build_actions

    window = QMainWindow()
    qtbot.addWidget(window)
    ops = ExchangeOps(ctx, window)
    actions = build_actions(window, {})
    ops.update_actions(actions, "", "")
    assert not actions["merge_server"].isEnabled()
    assert "Home list" in actions["merge_server"].toolTip()
    ops.update_actions(actions, "MI-1", "signed_off")
    assert "Reopen" in actions["merge_server"].toolTip()
    ops.update_actions(actions, "MI-1", "in_progress")
    assert actions["merge_server"].isEnabled()
    assert "server workspace" in actions["merge_server"].toolTip()


def test_cancelled_server_choice_starts_nothing(
    ctx: AppContext, add_inspection: Any, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    ops = ExchangeOps(ctx, window)
    ctx.set_current_inspection(add_inspection(ctx))
    ops.choose_server = lambda title: ""  # type: ignore[method-assign]
    assert ops.merge_from_server() is None
    assert ops.job is None


def test_exchange_command_names_a_server_without_its_password(ctx: AppContext) -> None:
    from qmsr_ready.ui.commands.exchange import ExchangeCommand

    source = f"postgresql+psycopg://auditor:{SECRET}@db.plant.example:5433/team"
    command = ExchangeCommand(ctx, kind="merge", path=source, inspection_code="MI-1")
    assert command.path == source  # kept whole (a Path would fold the '//')
    assert SECRET not in command.text()
    assert "db.plant.example:5433/team" in command.text()


# -- against the test server ----------------------------------------------------------------
class Harness:
    """ExchangeOps on a bare window; the preview accepts the plan as shown."""

    def __init__(self, ctx: AppContext, qtbot: Any) -> None:
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.ops = ExchangeOps(ctx, self.window)
        self.plans: list[ExchangePlan] = []
        self.errors: list[BaseException] = []
        self.ops.report_error = lambda exc, title="": self.errors.append(exc)  # type: ignore[method-assign]
        self.ops.preview = self._preview  # type: ignore[method-assign]

    def _preview(self, plan: ExchangePlan) -> dict:  # type: ignore[type-arg]
        self.plans.append(plan)
        return {}


def _run(qtbot, ctx: AppContext, ops: ExchangeOps, start: Any) -> None:  # type: ignore[no-untyped-def]
    """Start a merge and wait for ITS planning job (the dialog's login check is another job)."""
    with qtbot.waitSignal(ctx.workers.job_finished, timeout=60000,
                          check_params_cb=lambda job: job is ops.job):
        assert start() is not None


def _notes(ctx: AppContext, code: str, qid: str) -> str:
    with ctx.read() as s:
        return str(read_mine(s, code).of("response")[qid]["notes"])


def _first_question(ctx: AppContext, code: str) -> str:
    with ctx.read() as s:
        return sorted(read_mine(s, code).of("response"))[0]


def _record(target: str | Path, code: str, qid: str, notes: str, actor: str) -> None:
    ws = open_workspace(target, actor=actor)
    try:
        with ws.begin() as s:
            services.record_response(s, actor, inspection_code=code, question_id=qid,
                                     result="conforms", notes=notes)
    finally:
        ws.close()


@pytest.fixture
def team_db(ctx: AppContext, add_inspection: Any) -> Iterator[tuple[str, str, str]]:
    """(server URL, inspection code, question ID): the ctx file's inspection copied into a
    fresh database on the test server; the ctx file stays open."""
    from qmsr_ready.core.transfer.copy import copy_workspace

    pg_backend.admin_url()  # skip before building anything without a server
    code = add_inspection(ctx)
    qid = _first_question(ctx, code)
    assert ctx.workspace is not None
    url = pg_backend.fresh_database(migrated=False)
    copy = ctx.workspace.path.with_name("snapshot.qmsr")
    ctx.workspace.backup_to(copy)
    copy_workspace(copy, pg_backend.url_text(url))
    yield pg_backend.url_text(url), code, qid
    pg_backend.drop(url)


def test_laptop_file_merges_into_the_open_server_workspace(
    qtbot, ctx: AppContext, team_db: tuple[str, str, str]
) -> None:
    url, code, qid = team_db
    laptop = ctx.workspace
    assert laptop is not None
    laptop_path = laptop.path
    ctx.set_workspace(open_workspace(url, actor="Team Lead"))  # the team database is open
    laptop.close()
    _record(laptop_path, code, qid, "Seen offline on the laptop", "Auditor")
    ctx.set_current_inspection(code)
    harness = Harness(ctx, qtbot)
    _run(qtbot, ctx, harness.ops, lambda: harness.ops.merge_workspace(laptop_path))
    assert harness.errors == []
    assert harness.plans[0].source.name == laptop_path.name
    assert _notes(ctx, code, qid) == "Seen offline on the laptop"
    assert ctx.undo_stack.undoText() == f"Merge {laptop_path.name} ({code})"
    ctx.undo_stack.undo()
    assert _notes(ctx, code, qid) == ""


def test_server_workspace_merges_into_the_open_file(
    qtbot, ctx: AppContext, team_db: tuple[str, str, str], no_keyring: None
) -> None:
    url, code, qid = team_db
    _record(url, code, qid, "Written in the team database", "Colleague")
    ctx.set_current_inspection(code)
    harness = Harness(ctx, qtbot)
    password = pg_backend.admin_url().password or ""

    def choose(title: str) -> str:  # the real dialog, in merge mode, driven like a user
        dialog = ConnectServerDialog(ctx, harness.window, purpose="merge")
        qtbot.addWidget(dialog)
        assert dialog.fill_from_url(url) == bool(password)
        with qtbot.waitSignal(dialog.accepted, timeout=30000):
            dialog.connect_now()
        return dialog.merge_source

    harness.ops.choose_server = choose  # type: ignore[method-assign]
    _run(qtbot, ctx, harness.ops, harness.ops.merge_from_server)
    assert harness.errors == []
    assert _notes(ctx, code, qid) == "Written in the team database"
    undo_text = ctx.undo_stack.undoText()
    assert undo_text.startswith("Merge postgresql+psycopg://")
    if password:
        assert password not in undo_text
        assert password not in harness.plans[0].source.name
        assert password not in _settings_text(ctx)
    ctx.undo_stack.undo()
    assert _notes(ctx, code, qid) == ""


@pytest.mark.parametrize("migrated", [False, True], ids=["no-tables", "after-server-init"])
def test_empty_server_database_gets_a_new_workspace_from_the_dialog(
    qtbot, ctx: AppContext, no_keyring: None, migrated: bool
) -> None:
    url = pg_backend.fresh_database(migrated=migrated)
    try:
        dialog = ConnectServerDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.fill_from_url(pg_backend.url_text(url))
        dialog.show()
        dialog.connect_now()
        qtbot.waitUntil(lambda: dialog.create_button.isVisibleTo(dialog), timeout=30000)
        assert "server init" in dialog.problem.text()
        with qtbot.waitSignal(dialog.accepted, timeout=30000):
            dialog.create_button.click()
        ws = dialog.workspace
        assert ws is not None
        assert ws.is_server
        assert ws.workspace_id
        ws.close()
    finally:
        pg_backend.drop(url)


def test_editor_on_a_database_without_tables_is_told_to_ask_the_owner(
    qtbot, ctx: AppContext, no_keyring: None
) -> None:
    url = pg_backend.fresh_database(migrated=False)
    editor = f"qmsr_gui_editor_{os.getpid()}"
    pg_backend.admin_execute(f"CREATE ROLE {editor} LOGIN PASSWORD 'pw'")
    pg_backend.admin_execute(f'GRANT CONNECT ON DATABASE "{url.database}" TO {editor}')
    try:
        dialog = ConnectServerDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.fill_from_url(pg_backend.url_text(url.set(username=editor, password="pw")))
        dialog.show()
        dialog.connect_now()
        qtbot.waitUntil(lambda: dialog.create_button.isVisibleTo(dialog), timeout=30000)
        dialog.create_button.click()
        qtbot.waitUntil(lambda: "server init" in dialog.problem.text()
                        and not dialog.create_button.isVisibleTo(dialog), timeout=30000)
        assert "may not create" in dialog.problem.text()
        assert dialog.workspace is None
    finally:
        pg_backend.drop(url)
        pg_backend.admin_execute(f"DROP OWNED BY {editor}")
        pg_backend.admin_execute(f"DROP ROLE IF EXISTS {editor}")

