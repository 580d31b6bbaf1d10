"""Working notes for demo questions that have no hand-written answer.

Built from the question's own ``records_to_sample`` so each note names what was pulled, with
plausible, non-repeating record numbers drawn from a seeded generator.
"""

from __future__ import annotations

import datetime as dt
import random

from qmsr_ready.core.demo_content import AK, EM, GF, MN, ND, RI, ZL, Answer
from qmsr_ready.core.template_model import TemplateQuestion

COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "twenty": 20}
AREA_PEOPLE = {
    "MO": ZL, "DD": RI, "PS": MN, "CC": ND, "MA": AK, "OP": GF, "OA": EM,
    "GI": "Priya Raman, Regulatory Affairs",
}
RECORD_PATTERNS = (
    ("procedure", "SOP-QA-0{n2} rev {n1}"), ("sop", "SOP-QA-0{n2} rev {n1}"),
    ("complaint", "CMP-{y}-0{n3}"), ("service", "SR-{y}-0{n3}"), ("capa", "CAPA-0{n3}"),
    ("corrective", "CAPA-0{n3}"), ("preventive", "PA-{y}-0{n1}"),
    ("nonconform", "NCR-{y}-0{n3}"), ("change", "CR-{y}-0{n3}"), ("audit", "IA-{y}-0{n1}"),
    ("software", "CSV-{n3}"), ("valid", "VAL-{n3}"), ("label", "LR-2{n3}"),
    ("batch", "VL-{y}-1{n3}"), ("lot", "VL-{y}-1{n3}"), ("rework", "RW-{y}-0{n2}"),
    ("training", "TR-{y}-0{n3}"), ("mdr", "MW-{y}-00{n1}"), ("supplier", "SA-{y}-0{n1}"),
    ("risk", "RMF-VL100 rev 12"), ("management review", "MR-{y}-01"),
    ("design review", "DR-TX200-0{n1}"), ("feedback", "PMR-{y}-Q{q}"),
    ("listing", "FURLS listing export {d3}"), ("shipping", "SHP-{y}-0{n3}"),
    ("distribution", "SHP-{y}-0{n3}"), ("plan", "PLN-{n3}"), ("walk", "Floor walk {d3}"),
    ("order", "SO-{y}-{n3}"), ("recall", "MR-DRILL-{py}"), ("specification", "SPEC-{n3}"),
    ("instruction", "WI-{n3}"), ("record", "REC-{n3}"),
)
CONFORM_PHRASES = (
    "Consistent with the procedure; no gaps noted.",
    "Records complete, approved and retrieved within minutes.",
    "No discrepancies between the records and the procedure.",
    "Conforms; nothing to follow up.",
    "Host produced the records promptly and explained them clearly; conforms.",
)




GAP_PHRASES = (
    "Procedure already revised for the QMSR; no gap.",
    "Revised at the last document review; matches the amended Part 820.",
    "No gap: the ISO 13485 clause and the FDA addition are both covered.",
)


def count_of(description: str) -> int:
    """How many records a ``records_to_sample`` line asks for ("Three batch records" → 3)."""
    for word in description.lower().replace("/", " ").split():
        if word in COUNT_WORDS:
            return COUNT_WORDS[word]
        if word.isdigit():
            return int(word)
    return 1


class NoteWriter:
    """Writes conforming answers and record numbers, deterministically for one seed."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.used_ids: set[str] = set()

    def answer(self, ref: TemplateQuestion) -> Answer:
        """A conforming answer built from the records the question asks to sample."""
        records = list(ref.records_to_sample)[:2]
        ids = [[self.record_id(r) for _ in range(min(count_of(r), 4))] for r in records]
        counted = [count_of(r) for r in records if count_of(r) > 1]
        size = counted[0] if counted else None
        population = size * self.rng.randint(4, 15) if size else None
        flat = tuple(dict.fromkeys(i for group in ids for i in group))
        who = AREA_PEOPLE.get(ref.area_id, ZL)
        note = self.conform_note(records, tuple(", ".join(g) for g in ids))
        return Answer("conforms", note, population, size, flat, (who,))

    def record_id(self, description: str) -> str:
        """A plausible, not previously used record number for a ``records_to_sample`` line."""
        low = description.lower()
        pattern = next((p for key, p in RECORD_PATTERNS if key in low), "DOC-{n3}")
        year = self.today.year
        for _ in range(50):
            rid = pattern.format(
                y=year, py=year - 1, n1=self.rng.randint(1, 9), n2=self.rng.randint(10, 89),
                n3=self.rng.randint(100, 499), q=(self.today.month - 1) // 3 or 1,
                d3=(self.today - dt.timedelta(days=3)).isoformat(),
            )
            if rid not in self.used_ids or "{n" not in pattern:
                break
        self.used_ids.add(rid)
        return rid

    def conform_note(
        self, records: list[str], ids: tuple[str, ...] = (), verdicts: tuple[str, ...] = ()
    ) -> str:
        """"Reviewed: <record> (<ids>); ... <verdict>"."""
        padded = [*ids, *[""] * len(records)]
        parts = [f"{r} ({i})" if i else r for r, i in zip(records, padded, strict=False)]
        seen = f"Reviewed: {'; '.join(parts)}. " if parts else ""
        return seen + self.rng.choice(verdicts or CONFORM_PHRASES)
