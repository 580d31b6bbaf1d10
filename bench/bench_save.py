"""Response save latency: the app's audited save against a bare sqlite3 UPDATE, same pragmas.

One save is what the checklist runner's autosave runs: ``execute`` of its undoable
``RecordResponseCommand`` on the app's own ``AppContext`` (the write transaction, on a file a
``WriteConnection`` with no ORM Session (``Workspace.write_connection``), the stale
check against what the editor showed, ``save_response``: read the row and the audit head, write
the row, the inspection's ``updated_at``, a hash-chained audit event and the stored head, commit
with ``synchronous=FULL``, the files' stamp checked before and taken after, as once the dashboard
has found the inspection clean; then the command goes on the undo stack). Only the runner's
repaint of its one row, after the commit, is left out.

The baseline updates one response row with plain ``sqlite3`` and the app's pragmas (WAL,
``synchronous=FULL``, foreign keys), one transaction per save: the issue names a bare
insert-and-commit; a one-row UPDATE by index costs the same (p50 0.20 ms each side by side on a
fast disk) and touches the real table, so it stays the baseline. It writes its own copy of the
workspace (its response rows inserted first, untimed), as the autosave's connection is the only
writer of a workspace in use: on one shared file each writer's commit makes SQLite drop the
other's page cache, so the saves re-read their pages (strace: 12.6 page reads per pair of saves
on one file, 0.5 per save with no other writer), a cost the app does not pay. That shared-file
ratio is still printed, for the record. A third job writes what an audited save writes (the row,
``updated_at``, a response's event row and its index entry, the head) with plain ``sqlite3``
and no Python work, on a copy of its own: the part of the ratio that is the extra pages each
commit syncs, which no code path can remove. The jobs alternate, so they see the same load.
Every file's ``-wal`` starts recycled, as in a workspace in use (``_recycle_wal``): the first
~1,000 pages after opening a file lengthen its ``-wal``, each such commit syncing the file's size
too (35-45 % dearer here), which shrinks every ratio above; a set-up that left the sides in
different states measured 1.8-2.4x where like against like measures about 2.5x.
Templates of 40 and 400 questions show whether a save stays flat as the checklist grows. Part of
``make bench``.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _table import BenchRow, percentile, samples
from gen_scale_workspace import scale_template

from qmsr_ready.app import freeze_start_up_heap
from qmsr_ready.core import services
from qmsr_ready.core.damaged import find_damaged_cached
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.template_content import TemplateSnapshot, iter_questions
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.responses import RecordResponseCommand
from qmsr_ready.ui.context import AppContext

SAVES = 300  # per template and job; p95 is the 15th slowest
RESULTS = ("conforms", "minor_gap")


def _bare(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "busy_timeout=5000", "journal_mode=WAL",
                   "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


class _Settings:
    """The one setting a save reads: who the audit event names."""

    def display_name(self) -> str:
        return "Bench"


def _copy(path: Path, name: str, code: str, qids: list[str]) -> sqlite3.Connection:
    """A bare connection on a copy of the workspace beside it, every response row inserted
    (untimed), so the timed UPDATEs find them."""
    copy_path = path.with_name(name)
    source = sqlite3.connect(path)
    with sqlite3.connect(copy_path) as target:
        source.backup(target)
    target.close()
    source.close()
    conn = _bare(copy_path)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT OR IGNORE INTO responses (inspection_id, question_id, result, notes, "
        "records_reviewed, interviewees, assessed_by, revision) "
        "SELECT id, ?, 'not_assessed', '', '', '', '', 0 FROM inspections WHERE code = ?",
        [(qid, code) for qid in qids])
    conn.execute("COMMIT")
    _recycle_wal(conn)
    return conn


def _recycle_wal(conn: sqlite3.Connection) -> None:
    """Put the file's -wal in the state a workspace in use has: grown past one automatic
    checkpoint (1,000 pages) and checkpointed, so commits overwrite it from its start instead
    of lengthening it. A commit that lengthens the -wal syncs its size too and cost 35-45 % more
    on this machine's disk; without this, the 400-question baseline's set-up had recycled its
    -wal and ours had not, and the two sides were timed on different disks, in effect."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE bench_pad (b BLOB)")
    conn.executemany("INSERT INTO bench_pad VALUES (zeroblob(4000))", [()] * 1100)
    conn.execute("DROP TABLE bench_pad")
    conn.execute("COMMIT")
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
    assert busy == 0, "a reader held the -wal"


