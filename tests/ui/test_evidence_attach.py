"""Attaching evidence from the GUI: on a worker, cancellable, and undoable (issues 13 and 9).

Attaching read the whole file on the GUI thread: a FIFO hung the window forever and a 500 MiB
file froze it while memory tripled. Attach and remove were also the only edits Ctrl+Z could not
take back.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.errors import NotFound
from qmsr_ready.ui.widgets import evidence_list
from qmsr_ready.ui.widgets.evidence_list import EvidenceListWidget
from qmsr_ready.ui.workers import Job

QUESTION = "MO-05-Q01"


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _widget(qtbot, env: ViewsEnv, question: str = QUESTION) -> EvidenceListWidget:  # type: ignore[no-untyped-def]
    widget = EvidenceListWidget(env.ctx)
    qtbot.addWidget(widget)
    widget.set_target(env.code, [], question_id=question)
    return widget


def _attach(qtbot, widget: EvidenceListWidget, *files: Path) -> list[str]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(widget.attached, timeout=60_000) as blocker:
        assert widget.add_files(list(files)) is None
    return list(blocker.args[0])


def _links(env: ViewsEnv, code: str) -> dict[str, list[str]]:
    with env.ctx.read() as session:
        return services.evidence_links(session, env.code, code)


def _chain_ok(env: ViewsEnv) -> None:
    with env.ctx.read() as session:
        report = verify_chain(session)
    assert report.ok, (report.problem, report.data_problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_at_once(qtbot, views_env: ViewsEnv, tmp_path: Path) -> None:
    widget = _widget(qtbot, views_env)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with qtbot.waitSignal(widget.failed) as blocker:
        refused = widget.add_files([fifo])
    assert refused is not None
    assert "pipe.pdf is not a regular file" in blocker.args[0]
    assert not widget.busy
    assert views_env.ctx.undo_stack.count() == 0


def test_a_small_file_is_read_on_a_worker_and_undo_removes_it(
    qtbot, views_env: ViewsEnv, tmp_path: Path
) -> None:
    widget = _widget(qtbot, views_env)
    jobs: list[Job] = []
    views_env.ctx.workers.job_started.connect(jobs.append)
    sample = tmp_path / "sop.pdf"
    sample.write_bytes(b"%PDF-1.4 the SOP")
    assert _attach(qtbot, widget, sample) == ["E-001"]
    assert len(jobs) == 1  # read and hashed off the GUI thread
    assert not widget.progress_bar.isVisibleTo(widget)  # no progress for a small file
    stack = views_env.ctx.undo_stack
    assert stack.count() == 1
    assert "sop.pdf" in stack.undoText()

    sample.unlink()  # redo must not need the original file
    with qtbot.waitSignal(views_env.ctx.data_changed):
        stack.undo()
    with views_env.ctx.read() as session, pytest.raises(NotFound):
        services.evidence_bytes(session, views_env.code, "E-001")
    with qtbot.waitSignal(views_env.ctx.data_changed):
        stack.redo()
    assert _links(views_env, "E-001")["question_ids"] == [QUESTION]
    with views_env.ctx.read() as session:
        assert services.evidence_bytes(session, views_env.code, "E-001") == b"%PDF-1.4 the SOP"
    _chain_ok(views_env)


def test_the_same_bytes_again_only_link_and_undo_only_unlinks(
    qtbot, views_env: ViewsEnv, tmp_path: Path
) -> None:
    first, second = _widget(qtbot, views_env), _widget(qtbot, views_env, "MO-05-Q02")
    sample = tmp_path / "record.pdf"
    sample.write_bytes(b"one device history record")
    assert _attach(qtbot, first, sample) == ["E-001"]
    assert _attach(qtbot, second, sample) == ["E-001"]
    assert _links(views_env, "E-001")["question_ids"] == [QUESTION, "MO-05-Q02"]
    views_env.ctx.undo_stack.undo()
    assert _links(views_env, "E-001")["question_ids"] == [QUESTION]
    _chain_ok(views_env)


def test_remove_is_undoable(qtbot, views_env: ViewsEnv, tmp_path: Path) -> None:
    widget = _widget(qtbot, views_env)
    sample = tmp_path / "training.pdf"
    sample.write_bytes(b"training matrix")
    _attach(qtbot, widget, sample)
    assert widget.remove("E-001") is None
    assert _links(views_env, "E-001")["question_ids"] == []
    stack = views_env.ctx.undo_stack
    assert stack.undoText().startswith("Remove E-001 from MO-05-Q01")
    stack.undo()
    assert _links(views_env, "E-001")["question_ids"] == [QUESTION]
    stack.undo()  # and the attach before it
    assert stack.index() == 0
    _chain_ok(views_env)


def test_a_large_file_shows_progress_and_can_be_cancelled(
    qtbot, views_env: ViewsEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence_list, "PROGRESS_BYTES", 1024)
    widget = _widget(qtbot, views_env)
    big = tmp_path / "scan.pdf"
    big.write_bytes(os.urandom(3 * 1024 * 1024))
    steps: list[tuple[int, int]] = []
    views_env.ctx.workers.job_started.connect(
        lambda job: job.progressed.connect(lambda done, total, _m: steps.append((done, total)))
    )
    assert _attach(qtbot, widget, big) == ["E-001"]
    assert steps[-1] == (big.stat().st_size, big.stat().st_size)
    assert not widget.progress_bar.isVisibleTo(widget)
    assert widget.add_button.isEnabled()
    with views_env.ctx.read() as session:
        assert services.evidence_bytes(session, views_env.code, "E-001") == big.read_bytes()

    other = tmp_path / "other.pdf"
    other.write_bytes(os.urandom(3 * 1024 * 1024))
    real_attach = evidence_list.attach_files
    asked = threading.Event()

    def attach_once_cancelled(session, actor, target, files, progress):  # type: ignore[no-untyped-def]
        asked.wait(30)  # the worker starts reading only after Cancel was pressed
        return real_attach(session, actor, target, files, progress)

    monkeypatch.setattr(evidence_list, "attach_files", attach_once_cancelled)
    with qtbot.waitSignal(widget.failed, timeout=60_000) as blocker:
        assert widget.add_files([other]) is None
        assert widget.busy
        assert widget.progress_bar.isVisibleTo(widget)
        assert widget.cancel_button.isVisibleTo(widget)
        assert not widget.add_button.isEnabled()
        widget.cancel_button.click()
        asked.set()
    assert blocker.args[0] == "Attaching cancelled; nothing was added."
    assert not widget.busy
    assert views_env.ctx.undo_stack.count() == 1  # only the first attach
    with views_env.ctx.read() as session, pytest.raises(NotFound):
        services.evidence_bytes(session, views_env.code, "E-002")


def test_an_attach_finishing_after_its_editor_closed_is_still_undoable(
    qtbot, views_env: ViewsEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shiboken6 import delete

    real_attach = evidence_list.attach_files
    closed = threading.Event()

    def attach_after_close(session, actor, target, files, progress):  # type: ignore[no-untyped-def]
        closed.wait(30)
        return real_attach(session, actor, target, files, progress)

    monkeypatch.setattr(evidence_list, "attach_files", attach_after_close)
    widget = EvidenceListWidget(views_env.ctx)
    widget.set_target(views_env.code, [], question_id=QUESTION)
    sample = tmp_path / "capa.pdf"
    sample.write_bytes(b"CAPA-0042")
    with qtbot.waitSignal(views_env.ctx.data_changed, timeout=30_000):
        assert widget.add_files([sample]) is None
        delete(widget)  # the finding editor holding it was closed
        closed.set()
    assert views_env.ctx.undo_stack.undoText().startswith("Attach capa.pdf")
    views_env.ctx.undo_stack.undo()
    with views_env.ctx.read() as session, pytest.raises(NotFound):
        services.evidence_bytes(session, views_env.code, "E-001")
