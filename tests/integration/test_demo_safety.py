"""The demo never overwrites a file and leaves nothing behind when it fails or is cancelled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qmsr_ready.core import demo as demo_module
from qmsr_ready.core.demo import STEPS, DemoWorkspaceExists, build_demo
from qmsr_ready.core.errors import Cancelled, QmsrError

TODAY = dt.date(2026, 11, 25)


class _Progress:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[int, int, str]] = []
        self.cancel_after = cancel_after

    def report(self, done: int, total: int, message: str) -> None:
        self.reports.append((done, total, message))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after


def test_refuses_an_existing_file_and_leaves_it_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "precious.qmsr"
    target.write_bytes(b"not ours to touch \x00\x01")
    with pytest.raises(DemoWorkspaceExists) as info:
        build_demo(target, today=TODAY)
    assert isinstance(info.value, QmsrError)
    assert "already exists" in info.value.message
    assert str(target) in info.value.message
    assert target.read_bytes() == b"not ours to touch \x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.qmsr"]


def test_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DemoWorkspaceExists):
        build_demo(tmp_path, today=TODAY)


def test_a_failure_half_way_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo_module, "_baseline_findings", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_demo(tmp_path / "demo.qmsr", today=TODAY)
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    progress = _Progress(cancel_after=2)
    with pytest.raises(Cancelled):
        build_demo(tmp_path / "demo.qmsr", today=TODAY, progress=progress)
    assert list(tmp_path.iterdir()) == []
    assert len(progress.reports) == 2


def test_progress_is_reported_step_by_step(tmp_path: Path) -> None:
    progress = _Progress()
    build_demo(tmp_path / "sub" / "demo.qmsr", today=TODAY, progress=progress)
    assert [d for d, _t, _m in progress.reports] == list(range(STEPS))
    assert {t for _d, t, _m in progress.reports} == {STEPS}
    assert all(m for _d, _t, m in progress.reports)
    # only the finished workspace is left (no temporary file, lock or journal)
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["demo.qmsr"]
