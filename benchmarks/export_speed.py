"""Export all three levels from generated meaning graphs of 10,000 and 50,000 units.

    python benchmarks/export_speed.py [--sizes 10000,50000] [--formats text,chat,dpo]

Each size and format runs in its own process (so its peak memory is its own) on one core:
the graph is built in memory in the shape the store reads back (``graphmind.walk.memory``),
then ``build_dataset`` runs with the format's default options. Prints examples and
examples/s per level,
total seconds, peak resident memory, and the time ratio between the sizes next to their
size ratio (linear growth: the two are about equal). Targets: 50,000 units in under 60 s
and under 1 GB. The CPU seconds of the process are printed beside the wall time: on a
shared machine they move less.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def one(units: int, fmt: str) -> dict:
    from graphmind.export import LEVELS, ExportOptions, build_dataset
    from graphmind.walk.memory import to_networkx
    from synthetic import corpus, peak_rss_mib

    g = to_networkx(corpus(units))
    per_level = {}
    t_all, cpu_all = time.perf_counter(), time.process_time()
    for level in LEVELS:
        t0 = time.perf_counter()
        ds = build_dataset(g, ExportOptions(levels=(level,), format=fmt))
        per_level[level] = (ds.stats["examples"]["total"], time.perf_counter() - t0)
    total, cpu = time.perf_counter() - t_all, time.process_time() - cpu_all
    peak = peak_rss_mib()
    return {"units": units, "format": fmt, "levels": per_level, "seconds": total, "cpu": cpu, "peak_mib": peak}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--formats", default="text,chat,dpo")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--format", default="text", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.format)))
        return 0
    results = []
    for fmt in args.formats.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            out = subprocess.run(["taskset", "-c", "0", sys.executable, __file__, "--one", str(size),
                                  "--format", fmt], capture_output=True, text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| units | format | level | examples | seconds | examples/s |")
    print("|---|---|---|---|---|---|")
    for r in results:
        for level, (n, sec) in r["levels"].items():
            print(f"| {r['units']} | {r['format']} | {level} | {n} | {sec:.1f} | {n / sec:,.0f} |")
    print()
    print("| units | format | whole export (s) | CPU (s) | peak memory (MiB) |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r['units']} | {r['format']} | {r['seconds']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:.0f} |")
    for fmt in args.formats.split(","):
        rs = [r for r in results if r["format"] == fmt]
        if len(rs) >= 2:
            a, b = rs[0], rs[-1]
            print(f"\n{fmt}: size x{b['units'] / a['units']:.1f} -> time x{b['seconds'] / a['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
