"""What triggered an inspection: a free-text topic and product-risk signals.

CP 7382.850 starts from product risk: a for-cause inspection follows a recall, an MDR trend or
prior observations, and the investigator picks elements where that risk lives (regulatory-facts
§3.3–3.5). The user states the trigger once; the planner reads it and the inspection stores it
(``Inspection.trigger``) so the report can say what the plan was built from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.vocab import RISK_SIGNAL_KEYWORDS, RiskSignal

MAX_TOPIC = 500
_ELEMENT_ID = re.compile(r"\b[A-Z]{2,6}-[0-9]{2,3}\b")


@dataclass(frozen=True)
class Trigger:
    """The user's statement of what triggered the inspection; empty means "none stated"."""

    topic: str = ""
    signals: tuple[RiskSignal, ...] = ()

    def __post_init__(self) -> None:
        topic = " ".join(str(self.topic or "").split())
        if len(topic) > MAX_TOPIC:
            raise InvalidInput(
                f"The trigger topic is {len(topic)} characters; shorten it to {MAX_TOPIC}."
            )
        object.__setattr__(self, "topic", topic)
        object.__setattr__(self, "signals", parse_signals(self.signals))

    @property
    def is_empty(self) -> bool:
        return not self.topic and not self.signals

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for the workspace and the audit trail."""
        return {"topic": self.topic, "signals": [s.value for s in self.signals]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Trigger:
        """Read a stored trigger; ``None`` or ``{}`` is the empty trigger."""
        if not data:
            return cls()
        if not isinstance(data, Mapping):
            raise InvalidInput("A trigger must be a mapping with 'topic' and 'signals'.")
        extra = sorted(set(data) - {"topic", "signals"})
        if extra:
            raise InvalidInput(f"Unknown trigger field {extra[0]!r}; use topic and signals.")
        return cls(str(data.get("topic") or ""), tuple(data.get("signals") or ()))

    def describe(self) -> str:
        """One readable line for the wizard, the PDF and the audit trail."""
        parts = []
        if self.topic:
            parts.append(f"Topic: {self.topic}")
        if self.signals:
            parts.append("signals: " + ", ".join(s.label for s in self.signals))
        return "; ".join(parts) if parts else "No trigger stated."


def parse_signals(values: Iterable[Any]) -> tuple[RiskSignal, ...]:
    """Known signals in vocabulary order, each once; an unknown name is refused."""
    found: set[RiskSignal] = set()
    for value in values:
        try:
            found.add(RiskSignal(str(value)))
        except ValueError:
            known = ", ".join(s.value for s in RiskSignal)
            raise InvalidInput(f"Unknown risk signal {value!r}; use one of {known}.") from None
    return tuple(s for s in RiskSignal if s in found)


_NEGATIONS = frozenset({"no", "not", "non", "without", "never"})
_FILLERS = frozenset({"a", "an", "the", "any"})  # "not a recall" is still negated
_WORD_PREFIX = "(?:mis|re|un)?"  # "mislabeled", "relabelled", "unlabelled" name labeling


def topic_signals(topic: str) -> dict[RiskSignal, str]:
    """Signals the topic's words name, each with the words that named it.

    A keyword matches at the start of a word (after an optional "mis", "re" or "un"), in any
    word form ("label" finds "labeling", "labelled"). A match right after "non-", "not" or
    "no" (articles between allowed) is negated and does not count: "non-sterile catheter" is
    not a sterilization signal, "not a recall" not a recall.
    """
    text = topic.lower()
    out: dict[RiskSignal, str] = {}
    for signal, words in RISK_SIGNAL_KEYWORDS.items():
        for word in words:
            pattern = r"(?<![a-z0-9])" + _WORD_PREFIX + re.escape(word) + r"[a-z]*"
            match = next((m for m in re.finditer(pattern, text)
                          if not _negated(text[:m.start()])), None)
            if match:
                out[signal] = topic[match.start():match.end()]
                break
    return out


def _negated(before: str) -> bool:
    """Whether the words just before a match negate it ("non-", "not a", "no")."""
    words = re.findall(r"[a-z0-9]+", before[-40:])
    while words and words[-1] in _FILLERS:
        words.pop()
    return bool(words) and words[-1] in _NEGATIONS


def _norm(text: str) -> str:
    """Lower case, single spaces, plural 's' dropped: "Internal audits" ~ "internal audit"."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def topic_names_element(topic: str, element_id: str, title: str) -> str:
    """The words of the topic that name this element (its ID, or its whole title of two or more
    words), or "" when it does not. One-word titles ("Validation", "Files") are too generic."""
    if element_id in _ELEMENT_ID.findall(topic.upper()):
        return element_id
    norm_title = _norm(title)
    if len(norm_title.split()) < 2:
        return ""
    if f" {norm_title} " in f" {_norm(topic)} ":
        return title.lower()
    return ""
