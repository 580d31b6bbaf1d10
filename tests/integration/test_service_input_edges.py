"""Inputs that used to escape validation as raw exceptions get a clear InvalidInput instead."""

from __future__ import annotations

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.models import AuditEvent, Response


def test_absurd_counts_and_invalid_unicode_are_refused_and_nothing_is_written(
    fnd_inspection,
) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        events = s.query(AuditEvent).count()
    for fields, message in (
        ({"sample_population": 10**30}, "Sample population must be at most 1,000,000,000"),
        ({"notes": "bad \ud800 text"}, "Notes contains a character that is not valid text"),
        ({"records_reviewed": ["R-1", "\udcff"]}, "not valid text"),
    ):
        with pytest.raises(InvalidInput, match=message), ws.begin() as s:
            services.record_response(s, "Auditor", inspection_code=code,
                                     question_id="MO-01-Q01", **fields)
    with pytest.raises(InvalidInput, match="not valid text"), ws.begin() as s:
        services.raise_finding(s, "Auditor", inspection_code=code, title="x\ud83d",
                               classification="minor")
    with ws.session() as s:
        assert s.query(Response).count() == 0
        assert s.query(AuditEvent).count() == events


@pytest.mark.parametrize("name", ["..", ".", "dir/..", "  "])
def test_evidence_needs_a_real_file_name(fnd_inspection, name: str) -> None:
    ws, code = fnd_inspection
    with pytest.raises(InvalidInput), ws.begin() as s:
        services.attach_evidence(s, "Auditor", inspection_code=code, filename=name, data=b"x")
