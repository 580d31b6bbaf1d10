"""Checklist text whose save was refused, kept until it is saved or the user lets it go.

Why: a box autosaves on a pause, on focus-out and when the user moves on; when that save is
refused (another program holds the file, a full disk), the text used to count as saved and was
gone at the next question. Here it waits, keyed by inspection, question and field: the
question panel shows it again (unsaved) when its question is shown, the next save of that
field takes it, and leaving the workspace asks first (``ui.unsaved.confirm_leave``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TEXT_FIELDS", "UnsavedText", "UnsavedTexts"]

# the response fields typed in autosaving boxes (their refused saves are kept)
TEXT_FIELDS = ("notes", "records_reviewed", "interviewees")
_LABELS = {"notes": "notes", "records_reviewed": "records reviewed",
           "interviewees": "interviewees"}


@dataclass(frozen=True)
class UnsavedText:
    """What the user typed, what the file held when it was refused, and why it was."""

    text: str
    base: str
    reason: str


Key = tuple[str, str, str]  # inspection code, question ID, field


class UnsavedTexts:
    """The refused texts of the open workspace."""

    def __init__(self) -> None:
        self._texts: dict[Key, UnsavedText] = {}

    def keep(self, code: str, question_id: str, field: str, text: str, *, base: str,
             reason: str) -> None:
        previous = self._texts.get((code, question_id, field))
        # the base stays what the file held before the first refused save: a retry is checked
        # against that, not against a text that never landed
        self._texts[(code, question_id, field)] = UnsavedText(
            text, previous.base if previous is not None else base, reason)

    def drop(self, code: str, question_id: str, field: str) -> None:
        self._texts.pop((code, question_id, field), None)

    def get(self, code: str, question_id: str, field: str) -> UnsavedText | None:
        return self._texts.get((code, question_id, field))

    def text(self, code: str, question_id: str, field: str) -> str | None:
        kept = self._texts.get((code, question_id, field))
        return kept.text if kept is not None else None

    def of_inspection(self, code: str) -> list[str]:
        """``describe`` for one inspection's kept texts (a sign-off waits for them)."""
        return [line for (c, _q, _f), line in zip(self._texts, self.describe(), strict=True)
                if c == code]

    def items(self) -> list[tuple[Key, UnsavedText]]:
        return list(self._texts.items())

    def describe(self) -> list[str]:
        """One line per kept text, for the question asked before leaving."""
        return [f"the {_LABELS.get(field, field)} of {question_id} in {code}"
                for code, question_id, field in self._texts]

    def base_for(self, code: str, question_id: str, changes: Mapping[str, Any],
                 base: dict[str, Any] | None) -> dict[str, Any] | None:
        """``base`` (what the editor showed) with each kept field's base instead: a kept text is
        checked against what the file held when it was refused, so a change made since by
        someone else is asked about, not overwritten."""
        for field in TEXT_FIELDS:
            kept = self._texts.get((code, question_id, field))
            if field in changes and kept is not None:
                base = {**(base or {}), field: kept.base}
        return base

    def settle(self, code: str, question_id: str, changes: Mapping[str, Any],
               base: Mapping[str, Any] | None, refusal: str | None) -> list[str]:
        """After a save of ``changes``: text it refused (``refusal``, its one line) is kept,
        text it saved (or the user let go for theirs) is dropped. The fields kept.

        A refused result keeps nothing: the refusal is the news, its notes (an N/A reason
        the panel writes in) were never on screen, and what was typed was kept by the flush
        before it."""
        fields = [field for field in TEXT_FIELDS if field in changes]
        if not fields or "result" in changes:
            return []
        for field in fields:
            if refusal is None:
                self.drop(code, question_id, field)
            else:
                self.keep(code, question_id, field, str(changes[field]),
                          base=str((base or {}).get(field, "")), reason=refusal)
        return fields if refusal is not None else []

    def clear(self) -> None:
        self._texts.clear()

    def __bool__(self) -> bool:
        return bool(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
