"""Every command that takes a workspace says in the same words that a server URL works too."""

from __future__ import annotations

import argparse

from qmsr_ready.cli import build_parser
from qmsr_ready.commands._args import FILE_ONLY_HELP, WORKSPACE_HELP

FILE_ONLY = {"backup", "demo"}  # a server is backed up with pg_dump; the demo is a new file


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _workspace_helps(command: argparse.ArgumentParser) -> list[str]:
    return [a.help or "" for a in command._actions
            if a.metavar in ("WORKSPACE", "SOURCE", "OTHER") and not a.option_strings]


def test_path_or_url_arguments_share_one_wording() -> None:
    checked = []
    for name, command in _commands().items():
        for text in _workspace_helps(command):
            checked.append(name)
            if name in FILE_ONLY:
                assert "server URL" not in text, name
                if name == "backup":
                    assert FILE_ONLY_HELP in text
            else:
                assert WORKSPACE_HELP in text, (name, text)
    assert {"export", "verify", "inspections", "merge", "import", "copy", "gui"} <= set(checked)
