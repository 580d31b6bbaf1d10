"""One action reads the same in the audit view wherever it was recorded: a file's autosave
stores its changes as the sorted JSON it hashed, a server's save in the order given, and the
view lists a response's fields in the response spec's order either way (QA 9 item 1: the result
came after an 80-character notes excerpt on a file, before it on a server). Other events keep
the order their service wrote, the telling field first."""

from __future__ import annotations

from dataclasses import replace

from qmsr_ready.core import services
from qmsr_ready.core.services.requests import add_request
from qmsr_ready.core.template_content import TemplateSnapshot
from qmsr_ready.core.views.audit import audit_events
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.responses import RecordResponseCommand
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.models.audit_model import AuditRow
from tests.conftest import fnd_template_content

QID = "MO-01-Q01"
CHANGES = {"sample_size": 5, "notes": "Two of five DHRs lack the final test record",
           "sample_population": 40, "result": "major_gap"}


def _inspection(ctx: AppContext) -> str:
    assert ctx.workspace is not None
    with ctx.workspace.begin() as s:
        services.create_site(s, "Alice", name="Acme Devices", fei_number="3001234567")
        return services.start_inspection(
            s, "Alice", site_code="SITE-001",
            template=TemplateSnapshot.from_content(fnd_template_content()),
            inspection_type="baseline_surveillance", title="Order",
        ).code


def test_a_response_change_lists_its_fields_in_column_order_however_it_was_stored(
        ctx: AppContext) -> None:
    code = _inspection(ctx)
    assert execute(ctx, RecordResponseCommand(ctx, code, QID, dict(CHANGES))) is None
    assert ctx.workspace is not None
    with ctx.workspace.session() as s:
        event = audit_events(s)[-1]
    assert event.action == "response.record"
    assert list(event.changes)[:2] == ["_state", "notes"], "stored as the sorted JSON it hashed"
    # as a server stores the same save: the fields in the order the caller gave them
    as_given = replace(event, changes={name: event.changes[name]
                                       for name in [*CHANGES, "_state"]})

    texts = [AuditRow.from_event(e).changes for e in (event, as_given)]
    assert texts[0] == texts[1]
    names = [part.split(":", 1)[0] for part in texts[0].split("; ")]
    assert names == ["result", "notes", "sample_population", "sample_size"], texts[0]
    assert texts[0].startswith("result: not_assessed → major_gap; notes:  → Two of five")


def test_other_changes_keep_the_order_their_service_wrote(ctx: AppContext) -> None:
    code = _inspection(ctx)
    assert ctx.workspace is not None
    with ctx.workspace.begin() as s:
        add_request(s, "Alice", inspection_code=code, text="Complaint files, 2025",
                             requested_by="J. Alvarez")
    with ctx.workspace.session() as s:
        event = audit_events(s)[-1]
    assert event.action == "request.add"
    text = AuditRow.from_event(event).changes
    assert text.startswith("text: — → Complaint files, 2025"), text
