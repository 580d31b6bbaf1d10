"""Runs every benchmark in this folder, one after another, each in its own process.

Benchmarks print their timings and the ratio to a baseline measured in the same run; they
assert nothing. Run with ``make bench``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = ("bench_export.py", "bench_gui_scale.py")


def main() -> int:
    here = Path(__file__).resolve().parent
    failed = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        failed += subprocess.run([sys.executable, str(here / name)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
