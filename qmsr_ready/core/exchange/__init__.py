"""One exchange engine: workbook import, workspace merge (and later the team server copy).

Every exchange reads the incoming side into canonical rows (``fields``), compares each field
three ways against the common base and the workspace (``plan``), shows the resulting
``ExchangePlan``, then applies it in one transaction through the services, as one audited,
undoable operation.

Modules:
    fields     field specs per entity: labels, kinds, limits, vocabularies, canonical forms
    plan       ExchangePlan, per-field outcomes, decisions and conflict policies
    snapshot   the workspace's own side (``read_mine``)
    workbook   reading a returned pack safely, and ``plan_workbook_import``
    merge      ``plan_workspace_merge`` from another .qmsr file (base = shared audit history)
    apply      ``apply_plan`` and ``revert_exchange`` (undo), with the audit record
    exports    which pack was last sent, and whether an inspection changed since
"""

from typing import Any

from qmsr_ready.core.exchange.fields import ENTITIES, FINDING, RESPONSE, EntitySpec, FieldSpec
from qmsr_ready.core.exchange.plan import (
    Choice,
    ConflictPolicy,
    ExchangePlan,
    FieldPlan,
    Outcome,
    RowPlan,
    RowStatus,
    SourceInfo,
)

__all__ = [
    "ENTITIES",
    "FINDING",
    "RESPONSE",
    "Choice",
    "ConflictPolicy",
    "EntitySpec",
    "ExchangePlan",
    "FieldPlan",
    "FieldSpec",
    "Outcome",
    "RowPlan",
    "RowStatus",
    "SourceInfo",
]


def __getattr__(name: str) -> Any:
    """``plan_workbook_import`` on demand (the self-test looks for it here), without loading
    openpyxl for callers that only need the plan model."""
    if name == "plan_workbook_import":
        from qmsr_ready.core.exchange.workbook import plan_workbook_import

        return plan_workbook_import
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
