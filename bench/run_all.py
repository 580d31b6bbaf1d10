"""``make bench``: run every ``bench/bench_*.py`` and print one table of ours vs bare baselines.

Each module exposes ``rows() -> list[BenchRow]`` (see ``_table.py`` and ``README.md`` here) and
runs in its own fresh process, so start-up, memory and Qt state never leak from one module to
the next. The table is printed and written to ``bench/results/latest.json`` (not committed).
Benchmarks assert nothing: a missed target is reported, never failed.
Usage: ``python bench/run_all.py [NAME ...]`` (e.g. ``bench_export``) to run only some modules.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _table import BenchRow, render  # noqa: E402


def discover(names: list[str]) -> list[str]:
    """Module names of every ``bench_*.py`` here (or only those named), in name order."""
    found = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in found if not names or n in names or f"{n}.py" in names]


def run_module(name: str) -> list[BenchRow]:
    """Run one module's ``rows()`` in a child process; a failure becomes a row saying so."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        target = Path(out.name)
    try:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", name, str(target)],
            check=False,
        )
        took = time.perf_counter() - start
        if proc.returncode != 0 or not target.stat().st_size:
            return [BenchRow(f"{name}: FAILED", 0.0, unit="",
                             note=f"exit code {proc.returncode}; see its output above")]
        rows = [BenchRow(**r) for r in json.loads(target.read_text(encoding="utf-8"))]
        print(f"   {name}: {len(rows)} rows in {took:.0f} s", file=sys.stderr, flush=True)
        return rows
    finally:
        target.unlink(missing_ok=True)


def child(name: str, out: Path) -> int:
    """In the child: import the module, call ``rows()``, write them as JSON."""
    module = importlib.import_module(name)
    rows = module.rows()
    fields = ("metric", "ours", "baseline", "unit", "target", "note")
    out.write_text(json.dumps([{f: getattr(r, f) for f in fields} for r in rows]),
                   encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1], Path(argv[2]))
    rows: list[BenchRow] = []
    for name in discover(argv):
        print(f"== {name}", file=sys.stderr, flush=True)
        rows += run_module(name)
    print()
    print(render(rows))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(json.dumps({
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine()},
        "rows": [r.as_dict() for r in rows],
    }, indent=2), encoding="utf-8")
    print(f"\nwritten to {results / 'latest.json'}")
    return 1 if any(r.metric.endswith("FAILED") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
