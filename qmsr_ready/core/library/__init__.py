"""Checklist templates: load, validate, hash, cover, crosswalk, and plan inspections from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qmsr_ready.core.lazy_exports import exports_of, lazy_getattr
from qmsr_ready.core.library.coverage import Coverage, coverage

if TYPE_CHECKING:  # the real names for type checkers; at run time, imported on first use
    from qmsr_ready.core.library.catalogue import Catalogue, LoadedTemplate, version_key
    from qmsr_ready.core.library.crosswalk import INDUSTRY_DERIVED_LABEL, Crosswalk, load_crosswalk
    from qmsr_ready.core.library.loader import (
        LoadResult,
        TemplateIssue,
        TemplateValidationError,
        load_file,
        load_template,
        load_text,
    )
    from qmsr_ready.core.library.planner import ElementProposal, plan, to_element_choices

__getattr__ = lazy_getattr(
    __name__,
    exports_of(
        {
            "catalogue": ("Catalogue", "LoadedTemplate", "version_key"),
            "crosswalk": ("INDUSTRY_DERIVED_LABEL", "Crosswalk", "load_crosswalk"),
            "loader": (
                "LoadResult",
                "TemplateIssue",
                "TemplateValidationError",
                "load_file",
                "load_template",
                "load_text",
            ),
            "planner": ("ElementProposal", "plan", "to_element_choices"),
        }
    ),
)

__all__ = [
    "INDUSTRY_DERIVED_LABEL",
    "Catalogue",
    "Coverage",
    "Crosswalk",
    "ElementProposal",
    "LoadResult",
    "LoadedTemplate",
    "TemplateIssue",
    "TemplateValidationError",
    "coverage",
    "load_crosswalk",
    "load_file",
    "load_template",
    "load_text",
    "plan",
    "to_element_choices",
    "version_key",
]
