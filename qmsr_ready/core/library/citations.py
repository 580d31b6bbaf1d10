"""The canonical citation registry: everything a checklist question may cite.

Titles only, never standard or regulation text (ISO text is copyrighted; CFR paragraph headings
are short labels). Where a paragraph has no official title the label is in square brackets and
``official`` is False, so nobody mistakes our description for ISO's or FDA's wording.
Source: regulatory-facts.md §1.2–§1.3 (QMSR), §2 (ISO 13485:2016), §4.1 (legacy QSR), §7 (FDA
texts: QMSR page and FAQ, CP 7382.850). Besides ISO and 21 CFR, a few statute sections and FDA
pages (``OTHER_SOURCES``) are citable because QMSR-era questions rest on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ISO_PREFIX = "ISO 13485:2016 "
CFR_PREFIX = "21 CFR "


@dataclass(frozen=True)
class RegistryEntry:
    """One citable target: its canonical string, title and whether the title is official."""

    citation: str
    number: str
    title: str
    official: bool = True


# ISO 13485:2016 clauses 4–8: number → title (4.1.1–4.1.6 carry bracketed descriptive labels).
ISO_CLAUSES: dict[str, str] = {
    "4": "Quality management system",
    "4.1": "General requirements",
    "4.1.1": "[Document the QMS; roles undertaken]",
    "4.1.2": "[Processes; risk-based approach]",
    "4.1.3": "[Process criteria and monitoring]",
    "4.1.4": "[Changes to QMS processes]",
    "4.1.5": "[Outsourced processes]",
    "4.1.6": "[Validation of QMS software]",
    "4.2": "Documentation requirements",
    "4.2.1": "General",
    "4.2.2": "Quality manual",
    "4.2.3": "Medical device file",
    "4.2.4": "Control of documents",
    "4.2.5": "Control of records",
    "5": "Management responsibility",
    "5.1": "Management commitment",
    "5.2": "Customer focus",
    "5.3": "Quality policy",
    "5.4": "Planning",
    "5.4.1": "Quality objectives",
    "5.4.2": "Quality management system planning",
    "5.5": "Responsibility, authority and communication",
    "5.5.1": "Responsibility and authority",
    "5.5.2": "Management representative",
    "5.5.3": "Internal communication",
    "5.6": "Management review",
    "5.6.1": "General",
    "5.6.2": "Review input",
    "5.6.3": "Review output",
    "6": "Resource management",
    "6.1": "Provision of resources",
    "6.2": "Human resources",
    "6.3": "Infrastructure",
    "6.4": "Work environment and contamination control",
    "6.4.1": "Work environment",
    "6.4.2": "Contamination control",
    "7": "Product realization",
    "7.1": "Planning of product realization",
    "7.2": "Customer-related processes",
    "7.2.1": "Determination of requirements related to product",
    "7.2.2": "Review of requirements related to product",
    "7.2.3": "Communication",
    "7.3": "Design and development",
    "7.3.1": "General",
    "7.3.2": "Design and development planning",
    "7.3.3": "Design and development inputs",
    "7.3.4": "Design and development outputs",
    "7.3.5": "Design and development review",
    "7.3.6": "Design and development verification",
    "7.3.7": "Design and development validation",
    "7.3.8": "Design and development transfer",
    "7.3.9": "Control of design and development changes",
    "7.3.10": "Design and development files",
    "7.4": "Purchasing",
    "7.4.1": "Purchasing process",
    "7.4.2": "Purchasing information",
    "7.4.3": "Verification of purchased product",
    "7.5": "Production and service provision",
    "7.5.1": "Control of production and service provision",
    "7.5.2": "Cleanliness of product",
    "7.5.3": "Installation activities",
    "7.5.4": "Servicing activities",
    "7.5.5": "Particular requirements for sterile medical devices",
    "7.5.6": "Validation of processes for production and service provision",
    "7.5.7": "Particular requirements for validation of processes for sterilization and "
    "sterile barrier systems",
    "7.5.8": "Identification",
    "7.5.9": "Traceability",
    "7.5.9.1": "General",
    "7.5.9.2": "Particular requirements for implantable medical devices",
    "7.5.10": "Customer property",
    "7.5.11": "Preservation of product",
    "7.6": "Control of monitoring and measuring equipment",
    "8": "Measurement, analysis and improvement",
    "8.1": "General",
    "8.2": "Monitoring and measurement",
    "8.2.1": "Feedback",
    "8.2.2": "Complaint handling",
    "8.2.3": "Reporting to regulatory authorities",
    "8.2.4": "Internal audit",
    "8.2.5": "Monitoring and measurement of processes",
    "8.2.6": "Monitoring and measurement of product",
    "8.3": "Control of nonconforming product",
    "8.3.1": "General",
    "8.3.2": "Actions in response to nonconforming product detected before delivery",
    "8.3.3": "Actions in response to nonconforming product detected after delivery",
    "8.3.4": "Rework",
    "8.4": "Analysis of data",
    "8.5": "Improvement",
    "8.5.1": "General",
    "8.5.2": "Corrective action",
    "8.5.3": "Preventive action",
}

# 21 CFR forms (without the "21 CFR " prefix) → (title, official?).
CFR_SECTIONS: dict[str, tuple[str, bool]] = {
    "820.1": ("Scope", True),
    "820.1(a)": ("Applicability", True),
    "820.3": ("Definitions", True),
    "820.3(a)": ("[Terms not defined in ISO 13485 or ISO 9000]", False),
    "820.3(b)": ("[FD&C Act definitions and superseding terms]", False),
    "820.7": ("Incorporation by reference", True),
    "820.10": ("Requirements for a quality management system", True),
    "820.10(a)": ("Document", True),
    "820.10(b)": ("Applicable regulatory requirements", True),
    "820.10(b)(1)": ("[UDI system under Part 830, for 7.5.8]", False),
    "820.10(b)(2)": ("[Tracking under Part 821, for 7.5.9.1]", False),
    "820.10(b)(3)": ("[MDR under Part 803, for 8.2.3]", False),
    "820.10(b)(4)": ("[Advisory notices under Part 806, for 7.2.3, 8.2.3, 8.3.3]", False),
    "820.10(c)": ("Design and development", True),
    "820.10(c)(1)": ("[Class I devices automated with computer software]", False),
    "820.10(c)(2)": ("[Class I devices listed in Table 1]", False),
    "820.10(d)": ("Devices that support or sustain life", True),
    "820.10(e)": ("Enforcement", True),
    "820.35": ("Control of records", True),
    "820.35(a)": ("Complaint records", True),
    "820.35(b)": ("Servicing records", True),
    "820.35(c)": ("Unique device identifier", True),
    "820.35(d)": ("Confidentiality", True),
    "820.45": ("Device labeling and packaging controls", True),
    "820.45(a)": ("[Examination of labeling and packaging before release]", False),
    "820.45(b)": ("[Documented release of labeling]", False),
    "820.45(c)": ("[Operations that prevent labeling and packaging mix-ups]", False),
    "11": ("Electronic records; electronic signatures", True),
    "11.10": ("Controls for closed systems", True),
    "11.50": ("Signature manifestations", True),
    "11.70": ("Signature/record linking", True),
    "11.300": ("Controls for identification codes/passwords", True),
    "801 Subpart B": ("Labeling requirements for unique device identification", True),
    "803": ("Medical device reporting", True),
    "803.17": ("[Written MDR procedures]", False),
    "803.18": ("[MDR event files and their retention]", False),
    "803.50": ("[Manufacturer reports due within 30 calendar days]", False),
    "806": ("Medical devices; reports of corrections and removals", True),
    "806.10": ("Reports of corrections and removals", True),
    "806.20": ("Records of corrections and removals not required to be reported", True),
    "807": ("Establishment registration and device listing", True),
    "812": ("Investigational device exemptions", True),
    "814": ("Premarket approval of medical devices", True),
    "814.39": ("PMA supplements", True),
    "814.84": ("Reports", True),
    "821": ("Medical device tracking requirements", True),
    "830": ("Unique device identification", True),
}

# Citable sources outside ISO 13485 and 21 CFR: statute sections and FDA's own QMSR pages.
# Titles in square brackets are our short descriptions, not official headings.
OTHER_SOURCES: dict[str, tuple[str, bool]] = {
    "FD&C Act 501(j)": ("[Adulterated: inspection delayed, denied, limited or refused]", False),
    "FD&C Act 524B": ("[Cybersecurity requirements for cyber devices]", False),
    "FD&C Act 704(a)(4)": ("[Records requested in advance of or instead of an inspection]", False),
    "FDA CP 7382.850": ("Inspection of Medical Device Manufacturers (compliance program)", True),
    "FDA QMSR FAQ": ("Quality Management System Regulation: Frequently Asked Questions", True),
    "FDA QMSR FAQ Q7": ("[Records created before 2 February 2026 may be reviewed]", False),
    "FDA QMSR FAQ Q8": ("[Management review, quality audit and supplier audit reports]", False),
    "FDA QMSR web page": ("Quality Management System Regulation (QMSR) page", True),
}  # fmt: skip

# Legacy QSR (old Part 820, before 2 Feb 2026) sections → titles (regulatory-facts §4.1).
LEGACY_SECTIONS: dict[str, str] = {
    "820.1": "Scope",
    "820.3": "Definitions",
    "820.5": "Quality system",
    "820.20": "Management responsibility",
    "820.22": "Quality audit",
    "820.25": "Personnel",
    "820.30": "Design controls",
    "820.40": "Document controls",
    "820.50": "Purchasing controls",
    "820.60": "Identification",
    "820.65": "Traceability",
    "820.70": "Production and process controls",
    "820.72": "Inspection, measuring, and test equipment",
    "820.75": "Process validation",
    "820.80": "Receiving, in-process, and finished device acceptance",
    "820.86": "Acceptance status",
    "820.90": "Nonconforming product",
    "820.100": "Corrective and preventive action",
    "820.120": "Device labeling",
    "820.130": "Device packaging",
    "820.140": "Handling",
    "820.150": "Storage",
    "820.160": "Distribution",
    "820.170": "Installation",
    "820.180": "General requirements (records)",
    "820.181": "Device master record",
    "820.184": "Device history record",
    "820.186": "Quality system record",
    "820.198": "Complaint files",
    "820.200": "Servicing",
    "820.250": "Statistical techniques",
}

# Operative Part 820 paragraphs every main library must cite (issue 3 item 2).
CFR_COVERAGE_TARGETS: tuple[str, ...] = (
    "820.1", "820.3", "820.7",
    "820.10(a)", "820.10(b)", "820.10(c)", "820.10(d)", "820.10(e)",
    "820.35(a)", "820.35(b)", "820.35(c)", "820.35(d)",
    "820.45", "820.45(a)", "820.45(b)", "820.45(c)",
)  # fmt: skip

_ISO_RE = re.compile(r"^ISO 13485:2016 (?P<clause>\d+(?:\.\d+)*)(?: (?P<item>[a-z]\)))?$")
_CFR_RE = re.compile(r"^21 CFR (?P<target>\d{1,4}(?:\.\d+(?:\([a-z0-9]+\))*| Subpart [A-Z])?)$")
_LEGACY_RE = re.compile(r"^(?P<section>820\.\d+)(?P<para>(?:\([a-z0-9]+\))*)$")
_HOOK_RE = re.compile(r"^(?P<target>\d{1,4}(?:\.\d+(?:\([a-z0-9]+\))*| Subpart [A-Z])?)$")


@dataclass(frozen=True)
class Citation:
    """A parsed citation: registry target (without list item) plus an optional ISO list item."""

    kind: str  # "iso", "cfr" or "other" (statute sections and FDA pages)
    number: str  # "7.3.9", "820.35(a)", "803" or, for "other", the whole string
    item: str | None = None  # "b)" in "ISO 13485:2016 4.1.2 b)"

    @property
    def target(self) -> str:
        """The canonical registry string this citation points at (list item dropped)."""
        if self.kind == "other":
            return self.number
        return (ISO_PREFIX if self.kind == "iso" else CFR_PREFIX) + self.number

    def __str__(self) -> str:
        return self.target + (f" {self.item}" if self.item else "")


class CitationError(ValueError):
    """A citation string that is not in the registry; the message says why."""


def parse_citation(text: str) -> Citation:
    """Parse an exact canonical citation string; raise CitationError with a readable reason."""
    if text in OTHER_SOURCES:
        return Citation("other", text)
    m = _ISO_RE.match(text)
    if m:
        if m["clause"] not in ISO_CLAUSES:
            raise CitationError(f'"{text}" is not a clause')
        return Citation("iso", m["clause"], m["item"])
    m = _CFR_RE.match(text)
    if m:
        if m["target"] not in CFR_SECTIONS:
            raise CitationError(f'"{text}" is not a citable 21 CFR section or paragraph')
        return Citation("cfr", m["target"])
    suggestion = normalise_citation(text)
    if suggestion is not None and suggestion != text:
        raise CitationError(f'"{text}" is not in canonical form; write "{suggestion}"')
    raise CitationError(
        f'"{text}" is not a citation (expected "ISO 13485:2016 <clause>", "21 CFR <section>" '
        f"or one of: {', '.join(OTHER_SOURCES)})"
    )


def normalise_citation(text: str) -> str | None:
    """Best-effort canonical form of a loosely typed citation, or None if it names nothing.

    Accepts variants people type ("ISO 13485 clause 7.3.9", "21 CFR §820.35(a)",
    "21 CFR Part 803"); used for search and for "did you mean" hints, never to accept typos.
    """
    t = " ".join(text.replace("§", " ").split())
    iso = re.match(
        r"^(?:ISO ?13485(?: ?: ?2016)? ?)?(?:clause ?)?(\d\.\d+(?:\.\d+)*)(?: ?([a-z])\))?$",
        t,
        re.I,
    )
    if iso and iso.group(1) in ISO_CLAUSES:
        item = iso.group(2)
        return ISO_PREFIX + iso.group(1) + (f" {item.lower()})" if item else "")
    cfr = re.match(
        r"^(?:21\s*CFR\s*)?(?:part\s*)?(\d{1,4}(?:\.\d+)?)\s*((?:\([a-z0-9]+\))*)$", t, re.I
    )
    if cfr:
        target = cfr.group(1) + cfr.group(2).lower()
        if target in CFR_SECTIONS:
            return CFR_PREFIX + target
    sub = re.match(r"^(?:21\s*CFR\s*)?(?:part\s*)?801\s*,?\s*subpart\s*b$", t, re.I)
    if sub:
        return CFR_PREFIX + "801 Subpart B"
    act = re.match(r"^(?:FD&?C ?Act|FDCA) ?(?:section )?(\d+[a-z]?)((?:\([a-z0-9]+\))*)$", t, re.I)
    if act:
        name = f"FD&C Act {act.group(1).upper()}{act.group(2).lower()}"
        if name in OTHER_SOURCES:
            return name
    for name in OTHER_SOURCES:
        if t.casefold() == name.casefold():
            return name
    return None


def check_iso_clause(number: str) -> str | None:
    """Return an error message if ``number`` (optionally with a list item) is not a clause."""
    m = re.match(r"^(\d+(?:\.\d+)*)(?: [a-z]\))?$", number)
    if not m:
        return f'"{number}" is not an ISO 13485:2016 clause number (e.g. "7.3.9" or "4.1.2 b)")'
    if m.group(1) not in ISO_CLAUSES:
        return f'"{number}" is not a clause of ISO 13485:2016'
    return None


def check_hook(hook: str) -> str | None:
    """Return an error message if ``hook`` is not a 21 CFR registry form (without "21 CFR")."""
    if hook.startswith(CFR_PREFIX):
        return f'"{hook}": write QMSR hooks without "21 CFR" (e.g. "{hook[len(CFR_PREFIX) :]}")'
    m = _HOOK_RE.match(hook)
    if not m or m["target"] not in CFR_SECTIONS:
        return f'"{hook}" is not a citable 21 CFR section or paragraph'
    return None


def check_legacy(section: str) -> str | None:
    """Return an error message if ``section`` is not a legacy QSR section (paragraph allowed)."""
    m = _LEGACY_RE.match(section)
    if not m:
        return f'"{section}" is not a legacy QSR section (e.g. "820.198" or "820.198(e)")'
    if m["section"] not in LEGACY_SECTIONS:
        return f'"{section}" is not a section of the legacy QSR'
    return None


def legacy_base(section: str) -> str:
    """The section part of a legacy reference: "820.198(e)" → "820.198"."""
    return section.split("(", 1)[0]


def legacy_title(reference: str) -> str:
    """Title of a legacy QSR reference (``820.198(e)`` → ``Complaint files``); "" if unknown.

    Here rather than in ``crosswalk`` (which re-exports it): the checklist shows these titles,
    and ``crosswalk`` loads the pydantic schema, which showing a title does not need."""
    return LEGACY_SECTIONS.get(legacy_base(reference), "")


def iso_children(number: str) -> list[str]:
    """Direct subclauses of an ISO clause number."""
    depth = number.count(".") + 1
    return [n for n in ISO_CLAUSES if n.startswith(number + ".") and n.count(".") == depth]


def iso_coverage_targets() -> tuple[str, ...]:
    """ISO leaf clauses: subclauses plus headings that have no subclauses (e.g. 5.1, 7.6)."""
    return tuple(n for n in ISO_CLAUSES if "." in n and not iso_children(n))


def coverage_targets() -> tuple[str, ...]:
    """Every registry target the main library must cite at least once (canonical strings)."""
    iso = tuple(ISO_PREFIX + n for n in iso_coverage_targets())
    return iso + tuple(CFR_PREFIX + n for n in CFR_COVERAGE_TARGETS)


def covered_targets(citation: Citation) -> set[str]:
    """The coverage targets one citation counts towards.

    A citation covers a target it names exactly, or one it refines (820.10(b)(3) covers
    820.10(b)), unless the refinement is itself a target (820.45(a) does not cover 820.45).
    """
    targets = set(coverage_targets())
    if citation.target in targets:
        return {citation.target}
    number = citation.number if citation.kind == "cfr" else ""
    while "(" in number:
        number = number[: number.rindex("(")]
        if CFR_PREFIX + number in targets:
            return {CFR_PREFIX + number}
    return set()


def registry() -> list[RegistryEntry]:
    """Every citable entry (ISO then CFR), in order."""
    entries = [
        RegistryEntry(ISO_PREFIX + n, n, t, official=not t.startswith("["))
        for n, t in ISO_CLAUSES.items()
    ]
    entries += [RegistryEntry(CFR_PREFIX + n, n, t, o) for n, (t, o) in CFR_SECTIONS.items()]
    entries += [RegistryEntry(n, n, t, o) for n, (t, o) in OTHER_SOURCES.items()]
    return entries


def title_of(citation: str) -> str | None:
    """Title of a canonical citation string, or None if it is not in the registry."""
    try:
        parsed = parse_citation(citation)
    except CitationError:
        return None
    if parsed.kind == "iso":
        return ISO_CLAUSES[parsed.number]
    if parsed.kind == "other":
        return OTHER_SOURCES[parsed.number][0]
    return CFR_SECTIONS[parsed.number][0]
