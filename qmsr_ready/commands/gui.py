"""``qmsr-ready gui``: the desktop app, and ``--screenshot`` for README pictures and look checks."""

from __future__ import annotations

import argparse
import re

from qmsr_ready.commands._args import WORKSPACE_HELP
from qmsr_ready.ui.view_keys import VIEW_KEYS as VIEWS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's subcommands to the top-level parser."""
    p = subparsers.add_parser(
        "gui",
        help="open the desktop app (the default without a command)",
        description="Open the desktop app on WORKSPACE (default: the last or the default one).",
    )
    p.add_argument("workspace", nargs="?", metavar="WORKSPACE", help=WORKSPACE_HELP)
    p.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    p.add_argument("--view", choices=VIEWS, default="home", help="view to show (default: home)")
    p.add_argument("--inspection", metavar="CODE", help="inspection to select (e.g. MI-2026-001)")
    p.add_argument(
        "--screenshot-size", metavar="WxH", type=_size, default=None,
        help="picture size in pixels (default 1400x900); with QT_SCALE_FACTOR the window is "
        "laid out at WxH divided by the scale, as on a scaled laptop screen",
    )
    p.set_defaults(func=run_gui)


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size like 1366x768: {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (320 <= width <= 8192 and 240 <= height <= 8192):
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (320x240 to 8192x8192)")
    return width, height


def run_gui(args: argparse.Namespace) -> int:
    """Start the GUI from parsed arguments (also used when no subcommand is given)."""
    from qmsr_ready.app import SCREENSHOT_SIZE, GuiOptions, run
    from qmsr_ready.core.errors import InvalidInput

    size = getattr(args, "screenshot_size", None)
    if size is not None and not getattr(args, "screenshot", None):
        raise InvalidInput("--screenshot-size needs --screenshot PNG.")
    return run(
        GuiOptions(
            workspace=getattr(args, "workspace", None),
            screenshot=getattr(args, "screenshot", None),
            view=getattr(args, "view", None) or "home",
            inspection=getattr(args, "inspection", None),
            screenshot_size=size or SCREENSHOT_SIZE,
        )
    )
