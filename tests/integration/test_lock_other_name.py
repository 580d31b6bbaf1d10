"""A workspace reached by a second name reads what its writer committed (issue 13, two names).

SQLite names the ``-wal`` after the path it is given. A writer in another process holds the file
under one name with commits still in its ``-wal`` (automatic checkpoints off); a reader through
a hard link used to read the main file only, so it saw older data (and a writer through the link
would have checkpointed its own ``-wal`` over the holder's). Each opener now asks the identity
lock which path the holder opened and opens that one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import WorkspaceLocked
from qmsr_ready.core.workspace_lock import open_path_for

_HOLDER = textwrap.dedent(
    """
    import sys
    from qmsr_ready.core import services
    from qmsr_ready.core.db import open_workspace

    ws = open_workspace(sys.argv[1])
    with ws.begin() as s:
        s.connection().exec_driver_sql("PRAGMA wal_autocheckpoint=0")
        services.record_response(s, "Holder", inspection_code=sys.argv[2],
                                 question_id="MO-01-Q01", result="major_gap",
                                 notes="written by the holder")
    print("committed", flush=True)
    sys.stdin.readline()  # hold the workspace (and its uncheckpointed -wal) until told
    """
)


def _notes(ws) -> str | None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with ws.session() as s:
        return s.execute(text("SELECT notes FROM responses WHERE question_id = 'MO-01-Q01'")
                         ).scalar()


@pytest.fixture
def linked(fnd_inspection, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(path, hard link in another folder, inspection code), the workspace closed."""
    ws, code = fnd_inspection
    if ws.is_server:
        pytest.skip("hard links are a file matter")
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="conforms", notes="before")
    path = ws.path
    ws.close()
    (tmp_path / "other").mkdir()
    link = tmp_path / "other" / "link.qmsr"
    os.link(path, link)
    return path, link, code


@pytest.fixture
def holder(linked):  # type: ignore[no-untyped-def]
    """A second process that committed through the first name and holds it open."""
    path, _link, code = linked
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), code],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "committed"
        assert Path(f"{path}-wal").stat().st_size > 0  # the commit is in the -wal only
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_a_reader_through_a_hard_link_sees_the_holders_latest_commit(linked, holder) -> None:
    path, link, _code = linked
    assert open_path_for(link) == path.resolve()
    with open_workspace(link, read_only=True) as ws:
        assert _notes(ws) == "written by the holder"
        assert ws.path == link  # messages keep the name the user gave
    with pytest.raises(WorkspaceLocked, match="already open for writing"):
        open_workspace(link)


def test_after_the_holder_is_killed_the_link_opens_its_wal(linked, holder) -> None:
    """A killed holder's record stays: the next writer through the link opens the holder's name,
    so the commits in that -wal are read, not overwritten by a checkpoint of another -wal."""
    path, link, code = linked
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert Path(f"{path}-wal").stat().st_size > 0
    with open_workspace(link, read_only=True) as ws:
        assert _notes(ws) == "written by the holder"
    with open_workspace(link) as ws:
        assert _notes(ws) == "written by the holder"
        with ws.begin() as s:
            services.record_response(s, "Bob", inspection_code=code, question_id="MO-01-Q02",
                                     result="conforms")
    assert not Path(f"{link}-wal").exists()
    with open_workspace(path) as ws, ws.session() as s:
        assert _notes(ws) == "written by the holder"
        assert verify_chain(s).ok
        assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_symlink_opens_the_real_file(fnd_workspace, tmp_path: Path) -> None:
    if fnd_workspace.is_server:
        pytest.skip("symlinks are a file matter")
    path = fnd_workspace.path
    fnd_workspace.close()
    link = tmp_path / "alias.qmsr"
    link.symlink_to(path)
    assert open_path_for(link) == path.resolve()
    with open_workspace(link) as ws:
        assert ws.database_file == path.resolve()
        assert ws.path == link
