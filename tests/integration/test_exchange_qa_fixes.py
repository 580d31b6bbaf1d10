"""Regressions from the issue 8 QA pass: messages, nothing-to-change runs, long text."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import imp_data
import pytest
from imp_data import Pack

from qmsr_ready.core.audit import events_for
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.exchange.errors import refuse_old_schema
from qmsr_ready.core.exchange.runner import run_import


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return imp_data.build_pack(tmp_path_factory.mktemp("built"))


@pytest.fixture
def pack(built: Pack, tmp_path: Path) -> Pack:
    return imp_data.copy_pack(built, tmp_path / "p")


def test_importing_an_untouched_pack_writes_no_backup_and_no_event(pack: Pack) -> None:
    with open_workspace(pack.workspace, read_only=True) as ws, ws.session() as s:
        events = len(events_for(s))
    before = imp_data.sha256(pack.workspace)
    with open_workspace(pack.workspace) as ws:
        outcome = run_import(ws, imp_data.ACTOR, pack.xlsx, dry_run=False)
    assert outcome.applied is None
    assert outcome.backup is None
    assert not list(pack.workspace.parent.glob("w.qmsr.bak-*"))
    with open_workspace(pack.workspace, read_only=True) as ws, ws.session() as s:
        assert len(events_for(s)) == events
    assert imp_data.sha256(pack.workspace) == before


def test_a_workspace_needing_an_upgrade_is_named_not_the_workbook() -> None:
    old = SimpleNamespace(needs_upgrade=True, path=Path("old.qmsr"))
    with pytest.raises(QmsrError, match=r"old\.qmsr .*older QMSR Ready.*open it once for "
                                        r"writing") as info:
        refuse_old_schema(old)  # type: ignore[arg-type]
    assert "workbook" not in info.value.message
    refuse_old_schema(SimpleNamespace(needs_upgrade=False, path=Path("new.qmsr")))  # type: ignore[arg-type]
