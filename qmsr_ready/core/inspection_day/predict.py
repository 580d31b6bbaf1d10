"""Predicted first-day requests: what an investigator usually asks for first, from the plan.

The program starts from the product-risk picture and the site's feedback and CAPA systems, so the
first hour usually brings requests for the complaint and MDR logs, the CAPA log, the management
review and internal audit schedules, and the risk files of the products in focus. Each prediction
says which planned element (or profile fact) it comes from, so the back room can pre-stage the
record as "prepared" before the day. This is practice, not regulation (regulatory-facts §5.5).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.models import DocumentRequest
from qmsr_ready.core.services._common import get_inspection
from qmsr_ready.core.template_content import typed_template


@dataclass(frozen=True)
class PredictedRequest:
    """A record to pre-stage, the element it serves and why it is expected."""

    text: str
    kind: str
    element_id: str  # "" for a profile-driven or general request
    area_id: str
    reason: str


# (element ID, what to pre-stage, kind); element IDs are those of the fda-qmsr template.
_BY_ELEMENT: tuple[tuple[str, str, str], ...] = (
    ("MA-03", "Complaint log for the last two years, with the MDR decision for each", "record"),
    ("OA-01", "MDR log and the eMDR submissions of the last two years", "record"),
    ("MA-09", "CAPA log (open and closed, last two years) with due dates and status", "record"),
    ("MO-11", "Management review schedule and the minutes of the last review", "document"),
    ("MA-04", "Internal audit schedule and the list of audit reports", "document"),
    ("MA-07", "Nonconforming product log for the last year", "record"),
    ("OA-02", "Corrections and removals (recall) log, with Part 806 assessments", "record"),
    ("OP-01", "Approved supplier list with status, and the supplier audit schedule", "document"),
    ("CC-03", "Change log of product and process changes for the last two years", "record"),
    ("PS-06", "Process validation master list with revalidation dates", "document"),
    ("PS-07", "Sterilization validation summary and the last routine control records", "record"),
    ("MO-05", "Medical device file index for the products in focus", "document"),
    ("MO-14", "Risk management files of the products in focus", "document"),
    ("DD-02", "List of design projects and their design and development files", "document"),
    ("PS-11", "Calibration master list with due dates", "document"),
    ("MO-13", "Training matrix for quality and production roles", "document"),
    ("MA-08", "Trend reports for complaints, nonconformances and returns", "document"),
    ("GI-02", "Responses and commitments for the prior FDA 483 observations", "document"),
)

_GENERAL: tuple[tuple[str, str, str], ...] = (
    ("Product list with device classes, and the product-risk briefing", "document",
     "The program starts from the products made at the site and their risk picture."),
    ("Organisation chart naming top management and the management representative", "document",
     "Usually asked for in the opening meeting to know whom to talk to."),
)


def predicted_requests(session: Session, inspection_code: str) -> list[PredictedRequest]:
    """The first-day requests for this inspection's plan, minus those already logged."""
    insp = get_inspection(session, inspection_code)
    selected = {e.element_id for e in insp.elements if e.selected and e.applicable}
    tpl = typed_template(insp.template)
    area_of = {el.id: el.area_id for el in tpl.elements}
    titles = {el.id: el.title for el in tpl.elements}
    rows = session.execute(select(DocumentRequest.text, DocumentRequest.element_id).where(
        DocumentRequest.inspection_id == insp.id)).all()
    logged = {str(t).casefold() for t, _e in rows}
    # An element already asked about (in other words) needs no prediction repeating it.
    covered = {str(e) for _t, e in rows if e}
    out = [PredictedRequest(text, kind, "", "", reason) for text, kind, reason in _GENERAL]
    for element_id, text, kind in _BY_ELEMENT:
        if element_id in selected:
            out.append(PredictedRequest(
                text, kind, element_id, area_of.get(element_id, ""),
                f"{element_id} {titles.get(element_id, '')} is in the plan; investigators "
                "usually start that element from this record.",
            ))
    site = insp.site
    if site.software_in_device and "DD-08" not in selected:
        out.append(PredictedRequest(
            "Software bill of materials and the vulnerability monitoring records", "document",
            "", "", "The site profile says the devices contain software."))
    if site.tracking_orders and "OA-03" not in selected:
        out.append(PredictedRequest(
            "Device tracking records for devices under an FDA tracking order", "record",
            "OA-03", area_of.get("OA-03", ""), "The site profile says a tracking order applies."))
    return [p for p in out
            if p.text.casefold() not in logged and not (p.element_id and p.element_id in covered)]
