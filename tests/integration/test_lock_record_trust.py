"""A lock record steers which name is opened only when it can be trusted (QA 2, item 1).

The identity lock folder (``/tmp/qmsr-ready-locks``) is shared by every local user. A record
there naming a symlink in another user's folder that points at the victim's workspace passed the
device+inode check (``stat`` follows the link); the victim's engine then connected by that name
for every new pooled connection, and once the link was re-pointed its saves went to the other
user's file. Now a record is used only if its path is fully resolved, is (not through a link)
the very file asked for, and the lock file was written by this user or the workspace's owner;
and every new connection checks the file under its name is still the one opened.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from qmsr_ready.core import workspace_lock
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import WorkspaceReplaced
from qmsr_ready.core.workspace_lock import identity_lock_path, open_path_for


def _title(path: Path) -> str:
    c = sqlite3.connect(path)
    try:
        return str(c.execute("SELECT title FROM inspections").fetchone()[0])
    finally:
        c.close()


@pytest.fixture
def victim(fnd_inspection, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(the workspace path, a copy of it in another folder to be written to by mistake), closed."""
    ws, _code = fnd_inspection
    if ws.is_server:
        pytest.skip("lock files are a file matter")
    path = ws.path.resolve()
    ws.close()
    evil = tmp_path / "evil"
    evil.mkdir()
    forged = evil / "forged.qmsr"
    shutil.copyfile(path, forged)
    return path, forged


@pytest.fixture
def record(victim):  # type: ignore[no-untyped-def]
    """``record(path_text)`` writes a (killed holder's) record naming ``path_text`` into the
    victim's identity lock file, removed afterwards."""
    path, _forged = victim
    lock = identity_lock_path(path)

    def write(named: str) -> Path:
        lock.write_text(json.dumps({"user": "x", "host": "x", "pid": 1,
                                    "since": "2026-01-01T00:00:00+00:00", "path": named}),
                        encoding="utf-8")
        return lock

    yield write
    lock.unlink(missing_ok=True)


def test_a_record_naming_a_symlink_is_ignored(victim, record) -> None:
    path, forged = victim
    link = forged.parent / "link.qmsr"
    link.symlink_to(path)
    record(str(link))
    assert open_path_for(path) == path
    with open_workspace(path) as ws:
        assert ws.database_file == path
    with open_workspace(path, read_only=True) as ws:
        assert ws.database_file == path


def test_a_re_pointed_record_never_receives_a_write(victim, record) -> None:
    path, forged = victim
    link = forged.parent / "link.qmsr"
    link.symlink_to(path)
    record(str(link))
    ws = open_workspace(path)
    try:
        link.unlink()
        link.symlink_to(forged)  # the other user re-points the link while the victim works
        held = ws.engine.connect()  # kept by a worker: the next save needs a new connection
        try:
            with ws.begin() as s:
                s.execute(text("UPDATE inspections SET title = 'saved by the victim'"))
                s.execute(text("SELECT 1")).scalar()
        finally:
            held.close()
    finally:
        ws.close()
    assert _title(path) == "saved by the victim"
    assert _title(forged) == "Baseline readiness"


def test_a_record_in_a_lock_file_of_another_user_is_ignored(victim, record, monkeypatch) -> None:
    """A hard link is a name the record may steer to, but only from a lock file written by this
    user or by the workspace file's owner."""
    path, forged = victim
    other = forged.parent / "hard.qmsr"
    os.link(path, other)
    lock = record(str(other))
    assert open_path_for(path) == other  # our own record: the holder's name is opened
    real_uid = workspace_lock._uid_of
    monkeypatch.setattr(workspace_lock, "_uid_of",
                        lambda p: 4242 if p == lock else real_uid(p))
    assert open_path_for(path) == path
    with open_workspace(path) as ws:
        assert ws.database_file == path
    record(str(other))  # releasing the lock removed the file
    # the workspace's owner may have written it (a shared workspace opened by someone else)
    monkeypatch.setattr(workspace_lock.os, "getuid", lambda: 4343)
    monkeypatch.setattr(workspace_lock, "_uid_of",
                        lambda p: 4242 if p in (lock, path) else real_uid(p))
    assert open_path_for(path) == other


def test_a_file_swapped_in_under_the_open_name_is_refused(victim) -> None:
    """Every new connection checks the name still leads to the file the workspace opened."""
    path, forged = victim
    ws = open_workspace(path)
    try:
        held = ws.engine.connect()
        try:
            os.replace(forged, path)  # another file now carries the name
            with (pytest.raises(WorkspaceReplaced, match="was replaced while open; reopen it"),
                  ws.begin() as s):
                s.execute(text("UPDATE inspections SET title = 'saved by the victim'"))
        finally:
            held.close()
    finally:
        ws.close()
    assert _title(path) == "Baseline readiness"
