"""The trigger is stored on the inspection, audited, and shown in the PDF with each reason.

Issue 10 item 5: "show the proposal's reasons in the wizard and the PDF".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from qmsr_ready.core import services
from qmsr_ready.core.audit import verify_chain
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.export import export_pdf
from qmsr_ready.core.library import load_template, plan, to_element_choices
from qmsr_ready.core.library.trigger import Trigger
from qmsr_ready.core.models import Inspection
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.report import build_report
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import TemplateSnapshot
from qmsr_ready.core.vocab import RiskSignal

PROFILE = SiteProfile(device_classes=("II",), software_in_device=True)
TRIGGER = Trigger("Pump occlusion alarms failing in the field", (RiskSignal.MDR_TREND,))


def _start(ws, trigger: Trigger | dict | None) -> str:  # type: ignore[no-untyped-def]
    content = load_template(resource_path("checklists") / "fda-qmsr.yaml")
    proposals = plan(content, PROFILE, "for_cause",
                     trigger=trigger if isinstance(trigger, Trigger) else None)
    with ws.begin() as s:
        if not services.list_sites(s):
            services.create_site(s, "Alice", name="Pump plant", profile=PROFILE)
        insp = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=TemplateSnapshot.from_content(content),
            inspection_type="for_cause", elements=to_element_choices(proposals),
            trigger=trigger,
        )
        return insp.code


def test_trigger_is_stored_audited_and_printed_with_the_reasons(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.qmsr", create=True)
    try:
        code = _start(ws, TRIGGER)
        with ws.session() as s:
            insp = s.query(Inspection).filter_by(code=code).one()
            assert insp.trigger == TRIGGER.as_dict()
            assert verify_chain(s).ok  # the audited trigger matches the stored one
            report = build_report(s, code)
        assert report.inspection.trigger == (
            "Topic: Pump occlusion alarms failing in the field; "
            "signals: MDR trend by failure mode"
        )
        target = tmp_path / "pack.pdf"
        export_pdf(report, target)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
        assert "Trigger Topic: Pump occlusion alarms failing in the field" in text  # cover
        assert ("Trigger: Topic: Pump occlusion alarms failing in the field; signals: MDR trend "
                "by failure mode.") in text  # planned-elements section
        assert "Chosen because the trigger names an MDR trend (signal: mdr_trend)" in text
    finally:
        ws.close()


def test_no_trigger_stores_empty_and_the_pdf_says_none_was_stated(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.qmsr", create=True)
    try:
        code = _start(ws, None)
        with ws.session() as s:
            assert s.query(Inspection).filter_by(code=code).one().trigger == {}
            report = build_report(s, code)
        assert report.inspection.trigger == ""
        target = tmp_path / "pack.pdf"
        export_pdf(report, target)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
        assert "Trigger None stated" in text
        assert "No trigger was stated" in text
    finally:
        ws.close()


def test_an_unknown_signal_is_refused_by_the_service(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "w.qmsr", create=True)
    try:
        with pytest.raises(InvalidInput, match="Unknown risk signal 'gut_feeling'"):
            _start(ws, {"topic": "x", "signals": ["gut_feeling"]})
    finally:
        ws.close()
