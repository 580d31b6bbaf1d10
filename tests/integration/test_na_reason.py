""""Not applicable" needs a reason in the notes, enforced by the service (issue 10 item 1).

The runner asks for the reason and the workbook import goes through ``record_response``, so
the rule lives once, here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.models import AuditEvent, Response

QID = "MO-01-Q01"


def _record(ws, code: str, **fields: object) -> None:  # type: ignore[no-untyped-def]
    with ws.begin() as s:
        services.record_response(s, "Auditor", inspection_code=code, question_id=QID, **fields)


@pytest.mark.parametrize("notes", [None, "", "   \n\t ", "\u200b", "\u200b\u00a0\u2060\ufeff",
                                   "Not applicable: \u200b"])
def test_not_applicable_without_a_reason_is_refused_and_nothing_is_written(
        fnd_inspection, notes: str | None) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        events = s.query(AuditEvent).count()
    fields: dict[str, object] = {"result": "not_applicable"}
    if notes is not None:
        fields["notes"] = notes
    with pytest.raises(InvalidInput, match=f"Not applicable needs a reason: write in the notes "
                                           f"why {QID} does not apply"):
        _record(ws, code, **fields)
    with ws.session() as s:
        assert s.query(Response).count() == 0
        assert s.query(AuditEvent).count() == events


def test_not_applicable_with_a_reason_is_saved(fnd_inspection) -> None:
    ws, code = fnd_inspection
    _record(ws, code, result="not_applicable", notes="No sterile product made here.")
    with ws.session() as s:
        row = s.query(Response).one()
    assert (row.result, row.notes) == ("not_applicable", "No sterile product made here.")


def test_a_reason_already_in_the_notes_is_enough(fnd_inspection) -> None:
    ws, code = fnd_inspection
    _record(ws, code, notes="Site makes no software.")
    _record(ws, code, result="not_applicable")
    with ws.session() as s:
        assert s.query(Response).one().result == "not_applicable"


def test_clearing_the_reason_of_a_not_applicable_answer_is_refused(fnd_inspection) -> None:
    ws, code = fnd_inspection
    _record(ws, code, result="not_applicable", notes="No installation.")
    with pytest.raises(InvalidInput, match=f"{QID} is answered Not applicable: keep the reason"):
        _record(ws, code, notes=" ")
    _record(ws, code, result="conforms", notes="")  # leaving N/A and clearing at once is fine
    with ws.session() as s:
        assert (s.query(Response).one().result, s.query(Response).one().notes) == ("conforms", "")


def test_older_not_applicable_answer_without_reason_can_still_be_sampled(
        fnd_inspection) -> None:
    ws, code = fnd_inspection
    _record(ws, code, result="not_applicable", notes="temporary")
    with ws.begin() as s:  # as saved by a version without the rule
        s.execute(update(Response).values(notes=""))
    _record(ws, code, sample_population=10, sample_size=2)
    with ws.session() as s:
        assert s.query(Response).one().sample_size == 2
