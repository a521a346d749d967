"""Start-up of the command (issue 17): `graphmind --help`, `--version`, `extract --help` and an
argument error, each run 7 times as a fresh process; the fastest wall time and its peak
resident memory. Baseline in the same run: the old version (commit 4d5f79a, checked out at
../old-rules beside the checkout, or --old PATH) with the same interpreter.

    python benchmarks/startup.py [--old ../old-rules]
"""

from __future__ import annotations

import argparse
from pathlib import Path
import os
import subprocess
import sys
import time

NEUTRAL = "/"  # not the checkout: `-m` puts the working folder first on sys.path
CASES = [["--help"], ["--version"], ["extract", "--help"], ["ingest", "--no-such-option"]]


def once(args: list[str], env: dict) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "graphmind.cli", *args], env=env, cwd=NEUTRAL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default=str(Path(__file__).resolve().parents[2] / "old-rules"))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    variants = {"old": dict(os.environ, PYTHONPATH=args.old), "this": {k: v for k, v in os.environ.items()
                                                                      if k != "PYTHONPATH"}}
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| command | old s | old MiB | this s | this MiB | old / this |")
    print("|---|---|---|---|---|---|")
    for case in CASES:
        best = {}
        for name, env in variants.items():
            runs = []
            for _ in range(args.runs):  # interleaving would mix caches less fairly; runs are independent
                runs.append(once(case, env))
            best[name] = min(runs)
        print(f"| `graphmind {' '.join(case)}` | {best['old'][0]:.2f} | {best['old'][1]:.0f} | {best['this'][0]:.2f} "
              f"| {best['this'][1]:.0f} | {best['old'][0] / best['this'][0]:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
