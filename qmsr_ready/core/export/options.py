"""What the user chose in the export dialog or on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

XLSX_SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("areas", "Areas"),
    ("elements", "Elements (plan)"),
    ("checklist", "Checklist"),
    ("findings", "Findings"),
    ("actions", "Actions"),
    ("crosswalk", "Crosswalk"),
    ("requests", "Requests and statistics"),  # inspection-day sheets: only when there are any
    ("notes", "Scribe notes"),
    ("roster", "SME roster"),
    ("about", "About"),
)
PDF_SECTIONS: tuple[tuple[str, str], ...] = (
    ("cover", "Cover"),
    ("contents", "Contents"),
    ("summary", "Executive summary"),
    ("areas", "Area-by-area detail"),
    ("findings", "Findings register"),
    ("actions", "Action plan"),
    ("requests", "Request log"),  # only when the inspection has inspection-day records
    ("signoff", "Sign-off"),
)


@dataclass(frozen=True)
class ExportOptions:
    """Which sections to include (``None`` = all), gaps only in detail, optional cover logo."""

    sections: frozenset[str] | None = None
    gaps_only: bool = False
    logo_path: Path | None = None

    def wants(self, section: str) -> bool:
        return self.sections is None or section in self.sections
