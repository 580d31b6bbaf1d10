"""Where a pack may be written: never over the workspace or its companions, only to a file of
the pack's own kind, through a symlink rather than over it, and all packs or none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import Cancelled, InvalidInput
from qmsr_ready.core.exchange.exports import last_export
from qmsr_ready.core.export.run import check_targets, run_export


def _closed(fnd_inspection) -> tuple[Path, str]:
    ws, code = fnd_inspection
    path = ws.path
    ws.close()
    return path, code


def _sent(path: Path, code: str):
    with open_workspace(path, read_only=True) as ro, ro.session() as s:
        return last_export(s, code)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal", ".lock", ".bak-upgrade-20260101"])
def test_a_companion_of_the_workspace_is_refused_and_left_alone(
    fnd_inspection, suffix: str
) -> None:
    path, code = _closed(fnd_inspection)
    companion = path.with_name(path.name + suffix)
    companion.write_bytes(b"acknowledged commits")
    with pytest.raises(InvalidInput) as caught:
        run_export(path, code, xlsx=companion)
    assert companion.read_bytes() == b"acknowledged commits"
    assert companion.name in caught.value.message
    assert "\n" not in caught.value.message
    companion.unlink()  # a junk -journal would read as a hot journal
    assert _sent(path, code) is None


def test_the_dialog_check_names_the_open_workspace_companions(fnd_inspection) -> None:
    ws, _code = fnd_inspection
    # A workspace not named .qmsr: its companions carry no telling suffix of their own.
    for name in (ws.path.name, ws.path.name + "-wal", ws.path.name + ".lock"):
        with pytest.raises(InvalidInput, match="workspace"):
            check_targets(ws.path.with_name(name), None, workspace=ws.path)


@pytest.mark.parametrize(
    ("kind", "name", "wanted"),
    [("xlsx", "pack.pdf", ".xlsx"), ("xlsx", "notes.txt", ".xlsx"), ("pdf", "pack.xlsx", ".pdf"),
     ("pdf", "pack", ".pdf"), ("xlsx", "pack.xlsx.part", ".xlsx")],
)
def test_a_target_of_another_kind_is_refused_with_one_line(
    fnd_inspection, tmp_path: Path, kind: str, name: str, wanted: str
) -> None:
    path, code = _closed(fnd_inspection)
    target = tmp_path / name
    with pytest.raises(InvalidInput) as caught:
        run_export(path, code, **{kind: target})
    message = caught.value.message
    assert wanted in message
    assert name in message
    assert "\n" not in message
    assert not target.exists()


def test_the_suffix_check_ignores_case(fnd_inspection, tmp_path: Path) -> None:
    path, code = _closed(fnd_inspection)
    outcome = run_export(path, code, xlsx=tmp_path / "PACK.XLSX", pdf=tmp_path / "Pack.Pdf")
    assert outcome.recorded, outcome.problem
    assert (tmp_path / "PACK.XLSX").is_file()


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_an_export_writes_through_a_symlink(fnd_inspection, tmp_path: Path) -> None:
    path, code = _closed(fnd_inspection)
    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "real.xlsx"
    real.write_bytes(b"old pack")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    outcome = run_export(path, code, xlsx=link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes()[:2] == b"PK"
    assert outcome.files[0].path == real.resolve()
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.xlsx"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
@pytest.mark.parametrize("pointee", ["", "-wal", ".lock"])
def test_a_symlink_to_the_workspace_or_a_companion_is_refused(
    fnd_inspection, tmp_path: Path, pointee: str
) -> None:
    path, code = _closed(fnd_inspection)
    target = path.with_name(path.name + pointee)
    if not target.exists():
        target.write_bytes(b"precious")
    before = target.read_bytes()
    link = tmp_path / "innocent.xlsx"
    link.symlink_to(target)
    with pytest.raises(InvalidInput):
        run_export(path, code, xlsx=link)
    assert target.read_bytes() == before
    assert link.is_symlink()


class _StopInThePdf:
    """Stops the export once the workbook is done and the PDF has started (the dialog's Stop)."""

    def __init__(self) -> None:
        self.in_pdf = False

    def report(self, done: int, total: int, message: str) -> None:
        if message.startswith("Preparing") or message == "Laying out pages":
            self.in_pdf = True

    def cancelled(self) -> bool:
        return self.in_pdf


def test_stop_during_the_second_pack_replaces_nothing(fnd_inspection, tmp_path: Path) -> None:
    path, code = _closed(fnd_inspection)
    out = tmp_path / "out"
    out.mkdir()
    xlsx, pdf = out / "pack.xlsx", out / "pack.pdf"
    xlsx.write_bytes(b"the workbook sent last week")
    progress = _StopInThePdf()
    with pytest.raises(Cancelled) as caught:
        run_export(path, code, xlsx=xlsx, pdf=pdf, progress=progress)
    assert progress.in_pdf  # the stop came while the second pack was written
    assert "no file was written" in caught.value.message
    assert xlsx.read_bytes() == b"the workbook sent last week"
    assert sorted(p.name for p in out.iterdir()) == ["pack.xlsx"]
    assert _sent(path, code) is None
