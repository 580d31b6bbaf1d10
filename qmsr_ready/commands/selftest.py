"""``qmsr-ready self-test``: prove an installation works end to end, headless, in a temp folder.

Why: a bundle (or a pip install) can miss a data file, a hidden import or a migration script and
still start. This walks the paths a user takes — library, demo, both packs, re-import plan, audit
chain — on throw-away data, and names the first step that fails. CI runs it in the built bundle.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_TODAY = "2026-11-25"  # fixed, so every run builds the same demonstration


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``self-test``."""
    p = subparsers.add_parser(
        "self-test",
        help="check this installation end to end in a temporary folder (exit 0 when it works)",
        description="Loads and validates the checklist library, builds the demonstration "
        "workspace, exports both packs, plans a dry-run re-import of the workbook (when this "
        "build has workbook import) and verifies the audit chain, all in a temporary folder "
        "that is removed afterwards. Exit 0 when every step passes; 1 naming the failing step.",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    p.add_argument("--verbose", action="store_true", help="print a traceback on failure")
    p.set_defaults(func=cmd_self_test)


@dataclass
class _State:
    """What one step hands the next."""

    folder: Path
    workspace: Path | None = None
    inspection: str = ""
    files: dict[str, Path] = field(default_factory=dict)


class StepCheckError(Exception):
    """A check inside a step did not hold (as opposed to an unexpected exception)."""


def _step_library(state: _State) -> str:
    from qmsr_ready.core.library.catalogue import Catalogue
    from qmsr_ready.core.library.crosswalk import load_crosswalk
    from qmsr_ready.core.resources import resource_path
    from qmsr_ready.core.template_content import typed_template

    user_dir = state.folder / "templates"
    user_dir.mkdir()
    catalogue = Catalogue(builtin_dir=resource_path("checklists"), user_dir=user_dir)
    if catalogue.problems:
        raise StepCheckError("; ".join(str(p) for p in catalogue.problems[:3]))
    keys = {t.key for t in catalogue.templates}
    missing = {"fda-qmsr", "qsr-transition"} - keys
    if missing:
        raise StepCheckError(f"built-in templates missing: {', '.join(sorted(missing))}")
    questions = sum(len(typed_template(t).questions) for t in catalogue.latest())
    load_crosswalk()
    return f"{len(catalogue.templates)} templates, {questions} questions valid"


def _step_demo(state: _State) -> str:
    import datetime as dt

    from qmsr_ready.core.demo import build_demo

    target = state.folder / "self-test.qmsr"
    summary = build_demo(target, today=dt.date.fromisoformat(DEMO_TODAY))
    state.workspace = summary.path
    in_progress = [i for i in summary.inspections if i.status == "in_progress"]
    if not in_progress:
        raise StepCheckError("the demonstration has no inspection in progress")
    state.inspection = in_progress[0].code
    return f"{len(summary.inspections)} inspections, {summary.audit_events} audit events"


def _step_export(state: _State) -> str:
    from qmsr_ready.core.db import open_workspace
    from qmsr_ready.core.export import export_pdf, export_xlsx
    from qmsr_ready.core.report import build_report

    assert state.workspace is not None
    with open_workspace(state.workspace, read_only=True) as ws, ws.session() as session:
        report = build_report(session, state.inspection)
    sizes = []
    for kind, export in (("xlsx", export_xlsx), ("pdf", export_pdf)):
        path = export(report, state.folder / f"pack.{kind}")
        if not path.is_file() or path.stat().st_size == 0:
            raise StepCheckError(f"the {kind} pack was not written")
        state.files[kind] = path
        sizes.append(f"{kind} {path.stat().st_size:,} bytes")
    _check_pack_headers(state.files)
    return ", ".join(sizes)


def _check_pack_headers(files: dict[str, Path]) -> None:
    """The packs open as what they claim to be (a zip workbook, a PDF)."""
    with files["xlsx"].open("rb") as fh:
        if fh.read(2) != b"PK":
            raise StepCheckError("the workbook is not a zip (xlsx) file")
    with files["pdf"].open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise StepCheckError("the PDF pack does not start with %PDF-")


def _plan_import_callable() -> Callable[..., Any] | None:
    """``qmsr_ready.core.exchange.plan_workbook_import`` when this build has workbook import."""
    import importlib.util

    try:
        if importlib.util.find_spec("qmsr_ready.core.exchange") is None:
            return None
    except ImportError:
        return None
    import importlib

    module = importlib.import_module("qmsr_ready.core.exchange")
    return getattr(module, "plan_workbook_import", None)


def _call_by_names(func: Callable[..., Any], values: dict[str, Any]) -> Any:
    """Call ``func`` passing each required parameter by the first name it answers to."""
    aliases = {
        "session": ("session", "s", "db"),
        "workbook": ("path", "workbook", "workbook_path", "source", "file", "xlsx"),
        "inspection": ("inspection", "inspection_code", "code"),
        "actor": ("actor", "user"),
    }
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(func).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        role = next((r for r, names in aliases.items() if name in names), None)
        if role is not None:
            kwargs[name] = values[role]
        elif param.default is param.empty:
            raise StepCheckError(f"plan_workbook_import needs {name!r}, which the self-test lacks")
    return func(**kwargs)


def _step_reimport(state: _State) -> str:
    plan_import = _plan_import_callable()
    if plan_import is None:
        return "skipped: this build has no workbook import"
    from qmsr_ready.core.db import open_workspace

    assert state.workspace is not None
    with open_workspace(state.workspace, read_only=True) as ws, ws.session() as session:
        plan = _call_by_names(
            plan_import,
            {"session": session, "workbook": state.files["xlsx"],
             "inspection": state.inspection, "actor": "self-test"},
        )
    changed = _changed_in_plan(plan)
    if changed:
        shown = "; ".join(changed[:8]) + (f"; and {len(changed) - 8} more" if len(changed) > 8
                                          else "")
        raise StepCheckError(
            f"re-importing the unchanged workbook planned {len(changed)} change(s): {shown}"
        )
    fields = sum(len(row.fields) for row in plan.rows)
    return f"unchanged workbook: {len(plan.rows)} rows, {fields} fields, all unchanged"


def _changed_in_plan(plan: Any) -> list[str]:
    """Every row and field the plan would not leave as it is (an unchanged workbook has none).

    Why not just "no conflicts": a pack that reads back a value differently (a date shifted, a
    choice mislabelled) plans a clean *update*, which would silently rewrite the workspace.
    """
    from qmsr_ready.core.exchange.plan import Outcome, RowStatus

    changed = []
    for row in plan.rows:
        where = f"{row.entity} {row.key or row.ref}".strip()
        if row.status is not RowStatus.MATCHED:
            changed.append(f"{where}: {row.status.label.lower()}")
            continue
        for f in row.fields:
            if f.outcome is not Outcome.UNCHANGED:
                cell = f" ({f.cell})" if f.cell else ""
                changed.append(f"{where} {f.spec.label}{cell}: {f.outcome.label.lower()}, "
                               f"{f.mine!r} here vs {f.theirs!r} in the workbook")
    return changed


def _step_verify(state: _State) -> str:
    from qmsr_ready.core.audit import verify_chain
    from qmsr_ready.core.db import open_workspace

    assert state.workspace is not None
    with open_workspace(state.workspace, read_only=True) as ws, ws.session() as session:
        report = verify_chain(session)
    if not report.ok:
        raise StepCheckError(report.problem)
    return f"{report.event_count} events intact, integrity ok"


STEPS: tuple[tuple[str, Callable[[_State], str]], ...] = (
    ("library", _step_library),
    ("demo", _step_demo),
    ("export", _step_export),
    ("re-import (dry run)", _step_reimport),
    ("verify", _step_verify),
)


def run_self_test(folder: Path, out: Any = None, verbose: bool = False) -> str | None:
    """Run every step in ``folder``; return the name of the first failing step, or None."""
    out = out or sys.stdout
    state = _State(folder)
    for name, step in STEPS:
        started = time.perf_counter()
        try:
            detail = step(state)
        except Exception as exc:  # any failure, expected or not, names the step
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            print(f"FAIL  {name}: {message}", file=out, flush=True)
            if verbose:
                traceback.print_exc(file=out)
            return name
        took = time.perf_counter() - started
        print(f"ok    {name} ({took:.1f} s): {detail}", file=out, flush=True)
    return None


def cmd_self_test(args: argparse.Namespace) -> int:
    """Run the self-test in a fresh temporary folder with isolated user folders."""
    from qmsr_ready import __version__

    folder = Path(tempfile.mkdtemp(prefix="qmsr-self-test-"))
    # Nothing the steps do may read or write the user's own settings or templates.
    for env, sub in (("QMSR_READY_DATA_DIR", "data"), ("QMSR_READY_CONFIG_DIR", "config"),
                     ("QMSR_READY_LOG_DIR", "log")):
        (folder / sub).mkdir()
        os.environ[env] = str(folder / sub)
    print(f"qmsr-ready {__version__} self-test in {folder}", flush=True)
    try:
        failed = run_self_test(folder, verbose=getattr(args, "verbose", False))
    finally:
        if getattr(args, "keep", False):
            print(f"kept {folder}")
        else:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    names = [name for name, _step in STEPS]
    passed = names.index(failed) if failed else len(names)
    # The closing line CI reads: "N passed, N failed".
    print(f"self-test: {passed} passed, {1 if failed else 0} failed", flush=True)
    if failed:
        print(f"qmsr-ready: self-test failed at step '{failed}'", file=sys.stderr)
        return 1
    return 0
