"""The one threading helper: run a Qt-free job on ``QThreadPool`` and report on the GUI thread.

A job is ``callable(progress) -> result``. ``progress`` satisfies the core ``Progress`` protocol
(``report(done, total, msg)`` and ``cancelled()``), so exports and imports can run here unchanged.
The job never touches widgets: progress, result and error arrive as signals of a ``Job`` object
that lives on the GUI thread, so connected slots run there (queued connections).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from qmsr_ready.core.errors import Cancelled, QmsrError

log = logging.getLogger(__name__)


class JobProgress:
    """Passed to the job: thread-safe progress reporting and a cancel flag."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._cancel = threading.Event()
        self.released = threading.Event()  # set when the pool thread has let go of the job

    def report(self, done: int, total: int, msg: str = "") -> None:
        self._job._raw_progressed.emit(int(done), int(total), str(msg))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if the user asked to stop (for loops inside jobs)."""
        if self._cancel.is_set():
            raise Cancelled()


class Job(QObject):
    """GUI-thread handle for one background job; connect to its signals before it starts."""

    progressed = Signal(int, int, str)  # done, total, message
    succeeded = Signal(object)  # result
    failed = Signal(object)  # the exception (Cancelled when cancelled)
    finished = Signal()  # always, after succeeded or failed
    ended = Signal(object)  # this job, after finished (the runner's bookkeeping)
    # Emitted from the pool thread; received by this GUI-thread object's own slots (queued), which
    # re-emit the public signals so every listener, lambdas included, runs on the GUI thread.
    _raw_progressed = Signal(int, int, str)
    _raw_finished = Signal(bool, object)

    def __init__(self, fn: Callable[[JobProgress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fn = fn
        self.progress = JobProgress(self)
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._raw_progressed.connect(self._on_raw_progressed)
        self._raw_finished.connect(self._on_raw_finished)

    def cancel(self) -> None:
        """Ask the job to stop; it raises ``Cancelled`` at its next check."""
        self.progress._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled()

    @Slot(int, int, str)
    def _on_raw_progressed(self, done: int, total: int, msg: str) -> None:
        if not self.done:
            self.progressed.emit(done, total, msg)

    @Slot(bool, object)
    def _on_raw_finished(self, ok: bool, value: object) -> None:
        self.done = True
        if ok:
            self.result = value
            self.succeeded.emit(value)
        else:
            self.error = value  # type: ignore[assignment]  # not ok: the value is the exception
            self.failed.emit(value)
        self.finished.emit()
        self.ended.emit(self)


def _run_in_pool(job: Job) -> None:
    """Body of one pool task; talks to the GUI thread only through the Job's queued signals."""
    released = job.progress.released
    result: Any = None
    try:
        result = job.fn(job.progress)
    except BaseException as exc:  # delivered to the GUI thread, never lost
        if isinstance(exc, QmsrError):  # expected (unreachable server, refused file): one line
            if not isinstance(exc, Cancelled):
                # Imported here: core.server.url pulls in SQLAlchemy, which start-up defers.
                from qmsr_ready.core.server.url import mask_passwords

                log.info("background job refused: %s", mask_passwords(exc.message))
        else:
            log.error("background job failed", exc_info=exc)
        ok, value = False, exc
    else:
        ok, value = (False, Cancelled()) if job.progress.cancelled() else (True, result)
    job._raw_finished.emit(ok, value)
    released.set()


class WorkerRunner(QObject):
    """Starts jobs and keeps them alive until they finish; ``wait()`` drains the pool."""

    job_started = Signal(object)
    job_finished = Signal(object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._jobs: set[Job] = set()
        self._retired: list[Job] = []

    def start(
        self,
        fn: Callable[[JobProgress], Any],
        *,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Job:
        """Run ``fn(progress)`` in the pool; callbacks run on the GUI thread."""
        # Parentless and owned by Python: dropped (and so deleted, on this thread) only after
        # its pool thread has let go of it. deleteLater() here crashed PySide6 6.12 when the
        # runner was destroyed with a deferred delete pending.
        job = Job(fn)
        if on_result:
            job.succeeded.connect(on_result)
        if on_error:
            job.failed.connect(on_error)
        if on_progress:
            job.progressed.connect(on_progress)
        job.ended.connect(self._on_job_ended)
        self._jobs.add(job)
        self.job_started.emit(job)
        self.pool.start(lambda j=job: _run_in_pool(j))
        return job

    def _on_job_ended(self, job: Job) -> None:
        self._jobs.discard(job)
        self._retired.append(job)
        self.job_finished.emit(job)
        self._purge()

    def _purge(self) -> None:
        """Forget finished jobs whose pool thread has released them."""
        self._retired = [j for j in self._retired if not j.progress.released.is_set()]

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every running job's thread is done (signals still need the event loop)."""
        done = self.pool.waitForDone(msecs)
        self._purge()
        return done
