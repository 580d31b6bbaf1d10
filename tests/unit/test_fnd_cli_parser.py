"""The CLI in-process: exit codes and one-line errors."""

from __future__ import annotations

from pathlib import Path

from qmsr_ready import cli


def test_version(capsys) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "qmsr-ready 0.1.0"


def test_usage_error_exits_2(capsys) -> None:
    assert cli.main(["verify"]) == 2
    assert "WORKSPACE" in capsys.readouterr().err


def test_user_error_is_one_line(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "notes.qmsr"
    bad.write_text("hello")
    assert cli.main(["inspections", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qmsr-ready: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert bad.read_text() == "hello"


def test_every_command_module_registers() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert {"inspections", "verify"} <= set(sub.choices)
