"""``qmsr-ready gui URL`` opens a server workspace the way File ▸ Connect does: never as a file
path, never showing the password (issue 14 QA)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from qmsr_ready.ui.dialogs import server_keyring
from qmsr_ready.ui.dialogs.connect_server import ConnectServerDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SECRET = "Tr0ub4dor&3-secret"


def test_gui_url_goes_through_connect_not_a_file(main_window, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from qmsr_ready.app import GuiOptions, _open_initial_workspace

    monkeypatch.chdir(tmp_path)
    asked: list[str] = []
    monkeypatch.setattr(main_window, "connect_server", asked.append)
    url = f"postgres://alice:{SECRET}@127.0.0.1:1/qmsr"
    before = set(tmp_path.iterdir())
    _open_initial_workspace(main_window, GuiOptions(workspace=url))
    assert asked == [url]
    assert set(tmp_path.iterdir()) == before  # no folder named after the URL


def test_a_url_fills_the_dialog_and_its_password_is_used_not_shown(
        qtbot, ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_keyring, "keyring_backend", lambda: None)
    dialog = ConnectServerDialog(ctx)
    qtbot.addWidget(dialog)
    ready = dialog.fill_from_url(
        f"postgresql+psycopg2://alice:{SECRET}@db.example:5433/qmsr?sslmode=require")
    assert ready
    assert (dialog.host.text(), dialog.port.value(), dialog.database.text(),
            dialog.user.text()) == ("db.example", 5433, "qmsr", "alice")
    assert dialog.tls.currentData() == "require"
    assert dialog.password.text() == SECRET
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert SECRET not in dialog.target().url()
    # without a password anywhere it waits for the user to type one
    other = ConnectServerDialog(ctx)
    qtbot.addWidget(other)
    assert not other.fill_from_url("postgresql://alice@db.example/qmsr")
    assert other.password.text() == ""


def test_a_bad_url_is_one_masked_line_in_the_dialog(qtbot, ctx) -> None:
    dialog = ConnectServerDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.fill_from_url(f"postgresql://alice:{SECRET}@/")
    assert "names no host" in dialog.problem.text()
    assert SECRET not in dialog.problem.text()


def test_expected_worker_failures_are_one_info_line_without_traceback(
        qtbot, ctx, caplog: pytest.LogCaptureFixture) -> None:
    from qmsr_ready.core.server.errors import ServerUnreachable

    def unreachable(_progress: object) -> None:
        raise ServerUnreachable("db.example", 5432, f"password={SECRET} refused")

    def bug(_progress: object) -> None:
        raise RuntimeError("a bug")

    caplog.set_level(logging.INFO, logger="qmsr_ready.ui.workers")
    failures: list[BaseException] = []
    for fn in (unreachable, bug):
        ctx.workers.start(fn, on_error=failures.append)
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=10000)
    expected = [r for r in caplog.records if "db.example" in r.getMessage()]
    assert len(expected) == 1
    assert expected[0].levelno == logging.INFO
    assert expected[0].exc_info is None
    assert SECRET not in expected[0].getMessage()
    unexpected = [r for r in caplog.records if r.exc_info and "a bug" in str(r.exc_info[1])]
    assert len(unexpected) == 1
    assert unexpected[0].levelno == logging.ERROR
