"""``qmsr-ready gui``: the desktop app, and ``--screenshot`` for README pictures and look checks."""

from __future__ import annotations

import argparse

VIEWS = ("home", "checklist", "findings", "dashboard", "audit")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this module's subcommands to the top-level parser."""
    p = subparsers.add_parser(
        "gui",
        help="open the desktop app (the default without a command)",
        description="Open the desktop app on WORKSPACE (default: the last or the default one).",
    )
    p.add_argument("workspace", nargs="?", metavar="WORKSPACE", help="workspace file (.qmsr)")
    p.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    p.add_argument("--view", choices=VIEWS, default="home", help="view to show (default: home)")
    p.add_argument("--inspection", metavar="CODE", help="inspection to select (e.g. MI-2026-001)")
    p.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    """Start the GUI from parsed arguments (also used when no subcommand is given)."""
    from qmsr_ready.app import GuiOptions, run

    return run(
        GuiOptions(
            workspace=getattr(args, "workspace", None),
            screenshot=getattr(args, "screenshot", None),
            view=getattr(args, "view", None) or "home",
            inspection=getattr(args, "inspection", None),
        )
    )
