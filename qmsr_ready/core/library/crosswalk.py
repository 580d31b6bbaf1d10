"""Crosswalk data: legacy QSR section → ISO clauses, QMSR hooks and what changed; QSIT → CP areas.

FDA published no section-level crosswalk, so every screen that shows this data must say it is
industry-derived (``INDUSTRY_DERIVED_LABEL``). The GUI shows it beside each question: which old
section a site's procedures probably still cite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from qmsr_ready.core.library import citations as reg
from qmsr_ready.core.library.citations import legacy_title as legacy_title
from qmsr_ready.core.library.loader import LoadResult, TemplateValidationError, load_validated
from qmsr_ready.core.library.schema import KEY_PATTERN, VERSION_PATTERN
from qmsr_ready.core.library.validate import Loc
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import typed_content
from qmsr_ready.core.template_model import TypedTemplate

INDUSTRY_DERIVED_LABEL = (
    "Industry-derived crosswalk: FDA published no section-level QSR-to-QMSR mapping."
)
QSR_FILE = "qsr-to-qmsr.yaml"
QSIT_FILE = "qsit-to-cp.yaml"
CP_AREA_IDS = ("MO", "DD", "PS", "CC", "MA", "OP", "OA", "GI")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class LegacySection(_Strict):
    section: str
    title: str = Field(min_length=1)
    subpart: str = Field(pattern=r"^[A-O]$")
    iso_clauses: list[str]
    qmsr_hooks: list[str]
    what_changed: str = Field(min_length=1)


class QsrCrosswalkFile(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    title: str = Field(min_length=1)
    provenance: Literal["industry-derived"]
    caveat: str = Field(min_length=1)
    sections: list[LegacySection] = Field(min_length=1)


class QsitSubsystem(_Strict):
    subsystem: str = Field(min_length=1)
    major: StrictBool
    cp_areas: list[str] = Field(min_length=1)
    note: str = Field(min_length=1)


class QsitCrosswalkFile(_Strict):
    key: str = Field(pattern=KEY_PATTERN)
    version: str = Field(pattern=VERSION_PATTERN)
    title: str = Field(min_length=1)
    provenance: Literal["industry-derived"]
    caveat: str = Field(min_length=1)
    subsystems: list[QsitSubsystem] = Field(min_length=1)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def check_qsr(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Cross checks: known legacy sections, each once, every one present; registry targets."""
    problems: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, row in enumerate(_list(data.get("sections"))):
        if not isinstance(row, dict):
            continue
        section = row.get("section")
        if isinstance(section, str):
            msg = reg.check_legacy(section)
            if msg is None and section != reg.legacy_base(section):
                msg = f'"{section}": give the whole section, without a paragraph'
            if msg:
                problems.append((("sections", i, "section"), msg))
            elif section in seen:
                problems.append((("sections", i, "section"), f'"{section}" is listed twice'))
            seen.add(section)
        for j, clause in enumerate(_list(row.get("iso_clauses"))):
            msg = reg.check_iso_clause(clause) if isinstance(clause, str) else None
            if msg:
                problems.append((("sections", i, "iso_clauses", j), msg))
        for j, hook in enumerate(_list(row.get("qmsr_hooks"))):
            msg = reg.check_hook(hook) if isinstance(hook, str) else None
            if msg:
                problems.append((("sections", i, "qmsr_hooks", j), msg))
    if isinstance(data.get("sections"), list):
        missing = [s for s in reg.LEGACY_SECTIONS if s not in seen]
        if missing:
            problems.append((("sections",), f"legacy sections missing: {', '.join(missing)}"))
    return problems


def check_qsit(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Cross checks: every CP area named exists."""
    problems: list[tuple[Loc, str]] = []
    for i, row in enumerate(_list(data.get("subsystems"))):
        if isinstance(row, dict):
            for j, area in enumerate(_list(row.get("cp_areas"))):
                if area not in CP_AREA_IDS:
                    message = f'"{area}" is not a CP 7382.850 area ID ({", ".join(CP_AREA_IDS)})'
                    problems.append((("subsystems", i, "cp_areas", j), message))
    return problems


def load_qsr_file(path: Path) -> LoadResult:
    """Load and validate the legacy-QSR crosswalk file."""
    return load_validated(
        path.read_text(encoding="utf-8"), path.name, path, QsrCrosswalkFile, check_qsr
    )


def load_qsit_file(path: Path) -> LoadResult:
    """Load and validate the QSIT-to-CP crosswalk file."""
    text = path.read_text(encoding="utf-8")
    return load_validated(text, path.name, path, QsitCrosswalkFile, check_qsit)


@dataclass(frozen=True)
class LegacyLink:
    """One legacy section shown beside a question (``reference`` may carry a paragraph)."""

    reference: str
    section: str
    title: str
    iso_clauses: tuple[str, ...]
    qmsr_hooks: tuple[str, ...]
    what_changed: str
    provenance: str = INDUSTRY_DERIVED_LABEL


@dataclass(frozen=True)
class Crosswalk:
    """Both crosswalks, validated, with lookups for the checklist screens."""

    sections: Mapping[str, dict[str, Any]]
    subsystems: tuple[dict[str, Any], ...]
    caveat: str
    label: str = INDUSTRY_DERIVED_LABEL

    def link(self, reference: str) -> LegacyLink:
        """Describe one legacy reference such as ``820.198`` or ``820.198(e)``."""
        base = reg.legacy_base(reference)
        row = self.sections.get(base)
        if row is None:
            title = reg.LEGACY_SECTIONS.get(base, "")
            return LegacyLink(reference, base, title, (), (), "")
        return LegacyLink(
            reference,
            base,
            str(row["title"]),
            tuple(row["iso_clauses"]),
            tuple(row["qmsr_hooks"]),
            str(row["what_changed"]),
        )

    def legacy_for(
        self,
        content: TypedTemplate | Mapping[str, Any],
        *,
        question_id: str | None = None,
        element_id: str | None = None,
    ) -> list[LegacyLink]:
        """Legacy sections for a question (its ``legacy``, else its element's) or an element."""
        tpl = typed_content(content)
        refs: tuple[str, ...] = ()
        if question_id is not None:
            question = tpl.question(question_id)
            if question is None:
                return []
            element = tpl.element(question.element_id)
            refs = question.legacy or (element.legacy_sections if element else ())
        elif element_id is not None:
            found = tpl.element(element_id)
            refs = found.legacy_sections if found else ()
        return [self.link(r) for r in refs]

    def cp_areas_for_subsystem(self, subsystem: str) -> list[str]:
        """CP area IDs a QSIT subsystem maps to (empty if unknown)."""
        for row in self.subsystems:
            if row["subsystem"] == subsystem:
                return list(row["cp_areas"])
        return []


def load_crosswalk(folder: Path | None = None) -> Crosswalk:
    """Load both crosswalk files (shipped ones by default); raise TemplateValidationError."""
    base = folder or resource_path("crosswalks")
    qsr = load_qsr_file(base / QSR_FILE)
    qsit = load_qsit_file(base / QSIT_FILE)
    issues = qsr.issues + qsit.issues
    if issues or qsr.content is None or qsit.content is None:
        raise TemplateValidationError(issues)
    sections = {row["section"]: row for row in qsr.content["sections"]}
    return Crosswalk(sections, tuple(qsit.content["subsystems"]), str(qsr.content["caveat"]))
