"""Opening a workspace by URL: masking, errors in one line, the same schema and trail."""

from __future__ import annotations

import pytest
from server import pg_backend

from qmsr_ready.cli import main
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import NotAWorkspace, WorkspaceReadOnly
from qmsr_ready.core.migrations import HEAD_REVISION, head_revision
from qmsr_ready.core.server.errors import ServerUnreachable
from qmsr_ready.core.server.url import display_location, is_server_url


def test_head_constant_matches_the_shipped_revisions() -> None:
    assert head_revision() == HEAD_REVISION


@pytest.mark.parametrize(("target", "server"), [
    ("postgresql+psycopg://u@h/db", True), ("postgresql://u@h:5433/db", True),
    ("POSTGRES://u@h/db", True), ("/tmp/postgresql.qmsr", False), ("work.qmsr", False),
])
def test_is_server_url(target: str, server: bool) -> None:
    assert is_server_url(target) is server


def test_display_location_masks_the_password() -> None:
    shown = display_location("postgresql+psycopg://alice:s3cret@db.example:5433/qmsr?sslmode=require")
    assert "s3cret" not in shown
    assert "alice" in shown
    assert "db.example:5433/qmsr" in shown
    assert display_location("/x/y.qmsr") == "/x/y.qmsr"


def test_unreachable_server_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://alice:s3cret@127.0.0.1:1/qmsr"
    with pytest.raises(ServerUnreachable, match=r"127\.0\.0\.1:1"):
        open_workspace(url)
    assert main(["verify", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    for words in ("127.0.0.1:1", "local file", "merge"):
        assert words in err
    assert "s3cret" not in err


def test_create_open_and_verify(server_url) -> None:
    text = pg_backend.url_text(server_url)
    with open_workspace(text, create=True, actor="Alice") as ws:
        assert ws.is_server
        assert ws.path.name == server_url.database
        assert ws.workspace_id
        first_id = ws.workspace_id
    with open_workspace(text) as ws, ws.session() as s:
        assert ws.workspace_id == first_id  # opening again keeps the identity
        report = verify_chain(s)
    assert report.ok, report.problem
    assert report.event_count == 1


def test_an_empty_database_is_not_a_workspace_without_create(empty_server_url) -> None:
    with pytest.raises(NotAWorkspace, match="server init"):
        open_workspace(pg_backend.url_text(empty_server_url))


def test_create_migrates_an_empty_database_for_its_owner(empty_server_url) -> None:
    with open_workspace(pg_backend.url_text(empty_server_url), create=True) as ws:
        assert ws.schema_revision == HEAD_REVISION
        assert not ws.needs_upgrade


def test_read_only_server_workspace_refuses_writes(server_ws, server_url) -> None:
    from qmsr_ready.core import services

    with (open_workspace(pg_backend.url_text(server_url), read_only=True) as ro,
          pytest.raises(WorkspaceReadOnly), ro.begin() as s):
        services.create_site(s, "Bob", name="Acme", fei_number="3001234567")


def test_cli_verify_and_inspections_take_a_url(server_ws, server_url, capsys) -> None:
    text = pg_backend.url_text(server_url)
    assert main(["inspections", text]) == 0
    assert main(["verify", text]) == 0
    assert "intact" in capsys.readouterr().out
