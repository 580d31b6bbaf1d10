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
# from ``fnd_workspace``); file-only tests (lock, -wal, crash, backups, tampering) stay out.
SERVER_MODULES = frozenset({
    "test_fnd_services.py", "test_na_reason.py", "test_requests_log.py",
    "test_exchange_apply.py",
})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder and in SERVER_MODULES belongs to the PostgreSQL pass."""
    here = Path(__file__).parent
    for item in items:
        if item.path.parent == here or item.path.name in SERVER_MODULES:
            item.add_marker(pytest.mark.server)
