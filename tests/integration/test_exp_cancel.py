"""Cancel, renderer errors and bad targets leave nothing at the target path."""

from __future__ import annotations

from pathlib import Path

import exp_data
import pytest

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import Cancelled, ExportFailed
from qmsr_ready.core.export import export_pdf, export_xlsx
from qmsr_ready.core.report import ReadinessReport, build_report

EXPORTERS = [pytest.param(export_xlsx, "pack.xlsx", id="xlsx"),
             pytest.param(export_pdf, "pack.pdf", id="pdf")]


class CancelAfter:
    """Progress that records reports and cancels after ``n`` of them."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.reports: list[tuple[int, int, str]] = []

    def report(self, done: int, total: int, message: str) -> None:
        self.reports.append((done, total, message))

    def cancelled(self) -> bool:
        return len(self.reports) >= self.n


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    path = exp_data.build_target(tmp_path_factory.mktemp("c") / "w.qmsr", signed=False)
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return build_report(s, exp_data.INSPECTION, today=exp_data.TODAY)


@pytest.mark.parametrize(("export", "name"), EXPORTERS)
@pytest.mark.parametrize("after", [1, 4, 9])
def test_cancel_leaves_nothing(report: ReadinessReport, tmp_path: Path, export, name: str,
                               after: int) -> None:
    progress = CancelAfter(after)
    with pytest.raises(Cancelled):
        export(report, tmp_path / name, progress=progress)
    assert list(tmp_path.iterdir()) == []
    assert after <= len(progress.reports) <= after + 1  # stops at the next step boundary


@pytest.mark.parametrize(("export", "name"), EXPORTERS)
def test_progress_reaches_total(report: ReadinessReport, tmp_path: Path, export,
                                name: str) -> None:
    progress = CancelAfter(10_000)
    export(report, tmp_path / name, progress=progress)
    done, total, _ = progress.reports[-1]
    assert done == total > 1
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize(("export", "name"), EXPORTERS)
def test_missing_folder_message(report: ReadinessReport, tmp_path: Path, export,
                                name: str) -> None:
    with pytest.raises(ExportFailed, match="does not exist"):
        export(report, tmp_path / "missing" / name)


@pytest.mark.parametrize(("export", "name"), EXPORTERS)
def test_failed_export_keeps_previous_file(report: ReadinessReport, tmp_path: Path, export,
                                           name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / name
    target.write_bytes(b"previous pack")

    def full_disk(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    with pytest.raises(ExportFailed, match="disk is full"):
        export(report, target)
    assert target.read_bytes() == b"previous pack"
    assert [p.name for p in tmp_path.iterdir()] == [name]
