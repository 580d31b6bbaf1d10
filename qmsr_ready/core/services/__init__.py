"""Use cases: the only code that writes a workspace. Each call validates and audits.

Every function takes an open ``Session`` (the caller owns the transaction) and an ``actor``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qmsr_ready.core.lazy_exports import exports_of, lazy_getattr

if TYPE_CHECKING:  # the real names for type checkers; at run time, imported on first use
    from qmsr_ready.core.services._common import UNSET
    from qmsr_ready.core.services.evidence import (
        attach_evidence,
        detach_evidence,
        evidence_bytes,
        evidence_links,
        link_evidence,
        remove_evidence,
    )
    from qmsr_ready.core.services.findings import (
        close_finding,
        delete_finding,
        raise_finding,
        transition_finding,
        update_finding,
    )
    from qmsr_ready.core.services.inspections import (
        ElementChoice,
        reopen_inspection,
        set_element_selection,
        sign_off,
        start_inspection,
        update_inspection,
    )
    from qmsr_ready.core.services.queries import (
        InspectionSummary,
        get_inspection,
        inspection_summary,
        list_findings,
        list_inspections,
        list_responses,
        list_sites,
    )
    from qmsr_ready.core.services.responses import (
        check_response_values,
        record_response,
        restore_response,
    )
    from qmsr_ready.core.services.sites import create_site, update_site

__getattr__ = lazy_getattr(
    __name__,
    exports_of(
        {
            "_common": ("UNSET",),
            "evidence": (
                "attach_evidence",
                "detach_evidence",
                "evidence_bytes",
                "evidence_links",
                "link_evidence",
                "remove_evidence",
            ),
            "findings": (
                "close_finding",
                "delete_finding",
                "raise_finding",
                "transition_finding",
                "update_finding",
            ),
            "inspections": (
                "ElementChoice",
                "reopen_inspection",
                "set_element_selection",
                "sign_off",
                "start_inspection",
                "update_inspection",
            ),
            "queries": (
                "InspectionSummary",
                "get_inspection",
                "inspection_summary",
                "list_findings",
                "list_inspections",
                "list_responses",
                "list_sites",
            ),
            "responses": ("check_response_values", "record_response", "restore_response"),
            "sites": ("create_site", "update_site"),
        }
    ),
)

__all__ = [
    "UNSET",
    "ElementChoice",
    "InspectionSummary",
    "attach_evidence",
    "check_response_values",
    "close_finding",
    "create_site",
    "delete_finding",
    "detach_evidence",
    "evidence_bytes",
    "evidence_links",
    "get_inspection",
    "inspection_summary",
    "link_evidence",
    "list_findings",
    "list_inspections",
    "list_responses",
    "list_sites",
    "raise_finding",
    "record_response",
    "remove_evidence",
    "reopen_inspection",
    "restore_response",
    "set_element_selection",
    "sign_off",
    "start_inspection",
    "transition_finding",
    "update_finding",
    "update_inspection",
    "update_site",
]
