"""save_response: the checklist's undoable save, one read of the row for the stale check, the
save and the values before and after (issue 9 item 5)."""

from __future__ import annotations

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.errors import RevisionConflict
from qmsr_ready.core.services.responses import save_response
from qmsr_ready.core.views.undo import response_values

QID = "MO-01-Q01"


def _events(ws) -> int:
    with ws.session() as s:
        return verify_chain(s).event_count


def test_first_answer_says_blank_before_and_the_cleaned_value_after(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        saved = save_response(s, "Alice", inspection_code=code, question_id=QID,
                              values={"result": "conforms", "notes": "  ok  "},
                              base={"result": "not_assessed", "notes": ""})
    assert saved.revision == 0
    assert saved.before == {"result": "not_assessed", "notes": "", "sample_population": None,
                            "sample_size": None, "records_reviewed": "", "interviewees": ""}
    with ws.session() as s:
        assert saved.after == response_values(s, code, QID)  # what a read gives back
    assert saved.after["result"] == "conforms"


def test_a_field_changed_since_the_editor_read_it_is_refused_before_anything_is_written(
    fnd_inspection,
) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Ana", inspection_code=code, question_id=QID,
                                 result="minor_gap")
    events = _events(ws)
    with pytest.raises(RevisionConflict) as caught, ws.begin() as s:
        save_response(s, "Alice", inspection_code=code, question_id=QID,
                      values={"result": "conforms"}, base={"result": "not_assessed"})
    assert "changed elsewhere by Ana" in caught.value.message
    assert caught.value.current_revision == 1
    assert _events(ws) == events
    # another field than the one changed is no conflict, and says what it found
    with ws.begin() as s:
        saved = save_response(s, "Alice", inspection_code=code, question_id=QID,
                              values={"notes": "seen"}, base={"notes": ""})
    assert (saved.revision, saved.before["result"], saved.after["notes"]) == (1, "minor_gap",
                                                                              "seen")


def test_unchanged_values_write_nothing_and_after_is_before(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Ana", inspection_code=code, question_id=QID,
                                 result="conforms")
    events = _events(ws)
    with ws.begin() as s:
        saved = save_response(s, "Alice", inspection_code=code, question_id=QID,
                              values={"result": "conforms"}, base={"result": "conforms"})
    assert saved.after == saved.before
    assert saved.revision == 1
    assert _events(ws) == events
