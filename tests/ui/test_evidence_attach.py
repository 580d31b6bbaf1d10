"""Attaching evidence from the GUI: pipes refused at once, large files on a worker (issue 13).

Attaching read the whole file on the GUI thread: a FIFO hung the window forever and a 500 MiB
file froze it while memory tripled.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.ui.widgets import evidence_list
from qmsr_ready.ui.widgets.evidence_list import EvidenceListWidget


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _widget(qtbot, env: ViewsEnv) -> EvidenceListWidget:  # type: ignore[no-untyped-def]
    widget = EvidenceListWidget(env.ctx)
    qtbot.addWidget(widget)
    widget.set_target(env.code, [], question_id="MO-05-Q01")
    return widget


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_at_once(qtbot, views_env: ViewsEnv, tmp_path: Path) -> None:
    widget = _widget(qtbot, views_env)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with qtbot.waitSignal(widget.failed) as blocker:
        refused = widget.add_files([fifo])
    assert refused is not None
    assert "pipe.pdf is not a regular file" in blocker.args[0]
    assert widget._job is None


def test_a_large_file_is_attached_on_a_worker_with_progress(
    qtbot, views_env: ViewsEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence_list, "BACKGROUND_BYTES", 1024)
    widget = _widget(qtbot, views_env)
    big = tmp_path / "scan.pdf"
    big.write_bytes(os.urandom(3 * 1024 * 1024))
    steps: list[tuple[int, int]] = []
    with qtbot.waitSignal(views_env.ctx.data_changed, timeout=60_000):
        assert widget.add_files([big]) is None  # returns at once: the worker attaches
        assert widget._job is not None
        widget._job.progressed.connect(lambda done, total, _m: steps.append((done, total)))
        assert not widget.add_button.isEnabled()
        assert widget.progress_bar.isVisibleTo(widget)
    assert steps
    assert steps[-1] == (big.stat().st_size, big.stat().st_size)
    assert not widget.progress_bar.isVisibleTo(widget)
    assert widget.add_button.isEnabled()
    with views_env.ctx.read() as session:
        assert services.evidence_bytes(session, views_env.code, "E-001") == big.read_bytes()
