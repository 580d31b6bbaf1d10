"""``qmsr-ready self-test`` passes on a good install and names the step that fails otherwise."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qmsr_ready.commands import selftest


def test_self_test_passes_as_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "self-test"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for step, _func in selftest.STEPS:
        assert f"ok    {step}" in result.stdout
    assert f"self-test: {len(selftest.STEPS)} passed, 0 failed" in result.stdout.splitlines()
    assert list(tmp_path.glob("qmsr-self-test-*")) == []  # its temporary folder is removed


def test_a_failing_step_is_named_and_later_steps_do_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_export(_state: object) -> str:
        raise FileNotFoundError("fonts/DejaVuSans.ttf is missing")

    ran: list[str] = []
    steps = [
        (name, broken_export if name == "export" else (lambda s, n=name: ran.append(n) or n))
        for name, _func in selftest.STEPS
    ]
    monkeypatch.setattr(selftest, "STEPS", tuple(steps))
    out = io.StringIO()
    assert selftest.run_self_test(tmp_path, out=out) == "export"
    assert "FAIL  export: fonts/DejaVuSans.ttf is missing" in out.getvalue()
    assert ran == ["library", "demo"]


def test_cli_exit_code_names_the_step(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    def broken_library(_state: object) -> str:
        raise selftest.StepCheckError("built-in templates missing: fda-qmsr")

    monkeypatch.setattr(selftest, "STEPS", (("library", broken_library),))
    from qmsr_ready.cli import main

    assert main(["self-test"]) == 1
    captured = capsys.readouterr()
    assert "self-test failed at step 'library'" in captured.err
    assert "built-in templates missing: fda-qmsr" in captured.out
    assert "self-test: 0 passed, 1 failed" in captured.out


def test_reimport_step_calls_plan_by_parameter_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qmsr_ready.core.exchange import plan_workbook_import as real_plan

    seen: dict[str, object] = {}
    state = selftest._State(tmp_path)

    def plan_workbook_import(session: object, path: Path, *, actor: str = "") -> object:
        seen.update(session=session, path=path, actor=actor)
        return selftest._call_by_names(
            real_plan, {"session": session, "workbook": path, "inspection": state.inspection,
                        "actor": actor})

    monkeypatch.setattr(selftest, "_plan_import_callable", lambda: plan_workbook_import)
    selftest._step_library(state)
    selftest._step_demo(state)
    selftest._step_export(state)
    assert "all unchanged" in selftest._step_reimport(state)
    assert seen["path"] == state.files["xlsx"]
    assert seen["actor"] == "self-test"


def test_reimport_step_fails_on_a_clean_update_not_only_on_conflicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack that reads a value back differently plans an *update* (no conflict): that fails
    the step, naming the row, the field and both values."""
    import dataclasses

    from qmsr_ready.core.exchange import plan_workbook_import as real_plan
    from qmsr_ready.core.exchange.plan import Outcome

    state = selftest._State(tmp_path)

    def one_field_drifts(**kwargs: object) -> object:
        plan = selftest._call_by_names(real_plan, {
            "session": kwargs["session"], "workbook": kwargs["path"],
            "inspection": state.inspection, "actor": kwargs["actor"]})
        row = next(r for r in plan.rows if r.fields)
        drifted = dataclasses.replace(row.fields[0], outcome=Outcome.CLEAN_UPDATE,
                                      theirs="read back wrong")
        row = dataclasses.replace(row, fields=(drifted, *row.fields[1:]))
        seen["where"] = f"{row.entity} {row.key} {drifted.spec.label}"
        return dataclasses.replace(plan, rows=(row, *plan.rows[1:]))

    seen: dict[str, str] = {}
    monkeypatch.setattr(selftest, "_plan_import_callable",
                        lambda: lambda session, path, actor="": one_field_drifts(
                            session=session, path=path, actor=actor))
    selftest._step_library(state)
    selftest._step_demo(state)
    selftest._step_export(state)
    with pytest.raises(selftest.StepCheckError) as info:
        selftest._step_reimport(state)
    message = str(info.value)
    assert "planned 1 change(s)" in message
    assert seen["where"] in message
    assert "'read back wrong' in the workbook" in message
