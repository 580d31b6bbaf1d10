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


def test_text_over_a_cell_is_refused_before_it_is_built_and_the_cell_named(
        pack: Pack, tmp_path: Path) -> None:
    """QA: a 350 MB inline string was read whole and planned; now the package scan stops at
    the first run longer than a cell can hold, naming it (bounded memory)."""
    import zipfile

    from qmsr_ready.core.exchange.errors import ImportRefused

    src = zipfile.ZipFile(pack.xlsx)
    bad = tmp_path / "long.xlsx"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                end = data.index(b"</sheetData>")
                data = (data[:end] + b'<row r="9999"><c r="Z9999" t="inlineStr"><is><t>'
                        + b"A" * 300_000 + b"</t></is></c></row>" + data[end:])
            out.writestr(info, data)
    with pytest.raises(ImportRefused, match=r"cell Z9999 of xl/worksheets/sheet1\.xml.*32,767"):
        imp_data.plan(pack.workspace, bad)


def test_services_and_fields_share_the_long_text_limit(pack: Pack) -> None:
    from qmsr_ready.core.errors import InvalidInput
    from qmsr_ready.core.exchange.fields import FINDING, RESPONSE
    from qmsr_ready.core.services import record_response

    for spec in (RESPONSE, FINDING):
        for fs in spec.fields:
            if fs.kind == "text":
                assert fs.max_len in (255, 32_767), fs.name
    with open_workspace(pack.workspace) as ws, ws.begin() as s, pytest.raises(
            InvalidInput, match="Notes is too long"):
        record_response(s, imp_data.ACTOR, inspection_code=imp_data.INSPECTION,
                        question_id="MO-05-Q01", notes="x" * 32_768)
