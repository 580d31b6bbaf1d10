"""A count of 0 is a real answer in the runner: shown, typed and saved as 0, apart from blank."""

from __future__ import annotations

from qmsr_ready.ui.widgets.answer_inputs import BLANK_COUNT, SpinOrBlank


def test_zero_is_a_count_and_blank_is_not_recorded(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = SpinOrBlank("sample_size")
    qtbot.addWidget(box)
    box.set_value_silently(0)
    assert (box.value_or_none(), box.text()) == (0, "0")
    box.set_value_silently(None)
    assert (box.value_or_none(), box.text()) == (None, BLANK_COUNT)
    box.set_value_silently(25)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "0")
    box.interpretText()
    assert box.value_or_none() == 0
    assert box.typed
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), "\b")  # emptying the box clears the count
    box.interpretText()
    assert box.value_or_none() is None

