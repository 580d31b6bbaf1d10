"""One rule for "answered" (issue 9 QA item 6): Result.is_answered, in the list's SQL too."""

from __future__ import annotations

from qmsr_ready.core import services
from qmsr_ready.core.services.queries import ANSWERED_VALUES
from qmsr_ready.core.vocab import Result


def test_the_list_counts_what_is_answered_says(fnd_inspection) -> None:
    ws, code = fnd_inspection
    assert set(ANSWERED_VALUES) == {r.value for r in Result if r.is_answered}
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q01",
                                 result="conforms")
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-01-Q02",
                                 result="not_applicable", notes="Not applicable: no such line")
        services.record_response(s, "Alice", inspection_code=code, question_id="MO-02-Q01",
                                 notes="started, no result yet")
    with ws.session() as s:
        (row,) = services.list_inspections(s)
    assert row.questions_answered == 2  # N/A is answered; notes without a result are not
