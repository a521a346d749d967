"""Extraction quality, side by side: the parser, trivial baselines and (optionally) an older
version of GraphMind, on the gold microtexts (never fitted on), on the project's corpus, and on
the project's held-out real notes (``corpus/notes-heldout.*``, never fitted on).

    python benchmarks/extraction_quality.py [--shared ../shared/benchmarks] [--old WORKTREE] [--folds 5]

Every figure comes from ``graphmind.evaluate`` (the scorer behind ``graphmind eval``):
segmentation P/R/F1 (span Jaccard >= 0.5, one-to-one), central-claim accuracy, directed
support/attack relation P/R/F1 (targets projected to units). Rows:

- **parser**: the shipped weights (``graphmind/lang/weights.json``, fitted on ``corpus/``);
- **parser, 5-fold CV**: on the corpus, fitted on four folds and scored on the fifth (folds by
  document) — the honest figure for the corpus;
- **first central, all support it** / **chain**: our segmentation, then the first unit is the
  central claim and every other unit supports it / supports the unit before it;
- **old rules** (``--old``): an older GraphMind checked out with ``git worktree add DIR REV``,
  run in its own interpreter on the same texts and scored here.

The gold corpora are non-commercial (CC BY-NC-SA 4.0): read from ../shared, never copied.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmind import ids  # noqa: E402
from graphmind.corpus import read_gold  # noqa: E402
from graphmind.evaluate import evaluate  # noqa: E402
from graphmind.extract.rules import RuleExtractor  # noqa: E402
from graphmind.model import Relation  # noqa: E402
from graphmind.train import cross_validate  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared" / "benchmarks"
CORPUS = [ROOT / "corpus" / "en.jsonl", ROOT / "corpus" / "ru.jsonl"]
HELD_OUT = [ROOT / "corpus" / "notes-heldout.en.jsonl", ROOT / "corpus" / "notes-heldout.ru.jsonl"]


class Baseline:
    """Our segmentation, then a fixed structure: ``star`` (the first unit is central, every
    other unit supports it) or ``chain`` (every unit supports the one before it)."""

    def __init__(self, shape: str):
        self.shape = shape
        self.rules = RuleExtractor(trained=False)

    def parse_text(self, text, lang="auto", source=""):
        p, units, _ = self.rules.parse_text(text, lang, source)
        relations = []
        for k, u in enumerate(units):
            u.central = k == 0
            if k:
                target = units[0] if self.shape == "star" else units[k - 1]
                relations.append(Relation(ids.relation_id(u.id, target.id, "supports"), u.id, target.id,
                                          "supports", "support", "", 0.5))
        return p, units, relations


class Recorded:
    """Predictions made elsewhere (an older GraphMind), looked up by text."""

    def __init__(self, predictions: dict):
        self.predictions = predictions

    def parse_text(self, text, lang="auto", source=""):
        from graphmind.model import Unit

        got = self.predictions[text]
        units = [Unit(u["id"], "p", u["type"], u["text"], u["start"], u["end"], "", 0.5, u["central"])
                 for u in got["units"]]
        relations = [Relation(r["id"], r["source"], r["target"], r["type"], r["family"], "", 0.5)
                     for r in got["relations"]]
        return None, units, relations


_OLD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from graphmind.extract.rules import RuleExtractor
from graphmind.model import Paragraph
ex = RuleExtractor(trained=False)
out = {}
for line in sys.stdin:
    item = json.loads(line)
    p = Paragraph("p", "d", 0, item["text"], "", item["lang"])
    units, relations, _ = ex.analyse([p])
    out[item["text"]] = {"units": [u.__dict__ for u in units], "relations": [r.__dict__ for r in relations]}
json.dump(out, sys.stdout)
"""


def old_predictions(worktree: Path, records: list[dict]) -> dict:
    python = worktree / ".venv" / "bin" / "python"
    python = python if python.exists() else ROOT / ".venv" / "bin" / "python"
    feed = "".join(json.dumps({"text": r["text"], "lang": r["lang"]}, ensure_ascii=False) + "\n" for r in records)
    done = subprocess.run([str(python), "-c", _OLD, str(worktree)], input=feed, capture_output=True, text=True,
                          cwd=worktree, check=True)
    return json.loads(done.stdout)


def row(name: str, results: dict, langs=("en", "ru")) -> str:
    cells = []
    for lang in langs:
        r = results.get(lang)
        if not r:
            cells += ["–"] * 3
            continue
        cells += [f"{r['segmentation'][2]:.3f}", f"{r['central_accuracy']:.3f}", f"{r['relations'][2]:.3f}"]
    return f"| {name} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder with the gold files")
    ap.add_argument("--old", type=Path, default=None, help="a git worktree of an older GraphMind to compare")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    micro = [args.shared / f"microtexts.{lang}.jsonl" for lang in ("en", "ru")]
    for path in micro:
        if not path.exists():
            print(f"{path}: missing; pass --shared DIR with the gold corpora", file=sys.stderr)
            return 2
    gold = {"microtexts part 1": list(read_gold(micro)), "GraphMind corpus": list(read_gold(CORPUS)),
            "real notes, held out": list(read_gold(HELD_OUT))}
    head = ("| extractor | en seg F1 | en central | en rel F1 | ru seg F1 | ru central | ru rel F1 |\n"
            "|---|---|---|---|---|---|---|")
    for name, records in gold.items():
        print(f"\n### {name} ({len(records)} texts)\n\n{head}")
        if args.old:
            print(row("old greedy rules", evaluate(records, Recorded(old_predictions(args.old, records)))))
        print(row("baseline: first unit central, all support it", evaluate(records, Baseline("star"))))
        print(row("baseline: each unit supports the one before", evaluate(records, Baseline("chain"))))
        if name == "GraphMind corpus":
            print(row(f"parser, {args.folds}-fold CV by document", cross_validate(records, args.folds)))
        else:
            print(row("parser (shipped weights, never fitted on this)", evaluate(records, RuleExtractor(trained=False))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
