"""A hand-built exchange plan with every outcome, for the preview model and dialog tests."""

from __future__ import annotations

from qmsr_ready.core.exchange.fields import FINDING, RESPONSE, value_hash
from qmsr_ready.core.exchange.plan import (
    ExchangePlan,
    RowPlan,
    RowStatus,
    SourceInfo,
    compare_row,
    new_row_fields,
)


def _base(values: dict) -> dict[str, str]:
    return {name: value_hash(value) for name, value in values.items()}


def sample_plan(kind: str = "workbook") -> ExchangePlan:
    """Q1: clean update + conflict; Q2: already applied + workspace-only; F-001: conflict;
    one new finding; an unknown ID and a deleted row."""
    r_base = {"result": "not_assessed", "notes": "", "sample_size": None,
              "records_reviewed": "", "interviewees": ""}
    q1 = compare_row(
        RESPONSE,
        mine={**r_base, "notes": "Mine: checked SOP-12"},
        theirs={**r_base, "result": "minor_gap", "notes": "Theirs: SOP-12 rev C missing"},
        base=_base(r_base),
        cells={"result": "Checklist!H12", "notes": "Checklist!I12"},
    )
    q2 = compare_row(
        RESPONSE,
        mine={**r_base, "result": "conforms", "interviewees": "J. Doe"},
        theirs={**r_base, "result": "conforms"},
        base=_base(r_base),
        cells={"result": "Checklist!H13", "interviewees": "Checklist!M13"},
    )
    f_base = {"title": "CAPA overdue", "classification": "minor", "status": "open",
              "owner": "", "severity": 2, "likelihood": 2}
    f1 = compare_row(
        FINDING,
        mine={**f_base, "owner": "Aoife", "severity": 3},
        theirs={**f_base, "owner": "Brendan", "severity": 4},
        base=_base(f_base),
        cells={"owner": "Findings!K5", "severity": "Findings!F5"},
    )
    new = new_row_fields(FINDING, {"title": "Training records incomplete",
                                   "classification": "observation", "status": "open",
                                   "severity": 2, "likelihood": 3})
    rows = (
        RowPlan("response", "MO-01-Q01", RowStatus.MATCHED, "Is there a QMS?", q1,
                sheet="Checklist", row=12),
        RowPlan("response", "MO-01-Q02", RowStatus.MATCHED, "Is it maintained?", q2,
                sheet="Checklist", row=13),
        RowPlan("finding", "F-001", RowStatus.MATCHED, "CAPA overdue", f1,
                sheet="Findings", row=5),
        RowPlan("finding", "", RowStatus.NEW, "Training records incomplete", new,
                sheet="Findings", row=6, note="as F-002", ref="Findings!row 6"),
        RowPlan("response", "ZZ-99-Q01", RowStatus.UNKNOWN, "", (), sheet="Checklist", row=40,
                note="no such question in this inspection"),
        RowPlan("finding", "F-009", RowStatus.MISSING, "Old finding", (), sheet="Findings"),
    )
    source = SourceInfo(kind=kind, name="pack.xlsx" if kind == "workbook" else "other.qmsr",
                        sha256="0" * 64, exported_at="2026-12-02T14:05:00Z",
                        base="field hashes")
    return ExchangePlan("MI-2026-001", "a" * 64, source, rows,
                        notices=("gaps-only pack: unlisted questions were not compared",))
