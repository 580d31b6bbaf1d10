"""The audit trail's state in one line, as every pack and the CLI show it.

A pack exported from a tampered workspace must say so where a reader looks first (the PDF cover,
the workbook's first sheet and properties, the CLI), and a good pack pins the head hash so the
chain can be checked against it later (``docs/architecture.md``, "What the chain proves").
"""

from __future__ import annotations

from typing import Any

from qmsr_ready.core.report.model import AuditSummary

HEAD_SHOWN = 12  # hex characters of the head hash in the line (the full hash is in metadata)


def chain_line(audit: AuditSummary) -> str:
    """``Audit trail: verified (N events, head abc123…)`` or ``Audit trail: BROKEN — why``."""
    if audit.chain_verified:
        return (f"Audit trail: verified ({audit.event_count:,} events, head "
                f"{audit.head_hash[:HEAD_SHOWN]}…)")
    return f"Audit trail: BROKEN — {audit.problem or 'the chain could not be verified'}"


def chain_json(audit: AuditSummary) -> dict[str, Any]:
    """The same facts for ``--json`` output and machine metadata."""
    return {
        "verified": audit.chain_verified,
        "event_count": audit.event_count,
        "head_hash": audit.head_hash,
        "problem": audit.problem,
        "line": chain_line(audit),
    }