def measure(folder: Path, questions_per_element: int, *, shared: bool = False,
            saves: int = SAVES, baselines: bool = True
            ) -> tuple[list[float], list[float], list[float]]:
    """Save latencies (ms): ours, bare and the audited writes in bare sqlite3, over ``saves``
    saves on one inspection of the given template size. ``shared``: the baseline writes the
    workspace itself, between our saves (and the third job does not run). ``baselines=False``:
    our saves only (``save_instructions.py`` counts their instructions)."""
    content = scale_template(questions_per_element=questions_per_element)
    path = folder / f"save-{questions_per_element}{'-shared' if shared else ''}.qmsr"
    ours: list[float] = []
    bare: list[float] = []
    writes: list[float] = []
    with open_workspace(path, create=True) as ws:
        with ws.begin() as s:
            services.create_site(s, "Bench", name="Plant", fei_number="3000000001")
            code = services.start_inspection(
                s, "Bench", site_code="SITE-001",
                template=TemplateSnapshot.from_content(content),
                inspection_type="baseline_surveillance", title="Save bench",
            ).code
        qids = [ref.question_id for ref in iter_questions(content)]
        # As in the app once the dashboard has built its report: the inspection is known free
        # of damaged values, so each save checks the files' stamp before and takes it after.
        with ws.session() as s:
            assert not find_damaged_cached(s, code)
        ctx = AppContext(_Settings(), None)  # type: ignore[arg-type]  # no worker runs
        ctx.workspace = ws
        # The app's collector settings while it runs (after first paint: start-up heap frozen,
        # young collections batched), so a save here pauses for what a save in the app does.
        freeze_start_up_heap()
        shown = dict.fromkeys(qids, Result.NOT_ASSESSED.value)  # what the editor shows
        # One untimed save first: its event is the one the third job copies (a response's
        # event, ~360 bytes; the newest event before it is the inspection's creation, ~2 KB,
        # which made that job sync a third more pages than a save: QA 5 item 1).
        first = execute(ctx, RecordResponseCommand(ctx, code, qids[0], {"result": "conforms"},
                                                   base={"result": shown[qids[0]]}))
        assert first is None, first
        shown[qids[0]] = "conforms"
        own = ws.engine.raw_connection()  # ours, in the same state as the copies will be
        try:
            _recycle_wal(own.driver_connection)  # type: ignore[arg-type]  # sqlite3 here
        finally:
            own.close()
        conn = (_bare(path) if shared
                else _copy(path, f"bare-{questions_per_element}.qmsr", code, qids))
        other = None if shared else _copy(path, f"writes-{questions_per_element}.qmsr", code,
                                          qids)
        event = ws.engine.raw_connection()
        try:
            event_row = event.driver_connection.execute(  # type: ignore[union-attr]
                "SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
            assert event_row[3] == "response.record", event_row[3]
        finally:
            event.close()
        try:
            for n in range(saves):
                qid, result = qids[n % len(qids)], RESULTS[(n // len(qids)) % 2]

                def save(qid: str = qid, result: str = result) -> None:
                    error = execute(ctx, RecordResponseCommand(
                        ctx, code, qid, {"result": result}, base={"result": shown[qid]}))
                    assert error is None, error
                    shown[qid] = result

                def bare_save(qid: str = qid, n: int = n) -> None:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute(
                        "UPDATE responses SET notes = ?, revision = revision + 1 "
                        "WHERE question_id = ? AND inspection_id = "
                        "(SELECT id FROM inspections WHERE code = ?)",
                        (f"bare {n}", qid, code),
                    )
                    conn.execute("COMMIT")

                def audited_writes(other: sqlite3.Connection, qid: str = qid, n: int = n
                                   ) -> None:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute(
                        "UPDATE responses SET notes = ?, revision = revision + 1 "
                        "WHERE question_id = ? AND inspection_id = "
                        "(SELECT id FROM inspections WHERE code = ?)",
                        (f"writes {n}", qid, code),
                    )
                    other.execute("UPDATE inspections SET updated_at = ? WHERE code = ?",
                                  (f"2026-01-01 00:00:{n % 60:02d}.000000", code))
                    seq = other.execute("SELECT max(seq) FROM audit_events").fetchone()[0] + 1
                    fake = f"{seq:064d}"  # a stand-in hash (the bench never verifies)
                    other.execute("INSERT INTO audit_events VALUES (?,?,?,?,?,?,?,?,?,?)",
                                  (seq, *event_row[1:8], event_row[9], fake))
                    other.execute("UPDATE workspace_info SET value = ? WHERE key IN "
                                  "('audit_head_seq', 'audit_head_hash')", (fake,))
                    other.execute("COMMIT")

                ours += samples(1, save)
                if not baselines:
                    continue
                bare += samples(1, bare_save)
                if other is not None:
                    writes += samples(1, partial(audited_writes, other))
        finally:
            conn.close()
            if other is not None:
                other.close()
            ctx.undo_stack.clear()
            ctx.workspace = None
    return ours, bare, writes


def rows() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        small = measure(Path(tmp), 1)  # 8 areas x 5 elements x 1 = 40 questions
        large = measure(Path(tmp), 10)  # 400 questions
        shared = measure(Path(tmp), 1, shared=True)
    out = []
    for label, (ours, bare, writes) in (("40", small), ("400", large)):
        for pct, target in ((50, None), (95, 2.0)):
            out.append(BenchRow(
                f"response save p{pct}, {label}-question template vs bare sqlite3 UPDATE",
                percentile(ours, pct), percentile(bare, pct), "ms", target,
                "a copy of the same file, same pragmas; ours includes the audit event"
                if pct == 95 else "",
            ))
        out.append(BenchRow(
            f"an audited save's writes in bare sqlite3 p95, {label}-question template",
            percentile(writes, 95), percentile(bare, 95), "ms", None,
            "row, updated_at, event, head: the floor of the ratio above (pages synced)",
        ))
    out.append(BenchRow(
        "response save p95, 40 questions, baseline writing the same file between saves",
        percentile(shared[0], 95), percentile(shared[1], 95), "ms", None,
        "each commit drops the other writer's page cache: not so in the app (one writer)",
    ))
    out.append(BenchRow(
        "response save p95: 400-question vs 40-question template (flat?)",
        percentile(large[0], 95), percentile(small[0], 95), "ms", 1.25,
        "baseline column is ours on the 40-question template",
    ))
    return out


if __name__ == "__main__":
    from _table import render

    print(render(rows()))
