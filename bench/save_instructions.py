"""Instructions one response save costs, counted by valgrind: a gauge noise cannot move.

``bench_save`` times saves against a bare commit, and on a shared machine its ratios move by
±0.3 from run to run, more than most changes to the save path are worth. This counts CPU
instructions instead (``valgrind --tool=callgrind``): two runs of the bench's own set-up and
saves, one with ``LOW`` saves and one with ``HIGH``, on a tmpfs folder when there is one; the
difference over ``HIGH - LOW`` saves is what one more save costs, set-up and start-up cancelled
out. Repeatable to about 0.1 % (``PYTHONHASHSEED`` fixed). Not part of ``make bench`` (it takes
about a minute and needs valgrind); run it before and after a change to the save path:

    .venv/bin/python bench/save_instructions.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LOW, HIGH = 100, 300  # saves per run; the first 40 are first answers (INSERTs), in both runs


def _saves(count: int) -> None:
    """The child: the bench's set-up, then ``count`` saves (no baseline jobs)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_save

    folder = "/dev/shm" if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        bench_save.measure(Path(tmp), 1, saves=count, baselines=False)


def _instructions(count: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0", "QT_QPA_PLATFORM": "offscreen"}
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--saves", str(count)],
            capture_output=True, text=True, env=env, check=False)
        for line in done.stderr.splitlines():
            if "Collected :" in line:
                return int(line.rsplit(":", 1)[1].strip())
        raise SystemExit(f"valgrind did not report a count:\n{done.stderr[-2000:]}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--saves":
        _saves(int(sys.argv[2]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    with ThreadPoolExecutor(max_workers=2) as pool:
        low, high = pool.map(_instructions, (LOW, HIGH))
    print(f"response save: {(high - low) / (HIGH - LOW):,.0f} instructions "
          f"({HIGH - LOW} saves of a 40-question checklist, callgrind)")


if __name__ == "__main__":
    main()
