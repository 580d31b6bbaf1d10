"""A reason is visible text, and an N/A answer keeps its reason on the notes' first line."""

from __future__ import annotations

import pytest

from qmsr_ready.core.reasons import has_visible_text, na_reason, visible, with_na_reason


@pytest.mark.parametrize("text", ["", " ", "\t\n", "\u200b", "\u00a0\u2060\ufeff\u200d", None])
def test_blank_and_zero_width_text_is_no_reason(text: str | None) -> None:
    assert not has_visible_text(text)
    assert visible(text) == ""
    assert na_reason(text) == ""


def test_visible_keeps_inner_characters() -> None:
    assert visible("\u200b  No sterile product \u200b") == "No sterile product"
    assert has_visible_text("\u200bx")


def test_na_reason_reads_the_prefixed_first_line_not_an_old_note() -> None:
    notes = "Not applicable: Distributor installs.\nChecked the service log: no installs."
    assert na_reason(notes) == "Distributor installs."
    assert na_reason("not applicable:   \u200b\nold note") == ""  # a prefix with nothing after
    assert na_reason("No sterile product made here.") == "No sterile product made here."


def test_with_na_reason_puts_the_reason_on_top_once() -> None:
    assert with_na_reason("", "No installs") == "Not applicable: No installs"
    assert with_na_reason("Old assessment", " No installs ") == (
        "Not applicable: No installs\nOld assessment")
    again = with_na_reason("Not applicable: first\nOld assessment", "Not applicable: second")
    assert again == "Not applicable: second\nOld assessment"
