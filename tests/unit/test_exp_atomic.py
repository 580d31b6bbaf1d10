"""Never a half file: the atomic writer and its messages."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from qmsr_ready.core.errors import Cancelled, ExportFailed
from qmsr_ready.core.export.atomic import atomic_target
from qmsr_ready.core.export.progress import NullProgress, Steps


def test_success_replaces_target_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "pack.xlsx"
    target.write_text("old")
    with atomic_target(target) as tmp:
        assert tmp.parent == tmp_path
        tmp.write_text("new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.xlsx"]


@pytest.mark.parametrize("exc", [Cancelled(), RuntimeError("boom")])
def test_failure_keeps_previous_file_and_removes_temp(tmp_path: Path, exc: Exception) -> None:
    target = tmp_path / "pack.pdf"
    target.write_text("previous")
    def fail_half_way() -> None:
        with atomic_target(target) as tmp:
            tmp.write_text("half")
            raise exc

    with pytest.raises(type(exc)):
        fail_half_way()
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match=r"folder .* does not exist"), \
            atomic_target(tmp_path / "nope" / "pack.pdf"):
        pass


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "disk is full"), (errno.EACCES, "permission denied")]
)
def test_os_errors_become_export_failed(tmp_path: Path, code: int, words: str) -> None:
    target = tmp_path / "pack.xlsx"
    with pytest.raises(ExportFailed, match=words), atomic_target(target):
        raise OSError(code, "simulated")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_steps_raise_cancelled_when_progress_says_so() -> None:
    class StopAfterOne(NullProgress):
        def __init__(self) -> None:
            self.calls: list[tuple[int, int, str]] = []

        def report(self, done: int, total: int, message: str) -> None:
            self.calls.append((done, total, message))

        def cancelled(self) -> bool:
            return len(self.calls) >= 1

    progress = StopAfterOne()
    steps = Steps(progress, 3)
    steps.start("one")
    with pytest.raises(Cancelled):
        steps.finish("one")
    assert progress.calls[0] == (0, 3, "one")
