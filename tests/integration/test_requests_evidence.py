"""Evidence that is the copy of what was shown to the investigator cannot be removed (QA #2)."""

from __future__ import annotations

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.models import EvidenceBlob, PresentedItem
from qmsr_ready.core.services import requests as req_service


def test_evidence_shown_for_a_request_cannot_be_removed(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        req_service.add_request(s, "Alice", inspection_code=code, text="SOP-001")
        req_service.present_items(s, "Alice", code, "R-001", [
            {"document_id": "SOP-001", "version": "C", "filename": "sop.txt", "data": b"SOP C"},
        ])
        services.attach_evidence(s, "Alice", inspection_code=code, filename="x.txt", data=b"x")
    with ws.begin() as s, pytest.raises(InvalidInput, match=(
            r"^E-001 is the copy of what was shown for R-001; it cannot be removed")):
        services.remove_evidence(s, "Alice", code, "E-001")
    with ws.session() as s:
        item = s.query(PresentedItem).one()
        assert item.evidence_id is not None
        assert s.get(EvidenceBlob, item.sha256) is not None
    with ws.begin() as s:  # evidence not shown for a request still goes
        services.remove_evidence(s, "Alice", code, "E-002")
