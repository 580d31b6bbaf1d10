"""A user name that is not valid text is refused in words, with nothing written (QA 9 item 2:
``QMSR_READY_USER`` of undecodable bytes failed the first save with a UnicodeEncodeError)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from qmsr_ready.core.audit import ACTOR_ENV, default_actor, verify_chain
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.services.responses import save_response
from qmsr_ready.core.views.audit import audit_events

UNDECODABLE = "Bad\udcff"  # what Python makes of the byte 0xff in an environment variable


def test_an_undecodable_user_variable_is_refused_by_name(monkeypatch) -> None:
    monkeypatch.setenv(ACTOR_ENV, UNDECODABLE)
    with pytest.raises(InvalidInput, match=r"\$QMSR_READY_USER .*not valid text \(position 4\)"):
        default_actor()
    monkeypatch.setenv(ACTOR_ENV, "Zoe\u0308 ")  # decomposed, with a space: one spelling kept
    assert default_actor() == "Zo\u00eb"
    with pytest.raises(InvalidInput, match="configured user name"):
        default_actor(UNDECODABLE)


@pytest.mark.parametrize("path", ["autosave", "session"])
def test_a_save_by_an_undecodable_name_writes_nothing(fnd_inspection, path) -> None:
    ws, code = fnd_inspection
    with ws.session() as s:
        before = len(audit_events(s))
    with pytest.raises(InvalidInput, match="not valid text"), (
            ws.write_transaction() if path == "autosave" else ws.begin()) as owner:
        save_response(owner, UNDECODABLE, inspection_code=code,
                               question_id="MO-01-Q01", values={"notes": "seen"})
    with ws.session() as s:
        assert len(audit_events(s)) == before
        assert verify_chain(s).ok
        assert s.execute(text("SELECT count(*) FROM responses")).scalar_one() == 0
