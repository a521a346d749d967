"""Long lists and big files (issue 18, "bounded input"): wall time and peak memory of
`graphmind extract FILE -o out.json`, one fresh process per case (start-up included), for
Markdown lists of 1,000 / 10,000 / 100,000 lines (one item a line) and 20 MB files; with a
cProfile of the extractor on one list.

    python benchmarks/list_speed.py [--lines 1000,10000,100000] [--old WORKTREE] [--profile 10000]
                                    [--no-big] [--repeat 1]

Cases:
- ``list-N``: N lines ``- item number i is a claim because it says so.`` (the hostile-input
  list: each item is two units, the claim and its reason), and ``plain-list-N``: N lines
  ``- item number i is a sentence about something.`` (one unit an item);
- ``list-N-whole``: the longest list again, read whole (``GRAPHMIND_MAX_LIST_ITEMS`` raised
  over the reader's 5,000-item limit, which the other lists over 5,000 lines meet);
- ``one-line-20mb``: 20 MB of prose on one line (over the 16 MB limit: refused);
- ``list-20mb``: a 20 MB list (about 400,000 lines), read with ``GRAPHMIND_MAX_FILE_MB=32``
  so that it is extracted, not refused.

With ``--old WORKTREE`` (another checkout, e.g. ``git worktree add /tmp/gm-old main``) every
case also runs under that version, interleaved with the current one in the same run, and the
table gives both times and their ratio (old / current), so machine load hits both alike.
``--profile N`` prints the 30 most expensive functions (cumulative) of
``RuleExtractor.extract_note`` on an N-line list, in this process (the note read beforehand).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ["Memory is a river because it flows.", "However, critics say this is wrong.",
             "For example, a child remembers songs.", "Therefore we should read more."]

_WRAPPER = ("import json, resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(json.dumps([p.returncode, p.stderr[-4000:], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")


def list_text(n: int, plain: bool = False) -> str:
    if plain:
        return "".join(f"- item number {i} is a sentence about something.\n" for i in range(n))
    return "".join(f"- item number {i} is a claim because it says so.\n" for i in range(n))


def make_cases(folder: Path, lines: list[int], big: bool) -> list[tuple[str, Path, dict]]:
    cases = []

    def put(name: str, text: str, env: dict | None = None) -> None:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        cases.append((name, path, env or {}))

    for n in lines:
        put(f"list-{n}.md", list_text(n))
    for n in lines:
        put(f"plain-list-{n}.md", list_text(n, plain=True))
    if lines and max(lines) > 5_000:  # over the reader's item limit: also read whole, the limit raised
        put(f"list-{max(lines)}-whole.md", list_text(max(lines)), {"GRAPHMIND_MAX_LIST_ITEMS": "10000000"})
    if big:
        line = " ".join(SENTENCES)
        put("one-line-20mb.md", ((line + " ") * (20_000_000 // (len(line) + 1) + 1))[:20_000_000])
        item = len("- item number 123456 is a claim because it says so.\n")
        put("list-20mb.md", list_text(20_000_000 // item), {"GRAPHMIND_MAX_FILE_MB": "32"})
    return cases


def run(root: Path, path: Path, out: Path, extra_env: dict) -> tuple[float, float, int, str]:
    """(seconds, peak MiB, exit status, last line of stderr) of `graphmind extract` in a fresh
    process importing the GraphMind of ``root``."""
    env = dict(os.environ, PYTHONPATH=str(root), **extra_env)
    args = [sys.executable, "-m", "graphmind", "extract", str(path), "-o", str(out)]
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _WRAPPER] + args, capture_output=True, text=True, env=env,
                         cwd=str(root))
    seconds = time.perf_counter() - t
    code, stderr, peak = json.loads(res.stdout)
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line]  # a refusal's first line says why
    return seconds, peak / 1024, code, ((errors or lines or [""])[0] if code else lines[-1])[:90]


def counts(out: Path) -> str:
    try:
        data = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "-"
    return f"{len(data.get('units', []))} / {len(data.get('relations', []))}"


def profile(n: int) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    from graphmind.extract.rules import RuleExtractor
    from graphmind.read import Note
    from graphmind.read.markdown import parse_markdown

    parsed = parse_markdown(list_text(n))
    note = Note(f"list-{n}.md", f"list-{n}", parsed.blocks, parsed.links)
    ex = RuleExtractor()
    ex.extract_note(Note("warm.md", "warm", parse_markdown(list_text(50)).blocks, []))  # load spaCy etc.
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    result = ex.extract_note(note)
    prof.disable()
    print(f"extract_note on a {n}-line list: {time.perf_counter() - t:.2f} s under cProfile, "
          f"{len(result.units)} units, {len(result.relations)} relations")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    pstats.Stats(prof).sort_stats("tottime").print_stats(20)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", default="1000,10000,100000", help="list sizes (lines), comma-separated")
    ap.add_argument("--old", help="another GraphMind checkout to time in the same run")
    ap.add_argument("--no-big", action="store_true", help="skip the 20 MB files")
    ap.add_argument("--profile", type=int, default=0, help="cProfile the extractor on a list of this many lines")
    ap.add_argument("--only-profile", action="store_true")
    args = ap.parse_args()
    if args.profile:
        profile(args.profile)
        if args.only_profile:
            return
    lines = [int(x) for x in args.lines.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = make_cases(folder, lines, not args.no_big)
        if args.old:
            print(f"current: {ROOT}; old: {args.old}")
            print("| case | size | old s | current s | old / current | old peak MiB | current peak MiB | "
                  "units / relations (old; current) | exit (old, current) |")
            print("|---|---|---|---|---|---|---|---|---|")
        else:
            print("| case | size | seconds | peak MiB | units / relations | exit | last line |")
            print("|---|---|---|---|---|---|---|")
        for name, path, env in cases:
            size = path.stat().st_size / 1e6
            out = folder / "out.json"
            if args.old:
                o = run(Path(args.old), path, out, env)
                oc = counts(out)
                out.unlink(missing_ok=True)
                c = run(ROOT, path, out, env)
                cc = counts(out)
                print(f"| {name} | {size:.2f} MB | {o[0]:.1f} | {c[0]:.1f} | {o[0] / c[0]:.1f} | {o[1]:.0f} | "
                      f"{c[1]:.0f} | {oc}; {cc} | {o[2]}, {c[2]} |", flush=True)
            else:
                c = run(ROOT, path, out, env)
                print(f"| {name} | {size:.2f} MB | {c[0]:.1f} | {c[1]:.0f} | {counts(out)} | {c[2]} | {c[3]} |",
                      flush=True)
            out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
