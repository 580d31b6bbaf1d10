"""An inspection's planned dates keep to the app's one date range (the wizard: tests/ui)."""

from __future__ import annotations

import datetime as dt

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields.spec import DATE_MAX, DATE_MIN


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1989, 12, 31), dt.date(2206, 5, 31)])
def test_editing_a_planned_date_outside_the_range_is_refused(fnd_inspection, day: dt.date) -> None:
    ws, code = fnd_inspection
    with pytest.raises(InvalidInput, match=r"Planned start .* is out of range"), ws.begin() as s:
        services.update_inspection(s, "W", code, planned_start=day)


def test_planned_dates_at_the_limits_are_kept(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.update_inspection(s, "W", code, planned_start=DATE_MIN, planned_end=DATE_MAX)
    with ws.session() as s:
        insp = services.get_inspection(s, code)
        assert (insp.planned_start, insp.planned_end) == (DATE_MIN, DATE_MAX)

