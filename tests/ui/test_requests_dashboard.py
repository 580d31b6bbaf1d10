"""The dashboard shows inspection-day preparation gaps beside the verdict, never inside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core.services import day_notes
from qmsr_ready.core.services import requests as request_service
from qmsr_ready.ui.views.dashboard import DashboardView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _dashboard(qtbot, env: ViewsEnv) -> DashboardView:
    view = DashboardView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    with qtbot.waitSignal(view.report_loaded, timeout=30_000):
        view.set_inspection(env.code)
    return view


def test_roster_gaps_and_request_headline_beside_the_verdict(qtbot, views_env) -> None:
    with views_env.ctx.write("roster", views_env.code) as s:
        day_notes.set_roster_entry(s, ACTOR, views_env.code, "MO", presenter="Dana",
                                   backup="Eli", storyboard="SB-MO", prepared=True)
        request_service.add_request(s, ACTOR, inspection_code=views_env.code, text="CAPA log")
    view = _dashboard(qtbot, views_env)
    text = view.day_prep.text()
    assert "MA Measurement, Analysis and Improvement: no SME assigned" in text
    assert "MO Management Oversight" not in text  # fully prepared
    assert "Requests: 1 request" in text
    verdict_before = view.verdict_reasons.text()
    assert "SME" not in verdict_before  # beside the verdict, not folded into it

    with (
        qtbot.waitSignal(view.report_loaded, timeout=30_000),
        views_env.ctx.write("roster", views_env.code) as s,
    ):
        day_notes.set_roster_entry(s, ACTOR, views_env.code, "MA", presenter="Ann",
                                   backup="Bo", storyboard="SB-MA", prepared=True)
    assert view.day_prep.text().startswith("✓ Every area in scope")
    assert view.verdict_reasons.text() == verdict_before
