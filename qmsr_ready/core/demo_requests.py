"""The demo's inspection-day rehearsal: a day-one request log, scribe notes and the SME roster.

Times are minutes after 09:00 UTC on the rehearsal day; a dozen requests, some late against the
15-minute target, one withdrawn, one presented in two parts, two still in the back room.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy.orm import Session

from qmsr_ready.core.inspection_day.predict import predicted_requests
from qmsr_ready.core.services.day_notes import add_note, set_roster_entry
from qmsr_ready.core.services.requests import add_request, move_request, present_items

INVESTIGATOR = "J. Alvarez (FDA)"
SCRIBE = "Priya Raman"


class DemoRequest(NamedTuple):
    text: str
    kind: str
    owner: str
    asked: int  # minutes after 09:00
    moves: tuple[tuple[str, int], ...]  # (status, minutes after 09:00)
    document: tuple[str, str] = ("", "")  # what was handed over (ID, version)


DAY_ONE: tuple[DemoRequest, ...] = (
    DemoRequest("Complaint log for the last two years with MDR decisions", "record",
                "Aoife Keane", 12, (("in_retrieval", 14), ("in_qa_review", 20),
                                    ("presented", 24)), ("LOG-CMP", "export {d2}")),
    DemoRequest("MDR log and eMDR acknowledgements", "record", "Aoife Keane", 13,
                (("in_retrieval", 16), ("presented", 26)), ("LOG-MDR", "export {d2}")),
    DemoRequest("CAPA log, open and closed, since January last year", "record", "Declan Moran",
                15, (("in_retrieval", 17), ("in_qa_review", 31), ("presented", 44)),
                ("LOG-CAPA", "export {d2}")),
    DemoRequest("Management review minutes, last two reviews", "document", "Siobhán Ní Bhriain",
                40, (("in_retrieval", 41), ("presented", 52)), ("MR-MIN-2026-1", "1")),
    DemoRequest("Internal audit schedule and audit report list", "document",
                "Siobhán Ní Bhriain", 41, (("in_retrieval", 45), ("presented", 53)),
                ("IA-SCHED", "4")),
    DemoRequest("Risk management file, TX-200 thermometer", "document", "Declan Moran", 65,
                (("in_retrieval", 66), ("in_qa_review", 84), ("presented", 97)),
                ("RMF-TX200", "F")),
    DemoRequest("Interview: complaint handling specialist", "interview", "Aoife Keane", 70,
                (("presented", 78),)),
    DemoRequest("Approved supplier list with adhesive supplier status", "document",
                "Declan Moran", 120, (("in_retrieval", 122), ("presented", 133)),
                ("ASL", "31")),
    DemoRequest("Sterilisation validation summary, EO cycle 3", "record", "Declan Moran", 150,
                (("withdrawn", 158),)),
    DemoRequest("Tour of the assembly cleanroom", "tour", "Siobhán Ní Bhriain", 200,
                (("presented", 210),)),
    DemoRequest("Process validation master list", "document", "Declan Moran", 300,
                (("in_retrieval", 302), ("in_qa_review", 318),)),
    DemoRequest("Training records for line 2 operators", "record", "Aoife Keane", 305,
                (("in_retrieval", 307),)),
)

NOTES: tuple[tuple[int, str, str, tuple[int, ...]], ...] = (
    (10, "Opening meeting", "Investigator asked for the product list and who presents "
     "complaints; said the focus is the TX-200 adhesive complaints.", ()),
    (30, "Complaints", "Asked how the MDR decision is recorded for CMP-{y}-0412; Aoife walked "
     "through the decision tree. No commitment made.", (1, 2)),
    (100, "Risk management", "Asked whether complaint trends feed the TX-200 risk file; "
     "Declan showed the last update. Follow up: the adhesive failure mode rating.", (6,)),
)

ROSTER: tuple[tuple[str, str, str, str, bool], ...] = (
    ("MO", "Siobhán Ní Bhriain", "Zoë Łukasiewicz", "SB-MO-01", True),
    ("MA", "Aoife Keane", "Declan Moran", "SB-MA-01", True),
    ("PS", "Declan Moran", "", "SB-PS-01", False),
    ("DD", "Priya Raman", "Declan Moran", "", False),
    ("OP", "Declan Moran", "", "", False),
)


def add_day_one(s: Session, actor: str, code: str, day: dt.date,
                fmt: Callable[[str], str]) -> None:
    """Log the rehearsal day of inspection ``code`` (``fmt`` fills ``{y}``-style dates)."""
    start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)

    def at(minutes: int) -> dt.datetime:
        return start + dt.timedelta(minutes=minutes)

    for req in DAY_ONE:
        r = add_request(s, SCRIBE, inspection_code=code, text=req.text, kind=req.kind,
                        owner=req.owner, requested_by=INVESTIGATOR, requested_at=at(req.asked),
                        allow_future=True)  # the demo's day may lie ahead
        for status, minutes in req.moves:
            document, version = req.document if status == "presented" else ("", "")
            if status == "presented" and req.text.startswith("CAPA log"):
                present_items(s, req.owner, code, r.code, [
                    {"document_id": "LOG-CAPA", "version": fmt(version),
                     "note": "Open CAPAs first"}], final=False, at=at(minutes - 6))
            move_request(s, req.owner, code, r.code, status, at=at(minutes),
                         document_id=document, version=fmt(version))
    for minutes, topic, text, requests in NOTES:
        add_note(s, SCRIBE, inspection_code=code, text=fmt(text),
                 topic=topic, investigator=INVESTIGATOR, at=at(minutes),
                 request_codes=[f"R-{n:03d}" for n in requests])
    for area, presenter, backup, storyboard, prepared in ROSTER:
        set_roster_entry(s, actor, code, area, presenter=presenter, backup=backup,
                         storyboard=storyboard, prepared=prepared)
    for p in predicted_requests(s, code)[:2]:  # pre-staged for day two
        add_request(s, "Back room", inspection_code=code, text=p.text, kind=p.kind,
                    element_id=p.element_id, prepared=True, notes=p.reason)
