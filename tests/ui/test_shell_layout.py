"""Every view is usable on a 1366x768 laptop: no cut button labels, no window forced larger.

The issue this guards: at 1366x768 the answer buttons read "onforms", "inor gap", and the
window's minimum size was wider than the screen. Each view of the demonstration workspace is
shown at 1366x768 and every visible button must be at least as wide as its size hint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
)

from qmsr_ready.core.db import WORKSPACE_SUFFIX, open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.ui import main_window as main_window_module
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.main_window import VIEW_REGISTRY, MainWindow, initial_geometry
from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.workers import WorkerRunner

# Logical sizes: a 1366x768 and a 1280x720 screen at 100 %, and the same screens at 125 %
# scaling (Qt lays out in logical pixels, so 1280x720 at 125 % leaves 1024x576 for the window;
# a subprocess below checks the real QT_SCALE_FACTOR=1.25 too).
SIZES = {
    "1366x768": QSize(1366, 768),
    "1280x720": QSize(1280, 720),
    "1366x768@125": QSize(1093, 614),
    "1280x720@125": QSize(1024, 576),
}
MIN_LINE_EDIT = 80


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "demo.qmsr"
    build_demo(path, today=dt.date(2026, 11, 25))
    return path


@pytest.fixture
def demo_window(qtbot, qapp, demo_file: Path, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    settings = AppSettings(tmp_path / "settings.ini")
    settings.set_display_name("Layout Test")
    workers = WorkerRunner()
    ctx = AppContext(settings, workers)
    ctx.set_workspace(open_workspace(demo_file, read_only=True))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    yield window
    workers.cancel_all()
    workers.wait()
    qapp.processEvents()
    if ctx.workspace is not None:  # closing the window closes it too
        ctx.workspace.close()


def _settle(window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
        window.ctx.workers.wait()
        QApplication.processEvents()


def _cut_buttons(window: MainWindow) -> list[str]:
    cut = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        if button.width() < button.sizeHint().width():
            cut.append(f"{button.text()!r} {button.width()} < {button.sizeHint().width()}")
    return cut


def _narrow_line_edits(window: MainWindow) -> list[str]:
    """Visible line edits squeezed below a usable width (the 28 px search box)."""
    return [
        f"{edit.accessibleName() or edit.objectName()} {edit.width()} px"
        for edit in window.findChildren(QLineEdit)
        if edit.isVisibleTo(window) and not _inside_a_spin_box(edit)
        and edit.width() < MIN_LINE_EDIT
    ]


def _inside_a_spin_box(edit: QLineEdit) -> bool:
    return isinstance(edit.parentWidget(), (QAbstractSpinBox, QComboBox))


def _short_text_fields(window: MainWindow) -> list[str]:
    """Editable text fields under three lines that are not inside a scroll area."""
    short = []
    for box in [*window.findChildren(QPlainTextEdit), *window.findChildren(QTextEdit)]:
        if not box.isVisibleTo(window) or box.isReadOnly():
            continue
        three_lines = box.fontMetrics().lineSpacing() * 3
        inside_scroll = any(isinstance(p, QScrollArea) for p in _parents(box))
        if box.viewport().height() < three_lines and not inside_scroll:
            short.append(box.accessibleName() or box.objectName())
    return short


def _parents(widget):  # type: ignore[no-untyped-def]
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


@pytest.mark.parametrize("screen", list(SIZES))
@pytest.mark.parametrize("view", [entry.key for entry in VIEW_REGISTRY])
def test_view_fits_a_laptop_screen_without_cut_labels(
    demo_window: MainWindow, view: str, screen: str
) -> None:
    window = demo_window
    size = SIZES[screen]
    window.resize(size)
    window.show()
    window.ctx.set_current_inspection("MI-2026-002")
    window.show_view(view)
    _settle(window)
    assert window.size() == size, "the window's minimum size is larger than the screen"
    least = window.minimumSizeHint()
    assert least.width() <= size.width(), least
    assert least.height() <= size.height(), least
    assert _cut_buttons(window) == []
    assert _short_text_fields(window) == []
    assert _narrow_line_edits(window) == []


@pytest.mark.parametrize(("view", "table", "columns"), [
    ("home", "table", ("Title", "Site")),
    ("findings", "table", ("Title",)),
    ("audit", "table", ("Changes",)),
])
def test_text_columns_keep_a_readable_width_at_125_percent(
    demo_window: MainWindow, view: str, table: str, columns: tuple[str, ...]
) -> None:
    """At 1280x720 and 125 % the Title/Site columns were "…" while Type and Dates got full width."""
    window = demo_window
    window.resize(SIZES["1280x720@125"])
    window.show()
    window.ctx.set_current_inspection("MI-2026-002")
    window.show_view(view)
    _settle(window)
    grid = getattr(window.views[view], table)
    model = grid.model()
    names = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    floor = grid.fontMetrics().averageCharWidth() * 15
    for name in columns:
        assert grid.columnWidth(names.index(name)) >= floor, name


def test_first_size_comes_from_the_available_screen() -> None:
    small = initial_geometry(QRect(0, 0, 1366, 728))
    assert small.width() <= 1366
    assert small.height() <= 728
    assert small.width() >= 1200  # uses the screen, not a fixed 910x600
    tiny = initial_geometry(QRect(0, 0, 1024, 540))  # 1280x720 at 125 %
    assert (tiny.width(), tiny.height()) <= (1024, 540)
    big = initial_geometry(QRect(0, 0, 3840, 2100))
    assert big.size() == main_window_module.DEFAULT_SIZE
    assert big.center() == QRect(0, 0, 3840, 2100).center()


def test_saved_geometry_wins_over_the_screen_default(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    # (the offscreen test screen is 800x600: a size that fits it, unlike the default)
    first.setGeometry(QRect(0, 0, 800, 580))
    ctx.settings.set_geometry(first.saveGeometry())
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.size() == QSize(800, 580)
    assert initial_geometry(QRect(0, 0, 800, 600)).size() != QSize(800, 580)


def test_suffix_constant_matches_core() -> None:
    assert main_window_module.WORKSPACE_SUFFIX == WORKSPACE_SUFFIX


def test_a_new_inspection_opens_its_checklist_on_the_first_question(  # type: ignore[no-untyped-def]
    qtbot, main_window: MainWindow, ctx: AppContext, add_inspection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_window.ops, "new_inspection",
                        lambda: ctx.set_current_inspection(add_inspection(ctx)))
    main_window.show_view("home")
    main_window.new_inspection()
    assert main_window.current_view_key() == "checklist"
    runner = main_window.views["checklist"]
    assert runner.current_question_id() == runner.model.question_ids()[0]


def test_every_wizard_page_has_a_title_and_subtitle(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard

    wizard = NewInspectionWizard(ctx)
    qtbot.addWidget(wizard)
    pages = [wizard.page(i) for i in wizard.pageIds()]
    assert all(p.title() and p.subTitle() for p in pages)


def test_every_view_fits_at_a_real_125_percent_scale() -> None:
    """QT_SCALE_FACTOR=1.25 in a subprocess (read once at start-up): 1280x720 and 1366x768 screens
    leave 1024x576 and 1093x614 logical pixels; no view may ask for more, squeeze a search box
    below 80 px or cut a button's label."""
    import json
    import os
    import subprocess
    import sys

    probe = Path(__file__).with_name("scaled_layout_probe.py")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.25"}
    done = subprocess.run([sys.executable, str(probe)], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report.pop("scale") == ["1.25"]
    assert len(report) == 2 * len(VIEW_REGISTRY)
    assert {view: problems for view, problems in report.items() if problems} == {}


def test_checklist_ids_stay_whole_at_125_percent(demo_window: MainWindow) -> None:
    """Question IDs three levels deep read in full; only the text after them is elided."""
    from qmsr_ready.ui.widgets.key_elide import elide_after_key

    window = demo_window
    window.resize(SIZES["1280x720@125"])
    window.show()
    window.ctx.set_current_inspection("MI-2026-002")
    window.show_view("checklist")
    _settle(window)
    tree = window.views["checklist"].tree
    metrics = tree.fontMetrics()
    icon = tree.style().pixelMetric(tree.style().PixelMetric.PM_SmallIconSize)
    room = tree.columnWidth(0) - 3 * tree.indentation() - icon - 12
    text = "PS-03-Q02  Is the process validated"
    shown = elide_after_key(
        text, room, metrics.horizontalAdvance,
        lambda s, w: metrics.elidedText(s, Qt.TextElideMode.ElideRight, w),
    )
    assert shown.startswith("PS-03-Q02"), shown


def test_elide_after_key_cuts_the_text_before_the_id() -> None:
    from qmsr_ready.ui.widgets.key_elide import elide_after_key

    def cut(s: str, w: int) -> str:
        return s if len(s) <= w else s[: max(0, w - 1)] + "…"

    assert elide_after_key("PS-03-Q02  Long question", 99, len, cut) == "PS-03-Q02  Long question"
    assert elide_after_key("PS-03-Q02  Long question", 16, len, cut) == "PS-03-Q02  Long…"
    assert elide_after_key("PS-03-Q02  Long question", 12, len, cut) == "PS-03-Q02"
    assert elide_after_key("PS-03-Q02  Long question", 5, len, cut) == "PS-0…"


def test_the_wizard_fits_a_1366x768_screen_at_125_percent(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """It had a fixed 900x640: Next/Finish fell below a screen with ~574 logical px free."""
    from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard, wizard_geometry

    available = QRect(0, 0, 1093, 574)  # 1366x768 at 125 % less a panel
    rect = wizard_geometry(available)
    assert available.contains(rect)
    assert wizard_geometry(QRect(0, 0, 1920, 1040)).size() == QSize(900, 640)
    wizard = NewInspectionWizard(ctx)
    qtbot.addWidget(wizard)
    for page_id in wizard.pageIds():
        least = wizard.page(page_id).minimumSizeHint()
        assert least.height() <= rect.height() - 120, (page_id, least)  # title + button row
    wizard.setGeometry(rect)
    wizard.show()
    assert wizard.height() <= available.height()
    for which in (wizard.WizardButton.NextButton, wizard.WizardButton.CancelButton):
        button = wizard.button(which)
        bottom = button.mapTo(wizard, button.rect().bottomLeft()).y()
        assert bottom <= wizard.height()
