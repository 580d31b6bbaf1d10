"""Fixtures for the checklist, findings and dashboard view tests (imported by those modules).

A small template with guidance, citations and legacy sections, one element left out of scope,
and an ``AppContext`` over a fresh workspace, as the shell builds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services import ElementChoice
from qmsr_ready.core.template_content import TemplateSnapshot
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.settings import AppSettings
from qmsr_ready.ui.workers import WorkerRunner

ACTOR = "Quinn Lead"


def _q(qid: str, text: str, citations: list[str], legacy: list[str] | None = None) -> dict:
    return {
        "id": qid,
        "text": text,
        "guidance": {
            "look_at": f"Look at the records for {qid}.",
            "good_looks_like": "Complete, approved, current.",
            "weak_spots": "Missing signatures; out-of-date revisions.",
        },
        "records_to_sample": ["Three recent records", "The governing SOP"],
        "citations": citations,
        "legacy": legacy or [],
        "weight": 2,
        "risk_focus": qid.endswith("Q01"),
    }


def _e(eid: str, title: str, questions: list[dict], legacy: list[str] | None = None) -> dict:
    return {
        "id": eid, "title": title, "iso_clauses": ["4.2.3"], "qmsr_hooks": [],
        "legacy_sections": legacy or [], "model2_minimum": False, "sterile_only": False,
        "questions": questions,
    }  # fmt: skip


def views_template() -> dict[str, Any]:
    """Two areas, four elements (one left out of scope by the fixture), seven questions."""
    return {
        "key": "views-test",
        "version": "1.0",
        "title": "Views test template",
        "description": "For the view tests.",
        "basis": "None.",
        "areas": [
            {
                "id": "MO", "title": "Management Oversight", "kind": "qms_area",
                "description": "d",
                "elements": [
                    _e("MO-05", "Medical device file", [
                        _q("MO-05-Q01", "Pull the MDF index for the top device family.",
                           ["ISO 13485:2016 4.2.3", "21 CFR 820.10(a)"], ["820.181"]),
                        _q("MO-05-Q02", "Check that the MDF lists labelling and packaging.",
                           ["ISO 13485:2016 4.2.3"]),
                    ], ["820.181"]),
                    _e("MO-11", "Management review", [
                        _q("MO-11-Q01", "Review the last two management review minutes.",
                           ["ISO 13485:2016 5.6.2"], ["820.20"]),
                    ]),
                    _e("MO-13", "Human resources", [
                        _q("MO-13-Q01", "Sample training records of line operators.",
                           ["ISO 13485:2016 6.2"]),
                    ]),
                ],
            },
            {
                "id": "MA", "title": "Measurement, Analysis and Improvement", "kind": "qms_area",
                "description": "d",
                "elements": [
                    _e("MA-03", "Complaint handling", [
                        _q("MA-03-Q01", "Sample ten complaints and trace MDR decisions.",
                           ["ISO 13485:2016 8.2.2", "21 CFR 803"], ["820.198"]),
                        _q("MA-03-Q02", "Check complaint trending feeds CAPA.",
                           ["ISO 13485:2016 8.2.2"]),
                        _q("MA-03-Q03", "Verify investigation records are complete.",
                           ["ISO 13485:2016 8.2.2"], ["820.198(e)"]),
                    ]),
                ],
            },
        ],
    }  # fmt: skip


@dataclass
class ViewsEnv:
    ctx: AppContext
    code: str
    workspace_path: Path


def make_context(tmp_path: Path, workspace: Any) -> AppContext:
    settings = AppSettings(tmp_path / "settings.ini")
    settings.set_display_name(ACTOR)
    ctx = AppContext(settings, WorkerRunner())
    ctx.set_workspace(workspace)
    return ctx


def seed_inspection(workspace: Any) -> str:
    """Site plus a started inspection with MO-13 out of scope; returns its code."""
    snapshot = TemplateSnapshot.from_content(views_template())
    choices = [
        ElementChoice("MO-05", True, True, "Model 2 minimum"),
        ElementChoice("MO-11", True, True, "Model 2 minimum"),
        ElementChoice("MO-13", False, True, "Covered last year"),
        ElementChoice("MA-03", True, True, "Complaint trend rising"),
    ]
    with workspace.begin() as s:
        services.create_site(s, ACTOR, name="Acme Devices", fei_number="3001234567")
        inspection = services.start_inspection(
            s, ACTOR, site_code="SITE-001", template=snapshot,
            inspection_type="baseline_surveillance", elements=choices, title="Mock FDA visit",
        )  # fmt: skip
        return inspection.code


def views_env_for(tmp_path: Path) -> Iterator[ViewsEnv]:
    """A context over a fresh workspace with one inspection, as the shell would build it.

    Test modules wrap this in their own ``views_env`` fixture (``tests/ui/conftest.py`` is the
    shell's; a fixture imported from here would trip the linters' redefinition checks).
    """
    path = tmp_path / "views.qmsr"
    workspace = open_workspace(path, create=True)
    code = seed_inspection(workspace)
    ctx = make_context(tmp_path, workspace)
    yield ViewsEnv(ctx, code, path)
    ctx.workers.wait()
    ctx.undo_stack.clear()
    ctx.set_workspace(None)
    workspace.close()


class HeldFile:
    """Another program holding a workspace's write lock (``BEGIN IMMEDIATE``); the app's idle
    pooled connections wait 50 ms for it instead of the 10 s busy timeout. ``release`` lets go
    (again: no-op)."""

    def __init__(self, workspace: Any) -> None:
        import sqlite3

        for _ in range(max(workspace.engine.pool.checkedin(), 1)):
            with workspace.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=50")
        self._conn: Any = sqlite3.connect(workspace.path, isolation_level=None)
        self._conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute("ROLLBACK")
            self._conn.close()
            self._conn = None
