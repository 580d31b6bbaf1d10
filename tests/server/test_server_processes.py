"""Two separate processes saving the same response and finding on a server at once: each
object gets exactly one saved edit and one ``RevisionConflict``, and the trail stays one chain.

Threads share a Python interpreter; separate processes (as two users' apps are) share only the
server, so this is what the advisory lock and the revision checks must hold against.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from server import pg_backend
from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.models import Finding, Inspection, Response

QUESTION = "MO-01-Q01"
_CHILD = r"""
import json, sys, time
from pathlib import Path
from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import RevisionConflict

url, actor, code, fcode, frev, folder = sys.argv[1:7]
folder = Path(folder)
results = {}
with open_workspace(url, actor=actor) as ws:
    (folder / f"{actor}.ready").touch()
    while not (folder / "go").exists():  # released together by the parent
        time.sleep(0.005)
    for name, save in (
        ("response", lambda s: services.record_response(
            s, actor, inspection_code=code, question_id="MO-01-Q01", notes=f"{actor}'s",
            expected_revision=1)),
        ("finding", lambda s: services.update_finding(
            s, actor, code, fcode, title=f"{actor}'s title", expected_revision=int(frev))),
    ):
        try:
            with ws.begin() as s:
                save(s)
            results[name] = "saved"
        except RevisionConflict as exc:
            results[name] = "conflict:" + exc.who
print(json.dumps(results))
"""


def _start(server_ws, fnd_template) -> tuple[str, str, int]:
    with server_ws.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices", fei_number="3001234567")
        code = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=fnd_template,
            inspection_type="baseline_surveillance", title="Baseline readiness",
        ).code
        services.record_response(s, "Alice", inspection_code=code, question_id=QUESTION,
                                 notes="first")
        f = services.raise_finding(s, "Alice", inspection_code=code, title="Trending missing",
                                   classification="major", question_ids=[QUESTION])
        return code, f.code, f.revision


def _wait_for(paths: list[Path], procs: list[subprocess.Popen[str]]) -> None:
    """Until every child says it is ready (or one of them ended early: its output tells why)."""
    while not all(p.exists() for p in paths):
        if any(proc.poll() is not None for proc in procs):
            return
        time.sleep(0.01)


def test_two_processes_on_one_response_and_one_finding(server_ws, fnd_template,
                                                       tmp_path: Path) -> None:
    code, fcode, frev = _start(server_ws, fnd_template)
    url = pg_backend.target_of(server_ws)
    actors = ("Bob", "Carol")
    procs = [subprocess.Popen([sys.executable, "-c", _CHILD, url, actor, code, fcode, str(frev),
                               str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for actor in actors]
    _wait_for([tmp_path / f"{a}.ready" for a in actors], procs)
    (tmp_path / "go").touch()
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), outputs
    results = dict(zip(actors, (json.loads(out) for out, _err in outputs), strict=True))
    with server_ws.session() as s:
        response = s.scalars(select(Response).join(Inspection).where(
            Inspection.code == code, Response.question_id == QUESTION)).one()
        finding = s.scalars(select(Finding).where(Finding.code == fcode)).one()
        report = verify_chain(s)
    for name, stored_text, revision in (("response", response.notes, response.revision),
                                        ("finding", finding.title, finding.revision)):
        saved = [a for a in actors if results[a][name] == "saved"]
        conflicts = [results[a][name] for a in actors if results[a][name] != "saved"]
        assert len(saved) == 1, results
        assert conflicts == [f"conflict:{saved[0]}"], results  # names who saved first
        assert stored_text.startswith(f"{saved[0]}'s"), (name, stored_text)
        assert revision == (2 if name == "response" else frev + 1)
    assert report.ok, report.problem
