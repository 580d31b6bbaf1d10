"""The workspace file: creation, pragmas, refusing bad files, locking, migrations, backups."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import APPLICATION_ID, initialise_file, open_workspace
from qmsr_ready.core.errors import NotAWorkspace, SchemaTooNew, WorkspaceLocked, WorkspaceReadOnly
from qmsr_ready.core.migrations import head_revision
from qmsr_ready.core.models import Base, Site


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_sets_pragmas_application_id_and_first_audit_event(tmp_path: Path) -> None:
    path = tmp_path / "new" / "ws.qmsr"  # parent folder is created too
    with open_workspace(path, create=True) as ws:
        assert ws.schema_revision == head_revision()
        assert len(ws.workspace_id) == 36
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        with ws.session() as s:
            report = verify_chain(s)
        assert report.ok
        assert report.event_count == 1
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    raw.close()
    assert not list(tmp_path.glob("new/.ws.qmsr.creating*"))


def test_missing_path_without_create_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspace, match="No workspace"):
        open_workspace(tmp_path / "absent.qmsr")
    assert not (tmp_path / "absent.qmsr").exists()


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotAWorkspace, match="folder"):
        open_workspace(tmp_path, create=True)


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()


def _truncated_workspace(path: Path) -> None:
    source = path.with_name("full.qmsr")
    open_workspace(source, create=True).close()
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


BAD_FILES = {
    "text": lambda p: p.write_text("Dear auditor,\nthis is a letter.\n"),
    "empty": lambda p: p.write_bytes(b""),
    "garbage": lambda p: p.write_bytes(bytes(range(256)) * 40),
    "short-header": lambda p: p.write_bytes(b"SQLite format 3\x00\x10\x00"),
    "other-sqlite": _foreign_sqlite,
    "truncated-workspace": _truncated_workspace,
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("mode", ["write", "create", "read_only"])
def test_bad_files_are_refused_and_left_byte_identical(
    tmp_path: Path, kind: str, mode: str
) -> None:
    path = tmp_path / f"{kind}.qmsr"
    BAD_FILES[kind](path)
    before = _digest(path)
    siblings_before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(NotAWorkspace) as err:
        open_workspace(path, create=mode == "create", read_only=mode == "read_only")
    assert str(path) in err.value.message
    assert _digest(path) == before
    siblings_after = sorted(p.name for p in tmp_path.iterdir())
    assert siblings_after == siblings_before  # no -wal, -shm or .lock left beside it


def test_second_writer_in_same_process_is_refused_and_read_only_allowed(
    fnd_workspace,
) -> None:
    with pytest.raises(WorkspaceLocked) as err:
        open_workspace(fnd_workspace.path)
    assert str(fnd_workspace.path) in err.value.message
    with open_workspace(fnd_workspace.path, read_only=True) as ro, ro.session() as s:
        assert verify_chain(s).ok
    fnd_workspace.close()
    open_workspace(fnd_workspace.path).close()  # free again once closed


def test_second_writer_in_another_process_is_refused(fnd_workspace) -> None:
    script = textwrap.dedent(
        """
        import sys
        from qmsr_ready.core.db import open_workspace
        from qmsr_ready.core.errors import WorkspaceLocked
        try:
            open_workspace(sys.argv[1])
        except WorkspaceLocked as exc:
            print("LOCKED", exc)
            sys.exit(0)
        sys.exit(3)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(fnd_workspace.path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "LOCKED" in result.stdout
    assert fnd_workspace.path.name in result.stdout


def test_read_only_workspace_refuses_writes(fnd_workspace) -> None:
    path = fnd_workspace.path
    fnd_workspace.close()
    with open_workspace(path, read_only=True) as ro:
        assert ro.read_only
        with pytest.raises(WorkspaceReadOnly), ro.begin() as s:
            services.create_site(s, "Bob", name="Nope")
    with open_workspace(path) as ws, ws.session() as s:
        assert s.query(Site).count() == 0


def test_newer_schema_is_refused_naming_both_revisions(fnd_workspace) -> None:
    path = fnd_workspace.path
    fnd_workspace.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = _digest(path)
    for read_only in (False, True):
        with pytest.raises(SchemaTooNew) as err:
            open_workspace(path, read_only=read_only)
        assert "9999" in err.value.message
        assert head_revision() in err.value.message
    assert _digest(path) == before


def test_upgrade_from_first_revision_keeps_data_and_writes_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.qmsr"
    initialise_file(path, revision="0001")
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO sites (code, name, fei_number, address, device_classes, sterile_products,"
        " implantable_devices, life_supporting_devices, software_in_device,"
        " class_i_design_listed, tracking_orders, pma_holder, mdsap, servicing, installation,"
        " created_at, updated_at) VALUES ('SITE-001', 'Old Site', '123', 'Street', '[\"II\"]',"
        " 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
    )
    conn.commit()
    conn.close()
    with open_workspace(path) as ws:
        assert ws.schema_revision == head_revision() != "0001"
        assert ws.backup_path is not None
        assert ws.backup_path.name.startswith("old.qmsr.bak-0001-")
        with ws.session() as s:
            site = s.query(Site).one()
            assert (site.name, site.device_classes, site.sterile_products) == (
                "Old Site",
                ["II"],
                True,
            )
            indexes = {r[1] for r in s.execute(text("PRAGMA index_list('evidence')"))}
            assert "ix_evidence_sha256" in indexes
    backup = sqlite3.connect(ws.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert backup.execute("SELECT name FROM sites").fetchone()[0] == "Old Site"
    backup.close()
    # the backup itself is a valid (older) workspace
    with open_workspace(ws.backup_path, read_only=True) as ro:
        assert ro.schema_revision == "0001"


def test_migrations_match_the_models(fnd_workspace) -> None:
    with fnd_workspace.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_backup_to_writes_a_consistent_copy(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    (tmp_path / "copies").mkdir()
    dest = ws.backup_to(tmp_path / "copies" / "copy.qmsr")
    with open_workspace(dest, read_only=True) as copy, copy.session() as s:
        assert [i.code for i in services.list_inspections(s)] == [code]
        assert verify_chain(s).ok
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == ["copy.qmsr"]


def test_concurrent_writers_in_one_process_queue_instead_of_failing(fnd_inspection) -> None:
    import threading

    ws, code = fnd_inspection
    errors: list[BaseException] = []

    def work(qids: list[str]) -> None:
        try:
            for qid in qids:
                with ws.begin() as s:
                    services.record_response(
                        s, "T", inspection_code=code, question_id=qid, notes=f"n {qid}"
                    )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(["MO-01-Q01", "MO-01-Q02", "MO-02-Q01"],)),
        threading.Thread(target=work, args=(["MA-03-Q01", "MA-03-Q02"],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with ws.session() as s:
        assert len(services.list_responses(s, code)) == 5
        assert verify_chain(s).ok


def test_failed_upgrade_leaves_file_unchanged_and_unlocked(tmp_path: Path, monkeypatch) -> None:
    import qmsr_ready.core.db as db
    from qmsr_ready.core.errors import SchemaMigrationFailed

    path = tmp_path / "old.qmsr"
    initialise_file(path, revision="0001")
    before = _digest(path)

    def broken_upgrade(engine, target="head"):
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(db, "_upgrade", broken_upgrade)
    with pytest.raises(SchemaMigrationFailed) as err:
        open_workspace(path)
    assert "0001" in err.value.message
    assert "disk on fire" in err.value.message
    monkeypatch.undo()
    raw = sqlite3.connect(path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    assert "half_done" not in tables  # the failed migration was rolled back
    assert _digest(path) == before
    with open_workspace(path) as ws:  # the lock was released; a real upgrade now works
        assert ws.schema_revision == head_revision()
