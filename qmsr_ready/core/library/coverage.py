"""Citation coverage of a template: what is cited by how many questions, and what is not.

Used by ``templates coverage`` and by the test that keeps the main library honest: every ISO
13485:2016 leaf clause and every operative Part 820 paragraph is cited at least once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qmsr_ready.core.library import citations as reg
from qmsr_ready.core.template_content import typed_content
from qmsr_ready.core.template_model import TypedTemplate


@dataclass(frozen=True)
class Coverage:
    """Per template: citation → number of questions citing it; targets nobody cites."""

    key: str
    version: str
    question_count: int
    cited: dict[str, int]
    targets: dict[str, int]
    uncovered: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``templates coverage --json``."""
        return {
            "key": self.key,
            "version": self.version,
            "questions": self.question_count,
            "cited": self.cited,
            "targets": self.targets,
            "uncovered": list(self.uncovered),
        }


def coverage(content: TypedTemplate | Mapping[str, Any]) -> Coverage:
    """Count, for each registry citation and coverage target, the questions that cite it.

    A question citing the same target twice (``4.1.2`` and ``4.1.2 b)``) counts once.
    """
    cited: Counter[str] = Counter()
    per_target: Counter[str] = Counter()
    tpl = typed_content(content)
    for question in tpl.questions:
        names: set[str] = set()
        hit: set[str] = set()
        for text in question.citations:
            try:
                parsed = reg.parse_citation(text)
            except reg.CitationError:
                continue
            names.add(parsed.target)
            hit |= reg.covered_targets(parsed)
        cited.update(names)
        per_target.update(hit)
    order = {entry.citation: i for i, entry in enumerate(reg.registry())}
    targets = {t: per_target.get(t, 0) for t in reg.coverage_targets()}
    return Coverage(
        key=tpl.key,
        version=tpl.version,
        question_count=len(tpl.questions),
        cited=dict(sorted(cited.items(), key=lambda kv: order.get(kv[0], len(order)))),
        targets=targets,
        uncovered=tuple(t for t, n in targets.items() if n == 0),
    )
