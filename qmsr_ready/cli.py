"""Command line entry point: ``qmsr-ready`` (the GUI) and headless sub-commands.

User errors (``QmsrError``) print one line, ``qmsr-ready: error: <message>``, and exit 2;
argparse usage errors also exit 2. Nothing here imports Qt; the GUI is loaded lazily.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from qmsr_ready import __version__
from qmsr_ready.core.errors import QmsrError

COMMAND_MODULES = (
    "workspace", "verify", "templates", "export", "demo", "gui", "selftest", "requests",
    "backup", "exchange", "copy", "server",
)
# Which module registers a sub-command, so a run imports only what its command needs
# (``--version`` and the GUI stay free of SQLAlchemy). A command missing here still works:
# the parser then imports every module in COMMAND_MODULES.
COMMAND_OWNERS = {
    "inspections": "workspace", "verify": "verify", "templates": "templates",
    "export": "export", "demo": "demo", "gui": "gui", "self-test": "selftest",
    "requests": "requests", "backup": "backup", "import": "exchange", "merge": "exchange",
    "copy": "copy", "compare": "copy", "server": "server",
}  # fmt: skip
PROG = "qmsr-ready"


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The top-level parser with the sub-command ``modules`` registered (default: all)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline mock-inspection workbench for FDA QMSR readiness. "
        "Without a sub-command, opens the GUI on the default workspace.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        module = importlib.import_module(f"qmsr_ready.commands.{name}")
        module.register(subparsers)
    return parser


def _modules_for(argv: Sequence[str]) -> Sequence[str]:
    """The command modules this command line needs: its command's owner, or all of them."""
    words = [w for w in argv if not w.startswith("-")]
    if not words:  # no command: --version, or the GUI (help needs the full list)
        return COMMAND_MODULES if {"-h", "--help"} & set(argv) else ("gui",)
    owner = COMMAND_OWNERS.get(words[0])
    return (owner,) if owner in COMMAND_MODULES else COMMAND_MODULES


def _run_default_gui(args: argparse.Namespace) -> int:
    try:
        from qmsr_ready.commands.gui import run_gui
    except ImportError:
        print(
            f"{PROG}: the GUI is not available in this build; "
            f"run '{PROG} --help' for the command-line tools.",
            file=sys.stderr,
        )
        return 2
    if not hasattr(args, "workspace"):
        args.workspace = None
    result = run_gui(args)
    return int(result or 0)


def _resolve_targets(args: argparse.Namespace) -> None:
    """Every "path or URL" argument through the one resolver (``workspace_target``): a server
    URL of any PostgreSQL scheme is normalised, another ``scheme://`` refused, a path kept.
    A command names its arguments with ``set_defaults(targets=(...))``; default: WORKSPACE."""
    for name in getattr(args, "targets", ("workspace",)):
        value = getattr(args, name, None)
        if isinstance(value, str) and "://" in value:
            from qmsr_ready.core.server.url import workspace_target

            setattr(args, name, workspace_target(value))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser(_modules_for(sys.argv[1:] if argv is None else list(argv)))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    func = getattr(args, "func", None)
    try:
        _resolve_targets(args)
        if func is None:
            return _run_default_gui(args)
        return int(func(args) or 0)
    except QmsrError as exc:  # a message never shows a password, whichever layer wrote it
        from qmsr_ready.core.server.url import mask_passwords

        print(f"{PROG}: error: {mask_passwords(exc.message)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


def entry_point() -> None:
    """Console-script wrapper that exits with ``main()``'s code."""
    sys.exit(main())
