"""The CLI in-process: exit codes and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready import __version__, cli


def test_version(capsys) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"qmsr-ready {__version__}"  # not pinned


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


def test_every_command_module_registers(capsys) -> None:
    parser = cli.build_parser()
    for name in ("inspections", "verify"):  # a registered command has its own --help
        with pytest.raises(SystemExit) as done:
            parser.parse_args([name, "--help"])
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: qmsr-ready {name}")
