"""``save_response`` (the runner's undoable save) after QA 4: a Response already loaded in the
caller's Session follows the save (another service writing from a stale copy wrote the same
revision twice and ``verify`` called the workspace tampered), and an edit from a stale editor is
refused for what is wrong with it (no such inspection or question, an invalid value) before it
is called a conflict."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.errors import InvalidInput, NotFound, RevisionConflict
from qmsr_ready.core.models import Inspection, Response
from qmsr_ready.core.services.responses import restore_response, save_response

QID = "MO-01-Q01"


@pytest.fixture
def answered(fnd_inspection):  # type: ignore[no-untyped-def]
    """The inspection with QID answered 'conforms' (revision 1)."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=QID,
                                 result="conforms", notes="Seen")
    return ws, code


def _loaded(s, code: str) -> Response:  # type: ignore[no-untyped-def]
    return s.scalars(select(Response).join(Inspection)
                     .where(Inspection.code == code, Response.question_id == QID)).one()


def test_a_response_loaded_in_the_session_follows_the_save(answered) -> None:
    ws, code = answered
    with ws.begin() as s:
        loaded = _loaded(s, code)
        save_response(s, "Bob", inspection_code=code, question_id=QID,
                      values={"notes": "changed by the save", "result": "major_gap"})
        assert (loaded.result, loaded.notes, loaded.revision, loaded.assessed_by) == (
            "major_gap", "changed by the save", 2, "Bob")
        assert not s.dirty  # nothing for the commit's flush to write again
        # a service working from the ORM object in the same session (Undo import's restore)
        restore_response(s, "Bob", inspection_code=code, question_id=QID,
                         values={"result": "conforms"}, assessed_by="Alice",
                         assessed_at=loaded.assessed_at)
    with ws.session() as s:
        row = _loaded(s, code)
        assert (row.result, row.notes, row.revision) == ("conforms", "changed by the save", 3)
        assert verify_chain(s).ok


def test_a_response_loaded_in_a_joined_session_follows_the_save(answered) -> None:
    ws, code = answered
    if ws.is_server:
        pytest.skip("a server writes through begin()")
    with ws.write_connection() as w:
        loaded = _loaded(w.session(), code)
        save_response(w, "Bob", inspection_code=code, question_id=QID,
                      values={"result": "minor_gap"})
        assert (loaded.result, loaded.revision) == ("minor_gap", 2)
        assert not w.session().dirty
    with ws.session() as s:
        assert verify_chain(s).ok


STALE = {"result": "not_assessed"}  # what an editor showed before 'conforms' was saved
NOT_BLANK = {"result": "major_gap"}  # stale for a question never answered (or never existing)


def _save(ws, code: str, qid: str, values: dict,  # type: ignore[no-untyped-def]
          base: dict = STALE) -> None:
    with ws.begin() as s:
        save_response(s, "Bob", inspection_code=code, question_id=qid, values=values,
                      base=base)


def test_an_unknown_inspection_is_not_found_before_a_conflict(answered) -> None:
    ws, _code = answered
    with pytest.raises(NotFound, match="No inspection with code 'NOPE'"):
        _save(ws, "NOPE", QID, {"result": "conforms"}, NOT_BLANK)


def test_an_unknown_question_is_named_before_a_conflict(answered) -> None:
    ws, code = answered
    with pytest.raises(InvalidInput, match="Unknown question ID 'ZZ-99'") as caught:
        _save(ws, code, "ZZ-99", {"result": "conforms"}, NOT_BLANK)
    assert not isinstance(caught.value, RevisionConflict)


def test_an_invalid_value_is_refused_for_itself_before_a_conflict(answered) -> None:
    ws, code = answered
    with pytest.raises(InvalidInput) as caught:
        _save(ws, code, QID, {"result": "bogus"})
    assert not isinstance(caught.value, RevisionConflict)
    assert "bogus" in caught.value.message


def test_a_signed_off_inspection_is_locked_before_a_conflict(answered) -> None:
    from qmsr_ready.core.errors import InspectionLocked

    ws, code = answered
    with ws.begin() as s:
        services.sign_off(s, "Alice", code, name="Alice", meaning="approved")
    with pytest.raises(InspectionLocked):
        _save(ws, code, QID, {"result": "major_gap"})


def test_a_valid_stale_edit_is_still_a_conflict(answered) -> None:
    ws, code = answered
    with pytest.raises(RevisionConflict, match="changed elsewhere by Alice"):
        _save(ws, code, QID, {"result": "major_gap"})
    with ws.session() as s:
        assert _loaded(s, code).result == "conforms"
