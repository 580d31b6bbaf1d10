"""The New inspection wizard's date pickers offer the app's one date range, no wider."""

from __future__ import annotations

from qmsr_ready.core.fields.spec import DATE_MAX, DATE_MIN


def test_the_wizard_date_pickers_take_the_same_range(ctx) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.ui.dialogs.new_inspection import DetailsPage

    page = DetailsPage(ctx)
    for edit in (page.start_edit, page.end_edit):
        assert edit.minimumDate().toPython() == DATE_MIN
        assert edit.maximumDate().toPython() == DATE_MAX
