"""Crash safety: a writer SIGKILLed at random moments loses nothing it acknowledged.

A child process records responses, notes, findings and evidence through the services and
prints one line per committed write; the test kills it at a random moment (some rounds while a
large evidence file makes the WAL checkpoint big). After every kill the workspace must open for
writing, pass ``integrity_check`` and ``verify``, and hold every acknowledged record.
``QMSR_CRASH_ROUNDS`` raises the number of rounds (``make stress``).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from tests.conftest import fnd_template_content

ROUNDS = int(os.environ.get("QMSR_CRASH_ROUNDS", "10"))

_WRITER = textwrap.dedent(
    """
    import json, os, sys
    from qmsr_ready.core import services
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.template_content import TemplateSnapshot

    def ack(*words):  # one write per line: with PYTHONUNBUFFERED, print() writes word by word
        os.write(1, (" ".join(["ACK", *map(str, words)]) + "\\n").encode())

    path, round_no, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ws = open_workspace(path, create=True)
    content = json.loads(os.environ["TEMPLATE"])
    qids = ["MO-01-Q01", "MO-01-Q02", "MO-02-Q01", "MA-03-Q01", "MA-03-Q02"]
    with ws.begin() as s:
        code = f"MI-{round_no:04d}"
        site = services.create_site(s, "W", name=f"Site {round_no}").code
        services.start_inspection(s, "W", site_code=site, code=code,
            template=TemplateSnapshot.from_content(content),
            inspection_type="baseline_surveillance")
    ack("inspection", code)
    if big:  # a large write, so the checkpoint after it is large too
        with ws.begin() as s:
            services.attach_evidence(s, "W", inspection_code=code, filename="big.bin",
                                     data=os.urandom(big))
        ack("evidence", code, "big.bin")
    n = 0
    while True:
        n += 1
        qid = qids[n % len(qids)]
        with ws.begin() as s:
            services.record_response(s, "W", inspection_code=code, question_id=qid,
                                     result="major_gap", notes=f"note {n}")
        ack("response", code, qid, n)
        if n % 3 == 0:
            with ws.begin() as s:
                f = services.raise_finding(s, "W", inspection_code=code, title=f"Gap {n}",
                                           classification="minor", question_ids=[qid])
                fcode = f.code
            ack("finding", code, fcode)
        if n % 5 == 0:
            with ws.begin() as s:
                services.attach_evidence(s, "W", inspection_code=code, filename=f"e{n}.txt",
                                         data=os.urandom(2000), question_id=qid)
            ack("evidence", code, f"e{n}.txt")
    """
)


def _run_round(path: Path, round_no: int, rng: random.Random) -> list[list[str]]:
    big = 12 * 1024 * 1024 if round_no % 3 == 2 else 0
    env = {**os.environ, "TEMPLATE": __import__("json").dumps(fnd_template_content())}
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(round_no), str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    acks: list[list[str]] = []
    started = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never acknowledged
                acks.append(line.split())
            started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(600):  # until the first write is acknowledged (or the writer died at once)
        if started.wait(timeout=0.2) or child.poll() is not None:
            break
    threading.Event().wait(rng.uniform(0.0, 1.0))
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join(timeout=30)
    if not acks:  # say why the writer never got going instead of a bare assertion
        assert child.stderr is not None
        raise AssertionError(f"the writer never acknowledged a write; its stderr:\n"
                             f"{child.stderr.read()[-4000:]}")
    return acks


def _check(path: Path, acks: list[list[str]]) -> None:
    with open_workspace(path) as ws, ws.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        report = verify_chain(s)
        assert report.ok, report.problem
        notes = dict(conn.exec_driver_sql(
            "SELECT i.code || '/' || r.question_id, r.notes FROM responses r"
            " JOIN inspections i ON i.id = r.inspection_id").all())
        findings = {tuple(r) for r in conn.exec_driver_sql(
            "SELECT i.code, f.code FROM findings f JOIN inspections i ON i.id = f.inspection_id")}
        evidence = {tuple(r) for r in conn.exec_driver_sql(
            "SELECT i.code, e.filename FROM evidence e"
            " JOIN inspections i ON i.id = e.inspection_id")}
        inspections = set(conn.exec_driver_sql("SELECT code FROM inspections").scalars())
    last_note: dict[str, int] = {}
    for ack in acks:
        kind, code = ack[1], ack[2]
        if kind == "inspection":
            assert code in inspections
        elif kind == "response":
            last_note[f"{code}/{ack[3]}"] = int(ack[4])
        elif kind == "finding":
            assert (code, ack[3]) in findings
        elif kind == "evidence":
            assert (code, ack[3]) in evidence
    for key, n in last_note.items():  # the stored note is the last acknowledged one or later
        stored = notes.get(key, "")
        assert stored.startswith("note "), key
        assert int(stored.split()[1]) >= n, (key, stored, n)


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "crash.qmsr"
    rng = random.Random(os.environ.get("QMSR_CRASH_SEED", "13"))
    total = 0
    for round_no in range(ROUNDS):
        acks = _run_round(path, round_no, rng)
        _check(path, acks)
        total += len(acks)
    assert total >= ROUNDS
