"""``run_export``: the export steps the CLI and the dialog share, driven directly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import Cancelled, InvalidInput
from qmsr_ready.core.exchange.exports import changed_since_export, last_export
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.run import (
    NOTHING_TO_EXPORT,
    SAME_FILE,
    folder_given,
    run_export,
)
from qmsr_ready.core.report.verdict import readiness_verdict


class _CancelNow:
    def report(self, done: int, total: int, message: str) -> None:
        pass

    def cancelled(self) -> bool:
        return True


def _events(ws) -> int:
    from qmsr_ready.core.changes import read_token, token_seq

    with ws.session() as s:
        return token_seq(read_token(s))


def test_writes_hashes_and_records_both_packs(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    outcome = run_export(ws, code, xlsx=tmp_path / "pack.xlsx", pdf=tmp_path / "pack.pdf",
                         options={"pdf": ExportOptions(gaps_only=True)}, actor="Ann")
    assert [f.kind for f in outcome.files] == ["xlsx", "pdf"]
    for f in outcome.files:
        assert f.path == (tmp_path / f"pack.{f.kind}").resolve()
        assert f.size == f.path.stat().st_size > 0
        assert f.sha256 == hashlib.sha256(f.path.read_bytes()).hexdigest()
    assert outcome.problem == ""
    assert outcome.recorded
    assert outcome.report.inspection.code == code
    assert outcome.verdict == readiness_verdict(outcome.report)
    with ws.session() as s:
        for f in outcome.files:
            sent = last_export(s, code, f.kind)
            assert sent is not None
            assert (sent.file_name, sent.sha256, sent.by) == (f.path.name, f.sha256, "Ann")
        assert not changed_since_export(s, code)


@pytest.mark.parametrize(
    ("xlsx", "pdf", "message"),
    [
        (None, None, NOTHING_TO_EXPORT),
        ("same.out", "same.out", SAME_FILE),
        ("folder/", None, "is a folder; give a file name in it"),
        (".", None, "is a folder; give a file name in it"),
    ],
)
def test_refuses_before_building_or_writing(
    fnd_inspection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xlsx, pdf, message
) -> None:
    ws, code = fnd_inspection
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    before = _events(ws)
    with pytest.raises(InvalidInput) as caught:
        run_export(ws, code, xlsx=xlsx, pdf=pdf)
    assert message in caught.value.message
    assert list(out.iterdir()) == []
    assert _events(ws) == before


def test_folder_message_names_what_was_typed() -> None:
    assert folder_given("out/") == "out/ is a folder; give a file name in it."


def test_cancel_leaves_no_file_and_records_nothing(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    before = _events(ws)
    with pytest.raises(Cancelled):
        run_export(ws, code, xlsx=tmp_path / "pack.xlsx", progress=_CancelNow())
    assert not (tmp_path / "pack.xlsx").exists()
    assert _events(ws) == before


def test_read_only_workspace_writes_the_pack_and_says_it_is_not_recorded(
    fnd_inspection, tmp_path: Path
) -> None:
    ws, code = fnd_inspection
    path = ws.path
    ws.close()
    with open_workspace(path, read_only=True) as ro:
        outcome = run_export(ro, code, pdf=tmp_path / "pack.pdf", actor="Ann")
    assert (tmp_path / "pack.pdf").is_file()
    assert not outcome.recorded
    assert outcome.problem == "pack.pdf not recorded as sent: the workspace is open read-only."


def test_a_path_is_opened_read_only_then_recorded(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    path = ws.path
    ws.close()
    outcome = run_export(path, code, xlsx=tmp_path / "pack.xlsx", actor="Bea")
    assert outcome.recorded, outcome.problem
    with open_workspace(path, read_only=True) as ro, ro.session() as s:
        sent = last_export(s, code, "xlsx")
        assert sent is not None
        assert (sent.file_name, sent.sha256, sent.by) == (
            "pack.xlsx", outcome.files[0].sha256, "Bea")
