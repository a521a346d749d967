"""How real notes come out: the fixture notes (chat exports as .txt and .md, outlines, essays,
plain notes) and examples/, read and extracted as a user would.

    python benchmarks/notes_quality.py [PATH ...] [--old WORKTREE]

Per folder: documents, paragraphs, units, relations; the share of units under 3 words and of
units ending mid-sentence (with , : — or a conjunction); the share of paragraphs with markup
left in (``**``, ``[[``, ``<!--``, callout headers, list markers, heading marks ...); the share
of relations that cross paragraphs; questions answered (a question unit with an ``answers``
relation into it) out of all question units; the speakers found. ``--old`` runs an older
GraphMind (a git worktree) on the same files for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmind.evaluate import _conjunctions, is_fragment  # noqa: E402

DEFAULT_PATHS = [ROOT / "tests" / "fixtures" / "notes", ROOT / "examples"]
MARKUP = re.compile(r"\*\*|__|\[\[|\]\]|\]\(|\[\^|\[!|<!--|-->|UID:|nexus_|```|^\s*(?:>|#{1,6}\s|[-*+]\s|\d+\.\s)",
                    re.M)


def extraction(path: Path, worktree: Path | None) -> dict:
    code = ROOT if worktree is None else worktree
    out = subprocess.run([sys.executable, "-m", "graphmind.cli", "extract", str(path.resolve()), "--format", "json"],
                         capture_output=True, text=True, cwd=code, env={"PYTHONPATH": str(code), "PATH": "/usr/bin"})
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def figures(d: dict) -> dict:
    par_of = {u["id"]: u["paragraph_id"] for u in d["units"]}
    lang_of = {p["id"]: p["lang"] for p in d["paragraphs"]}
    units = d["units"]
    args = [r for r in d["relations"] if r["type"] != "defines"]
    questions = [u for u in units if u["type"] == "question"]
    answered = {r["target"] for r in args if r["type"] == "answers"}
    return {
        "documents": len(d["documents"]),
        "paragraphs": len(d["paragraphs"]),
        "units": len(units),
        "relations": len(args),
        "units under 3 words": sum(len(u["text"].split()) < 3 for u in units) / max(1, len(units)),
        "units ending mid-sentence": sum(is_fragment(u["text"], _conjunctions(lang_of[u["paragraph_id"]]))
                                         for u in units) / max(1, len(units)),
        "paragraphs with markup left in": sum(bool(MARKUP.search(p["text"])) for p in d["paragraphs"])
        / max(1, len(d["paragraphs"])),
        "relations crossing paragraphs": sum(par_of.get(r["source"]) != par_of.get(r["target"]) for r in args)
        / max(1, len(args)),
        "questions answered": f"{sum(q['id'] in answered for q in questions)} of {len(questions)}",
        "speakers": ", ".join(sorted({p.get("speaker") for p in d["paragraphs"] if p.get("speaker")})) or "–",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    ap.add_argument("--old", type=Path, default=None, help="a git worktree of an older GraphMind to compare")
    args = ap.parse_args(argv)
    runs = [("current", None)] + ([("old", args.old)] if args.old else [])
    rows = {}
    for path in args.paths:
        for name, tree in runs:
            rows[(path.name, name)] = figures(extraction(path, tree))
    keys = list(next(iter(rows.values())))
    cols = list(rows)
    print("| | " + " | ".join(f"{p} ({n})" for p, n in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for k in keys:
        cells = [f"{rows[c][k]:.3f}" if isinstance(rows[c][k], float) else str(rows[c][k]) for c in cols]
        print(f"| {k} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
