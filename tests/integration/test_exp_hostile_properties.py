"""A site name or template title with control characters still gives a workbook that opens.

A vertical tab (what a Shift+Enter paste brings) reached the document properties uncleaned:
export reported success and wrote a workbook no reader could open (issue 13).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import exp_data
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.export import export_xlsx
from qmsr_ready.core.report import ReadinessReport, build_report

NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    path = exp_data.build_target(tmp_path_factory.mktemp("x") / "w.qmsr")
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return build_report(s, exp_data.INSPECTION, today=exp_data.TODAY)


def _renamed(report: ReadinessReport, site: str, title: str) -> ReadinessReport:
    return dataclasses.replace(
        report,
        site=dataclasses.replace(report.site, name=site),
        template=dataclasses.replace(report.template, title=title),
    )


def test_vertical_tab_in_site_name_and_title_gives_a_workbook_that_opens(
    report: ReadinessReport, tmp_path: Path
) -> None:
    renamed = _renamed(report, "Plant\x0bNorth", "Site\x0bchecklist")
    target = export_xlsx(renamed, tmp_path / "p.xlsx")
    props = load_workbook(target).properties
    assert props.title == f"Readiness pack {exp_data.INSPECTION} — Plant North"
    assert props.subject == "Mock inspection readiness (Site checklist)"


@settings(
    max_examples=12, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    site=st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
    title=st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
)
def test_any_text_in_names_gives_a_workbook_that_opens(
    report: ReadinessReport, tmp_path_factory: pytest.TempPathFactory, site: str, title: str
) -> None:
    target = tmp_path_factory.mktemp("h") / "p.xlsx"
    export_xlsx(_renamed(report, site, title), target)
    props = load_workbook(target).properties
    for value in (props.title, props.subject, props.keywords):
        assert not NOT_XML.search(value or "")
        assert "\n" not in (value or "")
