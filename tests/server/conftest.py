"""Fixtures of the server tests: a fresh database per test on the test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server import pg_backend
from sqlalchemy.engine import URL


@pytest.fixture
def server_url() -> Iterator[URL]:
    """A fresh database at head on the test server (skips without one); dropped afterwards."""
    url = pg_backend.fresh_database()
    yield url
    pg_backend.drop(url)


@pytest.fixture
def empty_server_url() -> Iterator[URL]:
    """A fresh database with no tables at all."""
    url = pg_backend.fresh_database(migrated=False)
    yield url
    pg_backend.drop(url)


@pytest.fixture
def server_ws(server_url: URL):
    """A writable server workspace in a fresh database."""
    from qmsr_ready.core.db import open_workspace

    ws = open_workspace(pg_backend.url_text(server_url), create=True, actor="Alice")
    yield ws
    ws.close()


# Backend-neutral modules elsewhere that also run in the PostgreSQL pass (their workspace comes
# from ``fnd_workspace`` or ``place_workspace``), each with its file-only tests (raw sqlite3
# tampering, byte-identical files, -wal, locks) left out by name. Modules not listed are
# file-only as a whole: crash, lock, backups, read-only folder, tampering with a closed file
# (test_fnd_audit_chain: the server's chain is checked in tests/server; a refused import leaves
# the file byte-identical: test_import_workbook_refused).
_NONE: frozenset[str] = frozenset()
SERVER_MODULES: dict[str, frozenset[str]] = {
    "test_fnd_services.py": _NONE,
    "test_na_reason.py": _NONE,
    "test_requests_log.py": _NONE,
    "test_exchange_apply.py": _NONE,
    "test_exchange_apply_revert.py": _NONE,
    "test_exchange_apply_exports.py": _NONE,
    "test_undo_services.py": _NONE,
    "test_requests_cli_text.py": _NONE,
    "test_requests_evidence.py": _NONE,
    "test_requests_times.py": _NONE,
    "test_service_guards.py": _NONE,
    "test_template_typed_saves.py": _NONE,
    "test_report_summary.py": _NONE,
    "test_exchange_merge_again.py": _NONE,
    "test_exchange_qa_fixes.py": frozenset({  # hashes the file's bytes
        "test_importing_an_untouched_pack_writes_no_backup_and_no_event",
    }),
    "test_requests_verify.py": frozenset({"test_tampering_with_request_history_names_the_request"}),
    "test_exp_report.py": _NONE,
    "test_exp_xlsx.py": _NONE,
    "test_exp_pdf.py": _NONE,
    "test_export_guards.py": frozenset({"test_export_refuses_to_overwrite_the_workspace"}),
    "test_exp_cancel.py": _NONE,
    "test_exp_hostile_properties.py": _NONE,
    "test_report_verdict.py": _NONE,
    "test_import_workbook.py": _NONE,
    "test_import_workbook_format1.py": _NONE,
    "test_exchange_merge.py": frozenset({
        "test_dry_run_and_refusals_leave_the_file_byte_identical",
    }),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder and in SERVER_MODULES (but its file-only ones) belongs to
    the PostgreSQL pass."""
    here = Path(__file__).parent
    for item in items:
        file_only = SERVER_MODULES.get(item.path.name)
        name = getattr(item, "originalname", item.name)
        if item.path.parent == here or (file_only is not None and name not in file_only):
            item.add_marker(pytest.mark.server)
