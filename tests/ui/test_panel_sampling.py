"""Sample numbers in the question panel: never clamped, never re-saved unless the user typed them.

Regression tests for issue 9 QA: the boxes clamped 5,000,000 to 1,000,000 and saved it on F8, and
showing a stored answer (undo, redo, another view's write) re-saved the old box values over it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.fields import RESPONSE
from qmsr_ready.ui.views.checklist_runner import ChecklistRunnerView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

QID = "MO-05-Q01"


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _runner(qtbot, env: ViewsEnv) -> ChecklistRunnerView:
    view = ChecklistRunnerView(env.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    view.set_inspection(env.code)
    view.select_question(QID)
    assert view.current_question_id() == QID
    return view


def _stored(env: ViewsEnv) -> tuple[int | None, int | None]:
    with env.ctx.read() as s:
        r = services.list_responses(s, env.code)[QID]
    return r.sample_population, r.sample_size


def _type(spin, value: int) -> None:
    spin.setValue(value)
    spin.editingFinished.emit()


def test_the_boxes_take_the_field_specs_range(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    for spin, field in ((view.panel.population, "sample_population"),
                        (view.panel.sample_size, "sample_size")):
        low, high = RESPONSE.field(field).int_limits
        assert (spin.minimum() + 1, spin.maximum()) == (low, high)  # the minimum is the blank


def test_large_stored_numbers_are_shown_whole_and_not_rewritten(qtbot, views_env) -> None:
    with views_env.ctx.workspace.begin() as s:
        services.record_response(
            s, "Importer", inspection_code=views_env.code, question_id=QID, result="conforms",
            sample_population=5_000_000, sample_size=1_500_000,
        )
    view = _runner(qtbot, views_env)
    assert view.panel.population.value() == 5_000_000
    assert view.panel.sample_size.value() == 1_500_000
    view.panel.notes.setPlainText("Reviewed the lot records")
    view.go_unanswered(True)  # F8 flushes the panel
    assert _stored(views_env) == (5_000_000, 1_500_000)


def test_a_number_the_box_cannot_show_is_not_saved(qtbot, views_env) -> None:
    """Even a value beyond the box's range (written by an older version) is never clamped in."""
    view = _runner(qtbot, views_env)
    view.panel.choose_result("conforms")
    view.panel.population.setMaximum(100)  # as if the box were narrower than the data
    with views_env.ctx.write("response", views_env.code, QID) as s:
        services.record_response(s, "Other", inspection_code=views_env.code, question_id=QID,
                                 sample_population=5_000)
    assert view.panel.population.value() == 100  # clamped on screen...
    view.panel.flush()
    assert _stored(views_env) == (5_000, None)  # ...but not saved


def test_undo_and_redo_of_sample_numbers_on_the_shown_question(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    stack = views_env.ctx.undo_stack
    view.panel.choose_result("conforms")
    _type(view.panel.population, 40)
    _type(view.panel.sample_size, 10)
    assert _stored(views_env) == (40, 10)
    stack.undo()
    assert _stored(views_env) == (40, None)
    assert view.panel.sample_size.value_or_none() is None
    stack.undo()
    assert _stored(views_env) == (None, None)
    assert view.panel.population.value_or_none() is None
    assert (stack.index(), stack.count()) == (1, 3)  # nothing was re-saved on top
    stack.redo()
    assert _stored(views_env) == (40, None)
    stack.redo()
    assert _stored(views_env) == (40, 10)
    assert view.message.text() == ""  # no false "changed elsewhere"
    assert (view.panel.population.value(), view.panel.sample_size.value()) == (40, 10)


def test_an_outside_write_to_the_shown_question_is_kept(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    view.panel.choose_result("conforms")
    _type(view.panel.population, 40)
    with views_env.ctx.write("response", views_env.code, QID) as s:
        services.record_response(s, "Other", inspection_code=views_env.code, question_id=QID,
                                 sample_population=500, sample_size=50)
    assert _stored(views_env) == (500, 50)
    assert (view.panel.population.value(), view.panel.sample_size.value()) == (500, 50)
    view.panel.flush()
    assert _stored(views_env) == (500, 50)


def test_a_number_typed_but_not_finished_survives_an_outside_write(qtbot, views_env) -> None:
    view = _runner(qtbot, views_env)
    view.panel.choose_result("conforms")
    view.panel.sample_size.setValue(12)  # typed, no editingFinished yet
    with views_env.ctx.write("response", views_env.code, QID) as s:
        services.record_response(s, "Other", inspection_code=views_env.code, question_id=QID,
                                 sample_population=500)
    assert _stored(views_env) == (500, 12)
    assert (view.panel.population.value(), view.panel.sample_size.value()) == (500, 12)


def test_a_stored_zero_shows_and_saves_as_zero_in_the_runner(qtbot, views_env) -> None:  # type: ignore[no-untyped-def]
    with views_env.ctx.workspace.begin() as s:
        services.record_response(s, "Importer", inspection_code=views_env.code, question_id=QID,
                                 result="conforms", sample_population=0, sample_size=0)
    view = _runner(qtbot, views_env)
    assert (view.panel.population.text(), view.panel.sample_size.text()) == ("0", "0")
    _type(view.panel.population, 30)
    _type(view.panel.sample_size, 0)
    assert _stored(views_env) == (30, 0)
