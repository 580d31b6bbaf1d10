"""The start-up freeze keeps start-up's objects out of full collections, not the workspace: one
opened later replaces it and the first is freed (QA 3 item 3)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from qmsr_ready import app as app_module


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    """The test's heap is frozen as the app's is; thawed and the thresholds restored after."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("frozen_heap")
def test_workspace_opened_at_start_up_is_freed_when_another_opens(
    qtbot, main_window, ctx, tmp_path: Path
) -> None:
    main_window.finish_startup()
    first = weakref.ref(ctx.workspace)
    first_engine = weakref.ref(ctx.workspace.engine)
    app_module.freeze_start_up_heap(ctx)
    assert gc.get_freeze_count() > 0

    assert main_window.open_workspace_path(tmp_path / "b.qmsr", create=True)
    second = weakref.ref(ctx.workspace)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)  # frozen again once the swap is over
    gc.collect()
    assert first() is None
    assert first_engine() is None

    # The new workspace is frozen with the rest; closing it lets it go in the same way.
    main_window.close_workspace()
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0)
    gc.collect()
    assert second() is None
