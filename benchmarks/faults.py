"""The fault suite, timed: runs `pytest tests/faults` with GRAPHMIND_FAULT_TIMINGS set and
prints, per test, every `graphmind` process it ran: exit status, wall time (from its start,
and from the signal for an interrupted one) and the last line it printed. The suite asserts
what happened and what was lost; this script only reports how long it took (nothing in the
tests asserts on time).

    python benchmarks/faults.py [PYTEST ARGS...]      # e.g. -k llm
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def short(args: list[str]) -> str:
    out = []
    for a in args:
        if "/" in a and len(a) > 30:
            a = ".../" + a.rstrip("/").rsplit("/", 1)[-1]
        out.append(a)
    return " ".join(out)[:80]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "timings.json"
        env = dict(os.environ, GRAPHMIND_FAULT_TIMINGS=str(path))
        t = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/faults",
                               *sys.argv[1:]], cwd=ROOT, env=env)
        total = time.monotonic() - t
        rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    print(f"\npytest tests/faults: exit {done.returncode}, {total:.0f} s, {len(rows)} graphmind runs\n")
    print("| test | graphmind … | exit | s | s after signal | last line |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        test = r["test"].split("::", 1)[-1]
        after = f"{r['after_signal']:.2f} ({r['signal']})" if r.get("after_signal") is not None else ""
        last = r["last_line"].replace("|", "\\|")[:140]
        print(f"| {test} | {short(r['args'])} | {r['code']} | {r['seconds']:.2f} | {after} | {last} |")
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
