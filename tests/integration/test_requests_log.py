"""The request log through the services: numbering, the status flow, times, what was shown."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import text

from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.errors import InspectionLocked, InvalidInput, InvalidTransition, NotFound
from qmsr_ready.core.inspection_day.predict import predicted_requests
from qmsr_ready.core.inspection_day.views import list_notes, list_requests, list_roster
from qmsr_ready.core.services import sign_off
from qmsr_ready.core.services.day_notes import add_note, set_roster_entry
from qmsr_ready.core.services.requests import (
    add_request,
    move_request,
    present_items,
    update_request,
)

T = "2026-06-01T09:00:00+00:00"


def test_numbering_suggestion_and_flow(fixed_now: dt.datetime, fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        r1 = add_request(s, "Scribe", inspection_code=code, text="Complaint log for 2025",
                         requested_at=T, owner="Ann")
        r2 = add_request(s, "Scribe", inspection_code=code, text="Org chart please")
        assert (r1.code, r2.code) == ("R-001", "R-002")
        assert (r1.area_id, r1.element_id) == ("MA", "MA-03")  # suggested from "complaint"
        move_request(s, "Ann", code, "R-001", "in_retrieval", at="2026-06-01T09:04+00:00")
        move_request(s, "Ann", code, "R-001", "in_qa_review", at="2026-06-01T09:10+00:00")
        move_request(s, "Ann", code, "R-001", "presented", at="2026-06-01T09:12+00:00",
                     document_id="LOG-CMP-2025", version="B")
    with ws.session() as s:
        views = {v.code: v for v in list_requests(s, code)}
        r = views["R-001"]
        assert [m.status for m in r.moves] == [
            "requested", "in_retrieval", "in_qa_review", "presented"]
        assert r.elapsed(fixed_now) == dt.timedelta(minutes=12)
        assert [(i.document_id, i.version) for i in r.items] == [("LOG-CMP-2025", "B")]
        assert verify_chain(s).ok


def test_bad_moves_are_refused_and_change_nothing(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        add_request(s, "Scribe", inspection_code=code, text="CAPA log", requested_at=T)
        move_request(s, "Ann", code, "R-001", "presented", at="2026-06-01T09:30+00:00")
    cases = [
        (("R-001", "in_retrieval"), {}, InvalidTransition, "cannot move back"),
        (("R-009", "presented"), {}, NotFound, "No request 'R-009'"),
        (("R-001", "sideways"), {}, InvalidInput, "not a valid request status"),
    ]
    for args, kwargs, exc, message in cases:
        with pytest.raises(exc, match=message), ws.begin() as s:
            move_request(s, "Ann", code, *args, **kwargs)
    with ws.begin() as s:
        add_request(s, "Scribe", inspection_code=code, text="Training matrix", requested_at=T)
    with pytest.raises(InvalidInput, match="before R-002 was requested"), ws.begin() as s:
        move_request(s, "Ann", code, "R-002", "presented", at="2026-06-01T08:59+00:00")
    with pytest.raises(InvalidInput, match="date and time like"), ws.begin() as s:
        move_request(s, "Ann", code, "R-002", "presented", at="soon")
    with ws.session() as s:
        views = {v.code: v for v in list_requests(s, code)}
    assert views["R-002"].status == "requested"
    assert views["R-001"].status == "presented"


def test_prepared_requests_start_their_clock_when_asked_for(
    fixed_now: dt.datetime, fnd_inspection
) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        add_request(s, "Back room", inspection_code=code, text="Complaint log", prepared=True)
        move_request(s, "Scribe", code, "R-001", "requested", at=T)
        move_request(s, "Ann", code, "R-001", "presented", at="2026-06-01T09:02+00:00")
    with ws.session() as s:
        (r,) = list_requests(s, code)
    assert r.requested_at == dt.datetime.fromisoformat(T)
    assert r.elapsed(fixed_now) == dt.timedelta(minutes=2)


def test_presenting_in_parts_keeps_each_file_once(fnd_inspection) -> None:
    ws, code = fnd_inspection
    data = b"%PDF-1.4 SOP-014 rev 7"
    with ws.begin() as s:
        add_request(s, "Scribe", inspection_code=code, text="SOP-014 and its training records",
                    requested_at=T)
        present_items(s, "Ann", code, "R-001", [
            {"document_id": "SOP-014", "version": "7", "filename": "SOP-014.pdf", "data": data},
        ], final=False, at="2026-06-01T09:05+00:00")
        present_items(s, "Ann", code, "R-001", [
            {"document_id": "SOP-014", "version": "7", "filename": "copy.pdf", "data": data},
            {"document_id": "TRN-2026-03", "version": "1"},
        ], at="2026-06-01T09:09+00:00")
    with ws.session() as s:
        (r,) = list_requests(s, code)
        blobs = s.execute(text("SELECT COUNT(*) FROM evidence_blobs")).scalar_one()
    assert r.status == "presented"
    assert [i.document_id for i in r.items] == ["SOP-014", "SOP-014", "TRN-2026-03"]
    assert r.items[0].sha256 == hashlib.sha256(data).hexdigest() == r.items[1].sha256
    assert blobs == 1


def test_notes_roster_and_signed_off_lock(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        add_request(s, "Scribe", inspection_code=code, text="CAPA log", requested_at=T)
        add_note(s, "Scribe", inspection_code=code, text="Asked who trends complaints",
                 topic="Complaints", investigator="J. Smith", request_codes="R-001")
        set_roster_entry(s, "Lead", code, "MA", presenter="Ann", storyboard="SB-MA-01")
        with pytest.raises(InvalidInput, match="No request 'R-404'"):
            add_note(s, "Scribe", inspection_code=code, text="x", request_codes=["R-404"])
    with ws.session() as s:
        (note,) = list_notes(s, code)
        (entry,) = list_roster(s, code)
    assert note.request_codes == ("R-001",)
    assert entry.gaps == ("no backup", "not prepared")
    with ws.begin() as s:
        sign_off(s, "Lead", code, name="Lead", meaning="Approved")
    with pytest.raises(InspectionLocked), ws.begin() as s:
        add_request(s, "Scribe", inspection_code=code, text="late ask")
    with pytest.raises(InspectionLocked), ws.begin() as s:
        update_request(s, "Scribe", code, "R-001", owner="Ben")


def test_predictions_follow_the_plan_and_skip_what_is_logged(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        predicted = predicted_requests(s, code)
    texts = [p.text for p in predicted]
    assert any("Complaint log" in t for t in texts)  # MA-03 is in the tiny template's plan
    assert not any("CAPA log" in t for t in texts)  # MA-09 is not
    complaint = next(p for p in predicted if p.element_id == "MA-03")
    with ws.begin() as s:
        add_request(s, "Back room", inspection_code=code, text=complaint.text, prepared=True)
    with ws.session() as s:
        assert complaint.text not in [p.text for p in predicted_requests(s, code)]


def test_predictions_skip_an_element_already_asked_about_in_other_words(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        add_request(s, "Scribe", inspection_code=code, text="Show me complaints",
                    element_id="MA-03", suggest=False)
    with ws.session() as s:
        assert "MA-03" not in [p.element_id for p in predicted_requests(s, code)]


def test_request_log_report_lists_preparation_gaps_per_area_in_scope(fnd_inspection) -> None:
    from qmsr_ready.core.inspection_day.report import build_request_log

    ws, code = fnd_inspection
    with ws.begin() as s:
        set_roster_entry(s, "Lead", code, "MO", presenter="Ann", backup="Ben",
                         storyboard="SB-MO", prepared=True)
        add_request(s, "Scribe", inspection_code=code, text="CAPA log", requested_at=T)
    with ws.session() as s:
        log = build_request_log(s, code, now=dt.datetime(2026, 6, 1, 9, 20, tzinfo=dt.UTC))
    assert [(g.area_id, g.missing) for g in log.preparation_gaps] == [
        ("MA", ("no SME assigned",))]
    assert (log.stats.overall.open, log.stats.overall.late) == (1, 1)


def test_suggestion_takes_the_subject_named_first() -> None:
    from qmsr_ready.core.inspection_day.suggest import suggest_element
    from qmsr_ready.core.library import Catalogue

    content = Catalogue().get("fda-qmsr").snapshot().content
    assert suggest_element(content, "Complaint log with the MDR decision for each") == (
        "MA", "MA-03")
    assert suggest_element(content, "MDR log and complaint cross-reference") == ("OA", "OA-01")
    assert suggest_element(content, "Coffee for the investigator") is None


def test_preparation_gaps_count_oa_and_gi_areas_in_scope(fnd_workspace) -> None:
    from qmsr_ready.core import services
    from qmsr_ready.core.inspection_day.report import build_request_log
    from qmsr_ready.core.library import Catalogue
    from qmsr_ready.core.template_content import iter_elements

    template = Catalogue().get("fda-qmsr").snapshot()
    kinds = {str(a["id"]): str(a.get("kind")) for a in template.content["areas"]}
    with fnd_workspace.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices")
        code = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=template,
            inspection_type="baseline_surveillance", title="Day one").code
    with fnd_workspace.session() as s:
        log = build_request_log(s, code)
        insp = services.get_inspection(s, code)
        selected = {e.element_id for e in insp.elements if e.selected and e.applicable}
    in_scope = {str(a["id"]) for a, e in iter_elements(template.content) if e["id"] in selected}
    gap_kinds = {kinds[g.area_id] for g in log.preparation_gaps}
    assert {kinds[a] for a in in_scope} - {"qms_area"}, "the plan should include OA/GI areas"
    assert {g.area_id for g in log.preparation_gaps} == in_scope
    assert gap_kinds > {"qms_area"}
