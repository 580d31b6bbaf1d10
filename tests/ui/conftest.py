"""Fixtures for GUI tests: isolated settings, a context on a temp workspace, the main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.library import Catalogue, plan, to_element_choices
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services.inspections import start_inspection
from qmsr_ready.core.services.queries import list_sites
from qmsr_ready.core.services.sites import create_site
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.workers import WorkerRunner


@pytest.fixture
def app_settings(qapp, tmp_path: Path) -> AppSettings:  # type: ignore[no-untyped-def]
    """Settings in an INI file under tmp_path, with a display name already chosen."""
    settings = AppSettings(tmp_path / "settings.ini")
    settings.set_display_name("Test Lead")
    return settings


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "ws.qmsr"


@pytest.fixture
def ctx(qapp, app_settings: AppSettings, workspace_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """An AppContext with a freshly created workspace open for writing."""
    workers = WorkerRunner()
    context = AppContext(app_settings, workers)
    context.set_workspace(open_workspace(workspace_path, create=True))
    yield context
    workers.cancel_all()
    workers.wait()
    qapp.processEvents()  # deliver queued job results before the objects go
    if context.workspace is not None:
        context.workspace.close()
        context.workspace = None


def _add_inspection(ctx: AppContext) -> str:
    """Create a site and an inspection through the services (not the UI); returns its code."""
    template = Catalogue().latest()[0]
    profile = SiteProfile(device_classes=("II",), sterile_products=True)
    with ctx.write("inspection") as s:
        sites = {site.name: site.code for site in list_sites(s)}
        site_code = sites.get("Springfield Plant") or create_site(
            s, ctx.actor, name="Springfield Plant", profile=profile
        ).code
        insp = start_inspection(
            s, ctx.actor, site_code=site_code, template=template.snapshot(),
            inspection_type="baseline_surveillance",
            elements=to_element_choices(plan(template.content, profile, "baseline_surveillance")),
            title="Baseline mock",
        )
        return insp.code


@pytest.fixture
def add_inspection():  # type: ignore[no-untyped-def]
    """``add_inspection(ctx) -> code``: a planned inspection made through the services."""
    return _add_inspection


@pytest.fixture
def main_window(qtbot, ctx: AppContext):  # type: ignore[no-untyped-def]
    from qmsr_ready.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    yield window
    ctx.workers.wait()
