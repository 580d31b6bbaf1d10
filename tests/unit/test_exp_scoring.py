"""The readiness formula (docs/report-formula.md) on hand-computed cases."""

from __future__ import annotations

import pytest

from qmsr_ready.core.report.scoring import Tally, format_percent, score


def test_weighted_credit_over_assessed_weights() -> None:
    t = score([(3, "conforms"), (1, "minor_gap"), (2, "major_gap")])
    assert t.weight_assessed == 6
    assert t.score == pytest.approx(100 * 3.5 / 6)
    assert t.coverage == 100.0


def test_not_applicable_is_excluded_entirely() -> None:
    with_na = score([(3, "conforms"), (1, "major_gap"), (3, "not_applicable")])
    without = score([(3, "conforms"), (1, "major_gap")])
    assert with_na.score == without.score == pytest.approx(75.0)
    assert with_na.coverage == without.coverage == 100.0
    assert with_na.applicable == 2
    assert with_na.not_applicable == 1


def test_not_assessed_lowers_coverage_not_score() -> None:
    t = score([(2, "conforms"), (2, "not_assessed"), (1, "not_assessed")])
    assert t.score == 100.0
    assert t.coverage == pytest.approx(100 / 3)
    assert t.not_assessed == 2


def test_nothing_assessed_or_applicable_gives_none() -> None:
    assert score([(1, "not_assessed")]).score is None
    assert score([(1, "not_assessed")]).coverage == 0.0
    assert score([(1, "not_applicable")]).coverage is None
    assert format_percent(None) == "—"
    assert format_percent(58.333) == "58%"


def test_overall_is_a_weight_sum_not_a_mean_of_areas() -> None:
    a = score([(3, "conforms")] * 3)  # 100 % on weight 9
    b = score([(1, "major_gap")])  # 0 % on weight 1
    total = Tally()
    total.merge(a)
    total.merge(b)
    assert total.score == pytest.approx(90.0)  # a mean of areas would give 50


def test_percent_rounds_half_up_like_a_spreadsheet() -> None:
    assert format_percent(62.5) == "63%"  # Python's round() would give 62; Excel shows 63
    assert format_percent(100 * 5 / 8) == "63%"
    assert format_percent(62.49) == "62%"
    assert format_percent(0.5) == "1%"
    assert format_percent(100.0) == "100%"


def test_credit_is_given_for_exactly_the_assessed_results() -> None:
    from qmsr_ready.core.report.scoring import CREDIT
    from qmsr_ready.core.vocab import ASSESSED_RESULTS, Result

    assert set(CREDIT) == {r.value for r in ASSESSED_RESULTS}
    assert [r for r in Result if r.is_answered] == [r for r in Result
                                                    if r is not Result.NOT_ASSESSED]
    assert not Result.NOT_APPLICABLE.is_assessed


@pytest.mark.parametrize(("value", "band"), [
    (None, "no_data"), (0.0, "off_target"), (69.49, "off_target"), (69.5, "needs_work"),
    (70.0, "needs_work"), (84.49, "needs_work"), (84.5, "on_target"), (85.0, "on_target"),
    (100.0, "on_target"),
])
def test_band_follows_the_printed_whole_percent(value: float | None, band: str) -> None:
    from qmsr_ready.core.report.bands import band_of

    assert band_of(value).value == band
