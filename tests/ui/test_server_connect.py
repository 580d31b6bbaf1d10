"""File ▸ Connect to server: the URL it builds, where the password goes (and never goes), and
what an unreachable server looks like."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from qmsr_ready.ui.dialogs import connect_server, server_jobs, server_keyring
from qmsr_ready.ui.dialogs.connect_server import ConnectServerDialog, ServerTarget

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SECRET = "Tr0ub4dor&3-secret"


class MemoryKeyring:
    """A keyring backend in memory (the CI machine has no desktop keyring)."""

    priority = 1

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.items.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.items[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        self.items.pop((service, user), None)


class FakeWorkspace:
    closed = False

    def close(self) -> None:
        self.closed = True


def _closed_port() -> int:
    with socket.socket() as s:  # a port nobody listens on (bound, then released)
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dialog(qtbot, ctx) -> ConnectServerDialog:
    dialog = ConnectServerDialog(ctx)
    qtbot.addWidget(dialog)
    return dialog


def _fill(dialog: ConnectServerDialog, host: str = "db.plant.example", port: int = 5433) -> None:
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText("qmsr team")
    dialog.user.setText("auditor@site")
    dialog.password.setText(SECRET)


def test_url_from_fields_escapes_names_and_carries_tls(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    _fill(dialog)
    dialog.tls.setCurrentIndex(dialog.tls.findData("verify-full"))
    dialog.ca_file.setText("/etc/ssl/team-ca.pem")
    url = dialog.target().url()
    assert url == ("postgresql+psycopg://auditor%40site@db.plant.example:5433/qmsr team"
                   "?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Fteam-ca.pem")
    assert SECRET not in url
    assert ServerTarget.from_url(url) == dialog.target()  # a remembered URL fills the fields back
    dialog.tls.setCurrentIndex(dialog.tls.findData("disable"))
    assert not dialog.ca_file.isEnabled()
    assert dialog.target().url().endswith("?sslmode=disable")


def test_verify_full_without_ca_file_is_refused_in_the_dialog(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    _fill(dialog)
    dialog.tls.setCurrentIndex(dialog.tls.findData("verify-full"))
    dialog.connect_now()
    assert "CA certificate" in dialog.problem.text()
    assert dialog.open_button.isEnabled()


def test_password_goes_to_the_keyring_only(qtbot, ctx, app_settings, monkeypatch) -> None:
    ring = MemoryKeyring()
    monkeypatch.setattr(server_keyring, "keyring_backend", lambda: ring)
    opened: list[tuple[str, str]] = []

    def fake_open(target: ServerTarget, password: str, actor: str) -> FakeWorkspace:
        opened.append((target.url(), password))
        return FakeWorkspace()

    monkeypatch.setattr(server_jobs, "open_server_job", fake_open)
    dialog = _dialog(qtbot, ctx)
    assert dialog.remember.isEnabled()
    _fill(dialog)
    dialog.remember.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.connect_now()
    assert isinstance(dialog.workspace, FakeWorkspace)
    assert opened == [(dialog.target().url(), SECRET)]
    assert ring.items == {("qmsr-ready", "auditor@site@db.plant.example:5433/qmsr team"): SECRET}
    app_settings.sync()
    text = Path(app_settings.path).read_text(encoding="utf-8")
    assert SECRET not in text
    assert "db.plant.example" in text  # remembered as a recent server, without the password
    assert app_settings.recent_servers() == [dialog.target().url()]
    # Next time the fields and the saved password come back; unticking forgets it.
    again = _dialog(qtbot, ctx)
    assert again.host.text() == "db.plant.example"
    assert again.password.text() == SECRET
    assert again.remember.isChecked()
    again.remember.setChecked(False)
    with qtbot.waitSignal(again.accepted, timeout=5000):
        again.connect_now()
    assert ring.items == {}


def test_without_a_keyring_it_says_so_and_asks_each_time(qtbot, ctx, monkeypatch) -> None:
    monkeypatch.setattr(server_keyring, "keyring_backend", lambda: None)
    dialog = _dialog(qtbot, ctx)
    assert not dialog.remember.isEnabled()
    assert "No system keyring" in dialog.remember.text()
    target = ServerTarget("h", 5432, "d", "u")
    assert connect_server.remember_password(target, SECRET, True).startswith("No system keyring")
    assert connect_server.saved_password(target) is None


def test_unreachable_server_is_one_line_and_offers_a_local_file(qtbot, ctx, app_settings) -> None:
    dialog = _dialog(qtbot, ctx)
    _fill(dialog, host="127.0.0.1", port=_closed_port())
    dialog.tls.setCurrentIndex(dialog.tls.findData("disable"))
    dialog.show()
    dialog.connect_now()
    assert not dialog.open_button.isEnabled()  # connecting on a worker; the window lives on
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog), timeout=20000)
    message = dialog.problem.text()
    assert message.startswith("Cannot reach the database server 127.0.0.1:")
    assert "\n" not in message
    assert SECRET not in message
    assert dialog.local_button.isVisibleTo(dialog)
    assert dialog.open_button.isEnabled()
    assert dialog.workspace is None
    dialog.local_button.click()
    assert dialog.wants_local_file
    app_settings.sync()
    assert SECRET not in Path(app_settings.path).read_text(encoding="utf-8")


def test_a_driver_error_is_never_echoed(qtbot, ctx, monkeypatch) -> None:
    def boom(*_args: Any) -> None:
        raise RuntimeError(f"connection string host=x password={SECRET}")

    monkeypatch.setattr(server_jobs, "open_server_job", boom)
    dialog = _dialog(qtbot, ctx)
    _fill(dialog)
    dialog.connect_now()
    qtbot.waitUntil(lambda: bool(dialog.problem.text()), timeout=5000)
    assert SECRET not in dialog.problem.text()
    assert "RuntimeError" in dialog.problem.text()


def test_dialog_renders_at_1366x768(qtbot, ctx, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(server_keyring, "keyring_backend", lambda: None)
    dialog = _dialog(qtbot, ctx)
    _fill(dialog)
    dialog.show_problem("Cannot reach the database server db.plant.example:5433 (timeout). "
                        "Check the host, port and network, or work in a local file and merge "
                        "it into the server later.", offer_local=True)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.grab()
    assert 0 < image.width() <= 1366
    assert 0 < image.height() <= 768
    assert image.save(str(tmp_path / "connect.png"))
