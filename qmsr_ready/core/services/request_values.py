"""Finding a request and reading what the user gave for it: times, codes, areas, plain text.

Split out of ``requests``: one set of rules for every request value (CLI, GUI, workbook), shared
by logging, moving and presenting; ``day_notes`` reads times and codes the same way.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.errors import InvalidInput, NotFound
from qmsr_ready.core.fields import REQUEST, messages
from qmsr_ready.core.models import (
    DocumentRequest,
    Finding,
    Inspection,
    PresentedItem,
    utcnow,
)
from qmsr_ready.core.services._common import (
    field_value,
    text_value,
)
from qmsr_ready.core.template_content import typed_template

# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.

# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.


# A clock a few minutes fast (another laptop, a typed time) is not a request from the future.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def get_request(session: Session, insp: Inspection, code: str) -> DocumentRequest:
    """The request with this number in the inspection, or ``NotFound``."""
    req = session.execute(
        select(DocumentRequest).where(
            DocumentRequest.inspection_id == insp.id, DocumentRequest.code == code
        )
    ).scalar_one_or_none()
    if req is None:
        raise NotFound(f"No request {code!r} in inspection {insp.code}.")
    return req


def time_value(value: Any, what: str) -> dt.datetime:
    """An aware UTC datetime from a datetime or ISO-8601 text.

    One rule for CLI, GUI and services: a time without an offset is this computer's local time
    (what the person typing it reads on the wall clock).
    """
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                f"{what} must be a date and time like 2026-05-31T09:15 or "
                f"2026-05-31T09:15:00+01:00, not {value!r}."
            ) from None
    if not isinstance(value, dt.datetime):
        raise InvalidInput(f"{what} must be a date and time, not {value!r}.")
    if not 2000 <= value.year <= 2100:
        raise InvalidInput(f"{what} {value.isoformat()} is not a plausible time.")
    return value.astimezone(dt.UTC)  # a naive value is read as local time


def element_area(insp: Inspection, element_id: str) -> str:
    element = typed_template(insp.template).element(element_id)
    if element is not None:
        return element.area_id
    raise InvalidInput(
        f"Unknown element ID {element_id!r} for template {insp.template.key} "
        f"{insp.template.version}."
    )


def _area_ids(insp: Inspection) -> frozenset[str]:
    return typed_template(insp.template).area_ids


def codes_value(session: Session, insp: Inspection, value: Any, model: Any, what: str) -> list[str]:
    """A list of codes (``F-001; F-004`` or a sequence) that must exist in the inspection."""
    if isinstance(value, str):
        value = value.replace(",", ";").split(";")
    codes = list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    known = set(session.scalars(select(model.code).where(model.inspection_id == insp.id)))
    for c in codes:
        if c not in known:
            raise InvalidInput(f"No {what} {c!r} in inspection {insp.code}.")
    return codes


def _plain(value: str, lines: bool) -> str:
    """Text without control characters (ESC, BEL, a bare CR...) that would drive a terminal.

    Where ``lines`` allows them, line breaks and tabs stay (a CR becomes a line break) and other
    controls are dropped; in a one-line field every control character becomes a space.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    keep = "\n\t" if lines else ""
    return "".join(
        ch if ch in keep or unicodedata.category(ch) != "Cc" else ("" if lines else " ")
        for ch in value
    )


def clean_value(session: Session, insp: Inspection, name: str, value: Any) -> Any:
    if name == "text":
        asked = _plain(field_value(REQUEST.field("text"), value), True)
        if not asked.strip():
            raise InvalidInput(messages.empty(REQUEST.label_of("text")) + ".")
        return asked.strip()
    if name in ("kind", "priority"):
        return field_value(REQUEST.field(name), value)
    if name in ("requested_by", "owner"):
        return _plain(field_value(REQUEST.field(name), value), False).strip()
    if name == "notes":
        return _plain(field_value(REQUEST.field(name), value), True)
    if name == "area_id":
        area = field_value(REQUEST.field(name), value).strip()
        if area and area not in _area_ids(insp):
            raise InvalidInput(f"Unknown area {area!r}; use one of: "
                               + ", ".join(sorted(_area_ids(insp))) + ".")
        return area
    if name == "element_id":
        element = field_value(REQUEST.field(name), value).strip()
        if element:
            element_area(insp, element)
        return element
    if name == "requested_at":
        when = time_value(value, "Requested at")
        if when > utcnow() + FUTURE_TOLERANCE:
            raise InvalidInput(
                f"Requested at {when:%Y-%m-%d %H:%M} UTC is in the future; give the time the "
                "investigator asked (leave it out for now)."
            )
        return when
    if name == "finding_codes":
        return codes_value(session, insp, value, Finding, "finding")
    raise InvalidInput(f"A request has no field {name!r}.")  # pragma: no cover


def new_item(
    req: DocumentRequest, actor: str, document_id: str, version: str, when: dt.datetime,
    note: str, evidence_id: int | None = None, sha256: str = "",
) -> PresentedItem:
    """A handed-over item from the values given, appended to the request's items."""
    item = PresentedItem(
        document_id=text_value(document_id, "Document ID", required=True, max_len=255).strip(),
        version=text_value(version, "Version", max_len=255).strip(),
        evidence_id=evidence_id, sha256=sha256, presented_at=when, presented_by=actor,
        note=text_value(note, "Note"),
    )
    req.items.append(item)
    return item
