"""Build exchange plans directly (as a returned workbook would) for the apply tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from qmsr_ready.core.exchange.fields import FINDING, RESPONSE, EntitySpec, value_hash
from qmsr_ready.core.exchange.plan import (
    ExchangePlan,
    RowPlan,
    RowStatus,
    SourceInfo,
    compare_row,
    new_row_fields,
)
from qmsr_ready.core.exchange.snapshot import read_mine
from qmsr_ready.core.models import AuditEvent
from qmsr_ready.core.services import get_inspection

SOURCE = SourceInfo(kind="workbook", name="pack.xlsx", sha256="ab" * 32, workspace_id="ws-1",
                    base="field hashes")


def base_of(session: Any, code: str) -> dict[tuple[str, str], dict[str, str]]:
    """Field hashes of every row now: the base a pack exported now would carry."""
    side = read_mine(session, code)
    return {
        (entity, key): {name: value_hash(v) for name, v in row.items()}
        for entity, rows in side.rows.items() for key, row in rows.items()
    }


def matched(session: Any, code: str, spec: EntitySpec, key: str, theirs: dict[str, Any],
            base: dict[tuple[str, str], dict[str, str]], row: int | None = None) -> RowPlan:
    """A matched row whose incoming side is the workspace's values with ``theirs`` on top."""
    side = read_mine(session, code)
    mine = side.of(spec.entity)[key]
    fields = compare_row(spec, mine, {**mine, **theirs}, base.get((spec.entity, key)))
    return RowPlan(spec.entity, key, RowStatus.MATCHED, key, fields, sheet=spec.sheet, row=row)


def new_finding(theirs: dict[str, Any], ref: str = "Findings!row 9") -> RowPlan:
    values = {**FINDING.defaults(), "classification": "minor", "severity": 3,
              "likelihood": 3, "status": "open", **theirs}
    return RowPlan(FINDING.entity, "", RowStatus.NEW, values["title"],
                   new_row_fields(FINDING, values), sheet="Findings", row=9, ref=ref)


def plan(session: Any, code: str, rows: list[RowPlan]) -> ExchangePlan:
    sha = get_inspection(session, code).template.sha256
    return ExchangePlan(code, sha, SOURCE, tuple(rows))


def event_count(session: Any) -> int:
    return int(session.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


__all__ = ["FINDING", "RESPONSE", "base_of", "event_count", "matched", "new_finding", "plan"]
