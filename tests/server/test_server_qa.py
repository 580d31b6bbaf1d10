"""QA's findings on server workspaces (issue 14), each pinned by a test.

The first tests need no server (URL handling, masking, message shaping); the rest run on the
test server (``QMSR_TEST_DATABASE_URL``) and skip without one.
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from server import pg_backend
from sqlalchemy import create_engine, text

from qmsr_ready.cli import main
from qmsr_ready.core import services
from qmsr_ready.core.backups import BackupFailed, backup_workspace
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.server.engine import first_line, translate_server_error
from qmsr_ready.core.server.errors import ServerNotMigrated, ServerTlsFailed, ServerUnreachable
from qmsr_ready.core.server.url import (
    BadServerUrl,
    build_server_url,
    is_server_url,
    mask_passwords,
    parse_server_url,
    workspace_target,
)

SECRET = "s3cr3t-pw"


# -- without a server ---------------------------------------------------------------------
@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "postgresql+psycopg2",
                                    "postgresql+asyncpg", "postgresql", "postgres", "PostgreSQL"])
def test_every_postgres_scheme_is_a_server_url_normalised_to_psycopg(scheme: str) -> None:
    target = f"{scheme}://alice:{SECRET}@db.example:5433/qmsr"
    assert is_server_url(target)
    assert workspace_target(target) == f"postgresql+psycopg://alice:{SECRET}@db.example:5433/qmsr"
    assert parse_server_url(target).drivername == "postgresql+psycopg"


def test_another_scheme_is_refused_with_the_password_masked() -> None:
    with pytest.raises(BadServerUrl) as caught:
        workspace_target(f"mysql://alice:{SECRET}@db/qmsr")
    assert SECRET not in caught.value.message
    assert "alice:***@db/qmsr" in caught.value.message
    assert workspace_target("plain/file.qmsr") == "plain/file.qmsr"


def test_mask_passwords_masks_urls_and_keyword_passwords() -> None:
    text = (f"failed for postgresql://alice:{SECRET}@h/db and mysql://bob:{SECRET}@x/y "
            f"(host=h password={SECRET} dbname=db)")
    masked = mask_passwords(text)
    assert SECRET not in masked
    assert "alice:***@h/db" in masked
    assert "bob:***@x/y" in masked
    assert mask_passwords("postgresql://alice@h/db") == "postgresql://alice@h/db"


def test_build_server_url_keeps_no_password() -> None:
    url = build_server_url("db.example", 5433, "qmsr", "alice", "verify-full", "/ca.pem")
    assert url == ("postgresql+psycopg://alice@db.example:5433/qmsr"
                   "?sslmode=verify-full&sslrootcert=%2Fca.pem")
    assert "sslrootcert" not in build_server_url("h", 5432, "d", "u", "disable", "/ca.pem")


def test_first_line_keeps_whole_words_and_drops_control_characters() -> None:
    message = "FATAL:  password authentication\x07 failed for user \"alice\"\nDETAIL: more"
    assert first_line(message) == 'FATAL: password authentication failed for user "alice"'
    long = "word " * 100
    cut = first_line(long)
    assert cut.endswith("word…")
    assert len(cut) <= 161


def test_tls_mismatch_is_not_reported_as_unreachable() -> None:
    url = parse_server_url("postgresql://alice@db.example:5433/qmsr")
    exc = psycopg.OperationalError('connection to server at "10.0.0.1", port 5433 failed: '
                                   "server does not support SSL, but SSL was required")
    mapped = translate_server_error(exc, url)
    assert isinstance(mapped, ServerTlsFailed)
    assert "does not offer TLS" in mapped.message
    assert "TLS mode" in mapped.message
    refused = psycopg.OperationalError('connection to server at "10.0.0.1", port 5433 failed: '
                                       "Connection refused")
    assert isinstance(translate_server_error(refused, url), ServerUnreachable)


@pytest.mark.parametrize("scheme", ["postgresql+psycopg2", "postgres", "postgresql+asyncpg"])
def test_other_schemes_reach_the_server_code_and_never_echo_the_password(
        scheme: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"{scheme}://alice:{SECRET}@127.0.0.1:1/qmsr"
    assert main(["inspections", url]) == 2
    err = capsys.readouterr().err
    assert "Cannot reach the database server 127.0.0.1:1" in err
    assert SECRET not in err
    assert list(tmp_path.iterdir()) == []


def test_backup_of_a_server_url_is_one_line(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    url = f"postgresql+psycopg://alice:{SECRET}@127.0.0.1:1/qmsr"
    with pytest.raises(BackupFailed, match="pg_dump"):
        backup_workspace(url, tmp_path)
    assert main(["backup", url, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pg_dump" in err
    assert "qmsr-ready copy URL" in err
    assert SECRET not in err
    assert list(tmp_path.iterdir()) == []


def test_demo_into_a_url_creates_no_folder_and_shows_no_password(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url in (f"postgresql+psycopg://alice:{SECRET}@127.0.0.1:1/qmsr",
                f"postgres://alice:{SECRET}@127.0.0.1:1/qmsr"):
        assert main(["demo", url]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "qmsr-ready copy demo.qmsr URL" in err
        assert SECRET not in err
    assert list(tmp_path.iterdir()) == []


# -- on the test server ---------------------------------------------------------------------
def _with_password(url):  # the test cluster trusts loopback, so any password is accepted
    return pg_backend.url_text(url.set(password=SECRET))


def test_backup_of_an_open_server_workspace_is_refused(server_ws, tmp_path: Path) -> None:
    with pytest.raises(BackupFailed, match="pg_dump"):
        backup_workspace(server_ws, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_export_from_a_server_is_recorded_as_sent(server_url, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  fnd_template) -> None:
    from qmsr_ready.core.exchange.exports import last_export

    text_url = _with_password(server_url)
    with open_workspace(text_url, create=True, actor="Alice") as ws, ws.begin() as s:
        services.create_site(s, "Alice", name="Acme", fei_number="3001234567")
        insp = services.start_inspection(s, "Alice", site_code="SITE-001",
                                         template=fnd_template,
                                         inspection_type="baseline_surveillance", title="Mock")
        code = insp.code
    pack = tmp_path / "pack.xlsx"
    assert main(["export", text_url, "--inspection", code, "--xlsx", str(pack)]) == 0
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert "not recorded" not in captured.err
    with open_workspace(text_url, read_only=True) as ws, ws.session() as s:
        assert last_export(s, code, "xlsx") is not None


@pytest.fixture
def older_server(empty_server_url):
    """A database an older version of the app set up (schema 0002)."""
    from alembic import command

    from qmsr_ready.core.migrations import alembic_config

    engine = create_engine(empty_server_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002")
    engine.dispose()
    return empty_server_url


def test_read_only_commands_on_an_older_schema_say_upgrade_not_tampering(
        older_server, capsys: pytest.CaptureFixture[str]) -> None:
    text_url = _with_password(older_server)
    with pytest.raises(ServerNotMigrated, match="server upgrade"):
        open_workspace(text_url, read_only=True)
    for command in ("inspections", "verify"):
        assert main([command, text_url]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "holds schema 0002" in err
        assert "server upgrade" in err
        assert "tamper" not in err.lower()
        assert "missing" not in err
        assert SECRET not in err


@pytest.fixture
def editor_without_grant(server_url):
    """A login role that may connect to a migrated database but was never granted its tables
    (the database was copied in without ``server init --editor``)."""
    role = f"qmsr_nogrant_{os.getpid()}_{server_url.database.rsplit('_', 1)[-1]}"
    pg_backend.admin_execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    pg_backend.admin_execute(f'GRANT CONNECT ON DATABASE "{server_url.database}" TO {role}')
    yield server_url.set(username=role, password="pw"), role
    pg_backend.drop(server_url)
    pg_backend.admin_execute(f"DROP ROLE IF EXISTS {role}")


def test_an_ungranted_editor_is_told_the_owner_init_editor_command(editor_without_grant) -> None:
    url, _role = editor_without_grant
    with pytest.raises(ServerNotMigrated, match=r"owner runs: qmsr-ready server init URL "
                                                r"--editor ROLE"):
        open_workspace(pg_backend.url_text(url))


def test_an_editor_running_server_upgrade_is_told_the_owner_runs_upgrade(
        editor_without_grant, capsys: pytest.CaptureFixture[str]) -> None:
    url, _role = editor_without_grant
    assert main(["server", "upgrade", pg_backend.url_text(url)]) == 2
    err = capsys.readouterr().err
    assert "owner runs: qmsr-ready server upgrade URL" in err
    assert "server init" not in err


def test_the_template_database_is_dropped_at_teardown() -> None:
    pg_backend.fresh_database()  # makes the template if this process has none yet
    template = f"qmsr_tpl_{os.getpid()}"
    state = pg_backend._state
    assert state.get("template") == template
    pg_backend.teardown()
    engine = create_engine(pg_backend.admin_url())
    try:
        with engine.connect() as conn:
            left = conn.execute(text("SELECT count(*) FROM pg_database WHERE datname = :n"),
                                {"n": template}).scalar()
    finally:
        engine.dispose()
    assert left == 0
