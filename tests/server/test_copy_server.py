"""`qmsr-ready copy` and `merge` between a workspace file and a server database (PostgreSQL).

Skipped unless QMSR_TEST_DATABASE_URL names a test server (``.ci/run`` starts one).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from integration.copy_helpers import CODE, with_large_evidence
from server import pg_backend
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import URL

from qmsr_ready.cli import main
from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import Workspace, open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.errors import Cancelled
from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.plan import ConflictPolicy
from qmsr_ready.core.exchange.runner import run_merge
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.models import AuditEvent
from qmsr_ready.core.transfer.compare import compare_workspaces
from qmsr_ready.core.transfer.copy import CopyFailed, CopyRefused, copy_workspace


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pg_backend.admin_url()  # skip before building anything when there is no server
    path = tmp_path_factory.mktemp("demo") / "demo.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    return path


def _same(a: str | Path, b: str | Path) -> list[str]:
    with open_workspace(a, read_only=True) as wa, open_workspace(b, read_only=True) as wb, \
            wa.engine.connect() as ca, wb.engine.connect() as cb, ca.begin(), cb.begin():
        return [str(d) for d in compare_workspaces(ca, cb)]


def _tables(url: URL) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _verified(ws: Workspace) -> bool:
    with ws.session() as s:
        return verify_chain(s).ok


def test_file_to_server_to_file_round_trip(demo: Path, empty_server_url: URL,
                                           tmp_path: Path) -> None:
    url = pg_backend.url_text(empty_server_url)
    source = with_large_evidence(demo, tmp_path)  # read back from the server in slices
    there = copy_workspace(source, url)
    assert there.kept, there.summary()
    back = tmp_path / "back.qmsr"
    assert copy_workspace(url, back).kept
    assert _same(source, url) == []
    assert _same(source, back) == []
    with open_workspace(url) as ws:
        assert _verified(ws)
        with ws.begin() as s:  # sequences moved past the copied keys: new rows insert fine
            services.raise_finding(s, "Ann", inspection_code=CODE, title="On the server",
                                   classification="minor")
            services.attach_evidence(s, "Ann", inspection_code=CODE, filename="new.txt",
                                     data=b"added on the server")
        assert _verified(ws)


def test_copy_into_a_migrated_empty_database(demo: Path, server_url: URL) -> None:
    report = copy_workspace(demo, pg_backend.url_text(server_url))
    assert report.kept, report.summary()


def test_database_holding_a_workspace_is_refused(demo: Path, server_url: URL,
                                                 server_ws: Workspace) -> None:
    with pytest.raises(CopyRefused, match="already holds a workspace"):
        copy_workspace(demo, pg_backend.url_text(server_url))
    with server_ws.session() as s:  # only its own creation event: nothing was added
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_interrupted_copy_into_a_server_leaves_no_tables(
    demo: Path, empty_server_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    class CancelSoon:
        calls = 0

        def report(self, done: int, total: int, message: str) -> None:
            self.calls += 1

        def cancelled(self) -> bool:
            return self.calls > 8

    with pytest.raises(Cancelled):
        copy_workspace(demo, pg_backend.url_text(empty_server_url), progress=CancelSoon())
    assert _tables(empty_server_url) == set()
    # the same copy, run in full from the command line, then works
    assert main(["copy", str(demo), pg_backend.url_text(empty_server_url)]) == 0
    assert "no differences" in capsys.readouterr().out


def test_laptop_file_merges_into_the_server_and_back(demo: Path, empty_server_url: URL,
                                                     tmp_path: Path) -> None:
    url = pg_backend.url_text(empty_server_url)
    assert copy_workspace(demo, url).kept
    laptop = tmp_path / "laptop.qmsr"
    assert copy_workspace(url, laptop).kept  # the auditor takes a copy offline
    with open_workspace(laptop) as ws, ws.begin() as s:
        services.update_finding(s, "Ann", CODE, "F-001", owner="Offline Ann")
        services.raise_finding(s, "Ann", inspection_code=CODE, title="Found offline",
                               classification="minor")
        services.attach_evidence(s, "Ann", inspection_code=CODE, filename="offline.txt",
                                 data=b"taken on the plane")
    with open_workspace(url) as ws:
        with ws.begin() as s:
            services.update_finding(s, "Bo", CODE, "F-002", owner="Team Bo")
        outcome = run_merge(ws, "Ann", laptop, CODE, dry_run=False,
                            policy=ConflictPolicy.FAIL)
        assert outcome.applied is not None
        assert outcome.backup is None  # a server keeps no file backup; one transaction
        assert _verified(ws)
        with ws.session() as s:
            findings = read_mine(s, CODE).of("finding")
        assert findings["F-001"]["owner"] == "Offline Ann"
        assert findings["F-002"]["owner"] == "Team Bo"
        assert any(row["title"] == "Found offline" for row in findings.values())
        with pytest.raises(ImportRefused, match="this workspace itself"):
            run_merge(ws, "Ann", url, CODE, dry_run=True)
    # and the team's change goes back to the laptop
    copy_of_laptop = tmp_path / "laptop-2.qmsr"
    shutil.copy(laptop, copy_of_laptop)
    with open_workspace(copy_of_laptop) as ws:
        assert run_merge(ws, "Ann", url, CODE, dry_run=False).applied is not None
        with ws.session() as s:
            assert read_mine(s, CODE).of("finding")["F-002"]["owner"] == "Team Bo"
        assert _verified(ws)


@pytest.fixture
def owner_and_editor(empty_server_url: URL):
    """(owner URL, editor URL) of an empty database prepared by 'server init' for the editor."""
    suffix = f"{os.getpid()}_{empty_server_url.database.rsplit('_', 1)[-1]}"
    owner, editor = f"qmsr_cp_owner_{suffix}", f"qmsr_cp_editor_{suffix}"
    for role in (owner, editor):
        pg_backend.admin_execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    pg_backend.admin_execute(f'ALTER DATABASE "{empty_server_url.database}" OWNER TO {owner}')
    pg_backend.admin_execute(f'GRANT CONNECT ON DATABASE "{empty_server_url.database}" TO {editor}')
    engine = create_engine(empty_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"ALTER SCHEMA public OWNER TO {owner}"))
    engine.dispose()
    owner_url = empty_server_url.set(username=owner, password="pw")
    assert main(["server", "init", pg_backend.url_text(owner_url), "--editor", editor]) == 0
    yield owner_url, empty_server_url.set(username=editor, password="pw")
    pg_backend.drop(empty_server_url)
    for role in (editor, owner):
        pg_backend.admin_execute(f"DROP OWNED BY {role}")
        pg_backend.admin_execute(f"DROP ROLE IF EXISTS {role}")


def test_owner_copies_in_and_the_editor_works_on_the_copy(demo: Path, owner_and_editor) -> None:
    owner_url, editor_url = owner_and_editor
    with pytest.raises(CopyFailed, match="owner role"):  # the editor may not set sequences
        copy_workspace(demo, pg_backend.url_text(editor_url))
    assert copy_workspace(demo, pg_backend.url_text(owner_url)).kept
    with open_workspace(pg_backend.url_text(editor_url), actor="Eve") as ws:
        with ws.begin() as s:
            services.raise_finding(s, "Eve", inspection_code=CODE, title="Daily work",
                                   classification="minor")
        assert _verified(ws)
