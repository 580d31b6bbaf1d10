"""``qmsr-ready templates …``: list, validate, check coverage of and import templates."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from qmsr_ready.core.library.catalogue import Catalogue
from qmsr_ready.core.library.coverage import coverage
from qmsr_ready.core.library.loader import load_file
from qmsr_ready.core.template_content import typed_template


def printable(text: str) -> str:
    """``text`` with control and format characters shown as escapes, safe to print to a terminal.

    A template is somebody else's file: a title carrying ``ESC ]`` or ``ESC [`` sequences could
    retitle the terminal, hide lines or fake output, and a right-to-left override reorders it.
    """
    if text.isprintable():
        return text
    return "".join(_escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch.isprintable() or unicodedata.category(ch) == "Zs":  # keep letters and any space
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``templates`` and its sub-commands to the top-level parser."""
    parser = subparsers.add_parser(
        "templates", help="list, validate, check coverage of and import checklist templates"
    )
    sub = parser.add_subparsers(dest="templates_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="list built-in and user templates")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="validate template files (exit 1 listing every error)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("coverage", help="which clauses and sections each template cites")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser("import", help="validate a template and copy it into the user folder")
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=cmd_import)


def cmd_list(args: argparse.Namespace) -> int:
    """Print every valid template (newest marked) and any file that failed to load."""
    cat = Catalogue()
    latest = {(t.key, t.version) for t in cat.latest()}
    rows = [
        {
            "key": t.key,
            "version": t.version,
            "title": t.title,
            "source": "built-in" if t.builtin else "user",
            "latest": (t.key, t.version) in latest,
            "sha256": t.sha256,
            "path": str(t.path),
            "questions": len(typed_template(t).questions),
        }
        for t in cat.templates
    ]
    if args.json:
        problems = [str(p) for p in cat.problems]
        print(json.dumps({"templates": rows, "problems": problems}, indent=2))
        return 0
    if not rows:
        print("No templates found.")
    for r in rows:
        mark = "*" if r["latest"] else " "
        print(
            f"{mark} {printable(str(r['key'])):<20} {printable(str(r['version'])):<10} "
            f"{r['source']:<8} {r['questions']:>4} questions  {printable(str(r['title']))}"
        )
    for problem in cat.problems:
        print(f"skipped: {printable(str(problem))}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each file; print every problem, one per line; exit 1 if any."""
    failed = 0
    for path in args.files:
        result = load_file(path)
        if result.ok:
            print(f"{printable(str(path))}: valid")
            continue
        failed += 1
        for issue in result.issues:
            print(printable(str(issue)))
    return 1 if failed else 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Per template: citation counts and registry targets no question cites."""
    reports = [coverage(typed_template(t)) for t in Catalogue().latest()]
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2))
        return 0
    for r in reports:
        covered = len(r.targets) - len(r.uncovered)
        print(f"{r.key} {r.version}: {r.question_count} questions")
        print(f"  coverage targets cited: {covered}/{len(r.targets)}")
        for citation, count in r.cited.items():
            print(f"  {count:>4}  {citation}")
        if r.uncovered:
            print("  uncovered: " + ", ".join(r.uncovered))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import one template file into the user templates folder."""
    cat = Catalogue()
    loaded = cat.import_template(args.file)
    print(printable(f"Imported {loaded.key} {loaded.version} into {loaded.path}"))
    return 0
