"""Hostile input: time and peak memory of `graphmind extract` on files no real note looks
like, each in a fresh process (startup included), next to a baseline of the same command on
the examples/ folder in the same run.

    python benchmarks/hostile_input.py [--quick | --scale S]

Cases: a 100,000-line list; a 15 MB single line of prose (under the 16 MB limit) and a
20 MB one (over it: refused); 10,000 nested quote markers; NUL bytes; invalid UTF-8; a
symbolic-link loop; a section of 2,500 paragraphs without headings. ``--quick`` uses smaller
sizes (a tenth) for a smoke run; ``--scale S`` any fraction.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRAPHMIND = [sys.executable, "-m", "graphmind"]
SENTENCES = ["Memory is a river because it flows.", "However, critics say this is wrong.",
             "For example, a child remembers songs.", "Therefore we should read more."]


def make_cases(folder: Path, scale: float) -> dict[str, Path]:
    cases = {}

    def put(name: str, data: bytes | str) -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        cases[name] = path

    n = int(100_000 * scale)
    put("list.md", "".join(f"- item number {i} is a claim because it says so.\n" for i in range(n)))
    line = " ".join(SENTENCES)
    put("one-line-15mb.md", ((line + " ") * (int(15_000_000 * scale) // (len(line) + 1) + 1))[:int(15_000_000 * scale)])
    put("one-line-20mb.md", ((line + " ") * (20_000_000 // (len(line) + 1) + 1))[:20_000_000])
    put("nested-quotes.md", ">" * 10_000 + " A claim deep inside quotes.\n")
    put("nul-bytes.md", b"Hello\x00world. NUL bytes inside.\n" * 1000)
    put("invalid-utf8.md", b"Valid start. \xff\xfe\xc3\x28 invalid \xe2\x82 bytes everywhere.\n" * 1000)
    k = int(2500 * scale)
    put("long-section.md", "\n\n".join(f"Paragraph {i}: {SENTENCES[i % 4]} {SENTENCES[(i + 1) % 4]}" for i in range(k)))
    loop = folder / "loop.md"
    loop.symlink_to("loop.md")
    cases["symlink-loop.md"] = loop
    return cases


_WRAPPER = ("import json, resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(json.dumps([p.returncode, p.stderr[-4000:], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")


def run(args: list[str], env: dict) -> tuple[float, float, int, str]:
    """(seconds, peak MiB, exit status, last line of stderr) of one fresh process."""
    import json

    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WRAPPER] + args, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t
    code, stderr, peak = json.loads(out.stdout)
    lines = [line for line in stderr.splitlines() if line.strip()]
    return seconds, peak / 1024, code, (lines[-1] if lines else "")[:110]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="--scale 0.1")
    ap.add_argument("--scale", type=float, default=1.0, help="sizes of the list, the 15 MB line and the long "
                                                              "section times this (the 20 MB line stays 20 MB)")
    args = ap.parse_args()
    scale = 0.1 if args.quick else args.scale
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = make_cases(folder, scale)
        base = run(GRAPHMIND + ["extract", str(ROOT / "examples"), "-o", str(folder / "out.json")], env)
        print(f"baseline: extract examples/ (5 notes): {base[0]:.1f} s, peak {base[1]:.0f} MiB")
        print("| case | size | seconds | × baseline | peak MiB | exit | last line |")
        print("|---|---|---|---|---|---|---|")
        for name, path in cases.items():
            size = os.path.getsize(path) if path.exists() else 0
            s, peak, code, last = run(GRAPHMIND + ["extract", str(path), "-o", str(folder / "out.json")], env)
            print(f"| {name} | {size / 1e6:.2f} MB | {s:.1f} | {s / base[0]:.1f} | {peak:.0f} | {code} | {last} |",
                  flush=True)


if __name__ == "__main__":
    main()
