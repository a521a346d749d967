"""Choose the image finder's thresholds on the project's own data (never on benchmark gold).

    python scripts/choose_image_thresholds.py [--langs en,ru]

For each language, every combination of the thresholds in ``GRID`` is scored on two sets that
belong to GraphMind:
- ``corpus/metaphor-dev.<lang>.jsonl``: our own sentences, each with one target word labelled
  metaphorical or literal — word-level accuracy (is the target marked as an image exactly when
  it is metaphorical?);
- ``corpus/<lang>.jsonl``: the annotated corpus — F1 of "the unit has a copular or simile
  image" against the units typed ``metaphor`` (on the gold units).
The score is their sum; among equal sums the one whose images of any construction are most
often in metaphor or analogy units of the corpus wins (fewer images in literal units), then the
first in grid order. It prints the best ones; copy the winner into ``IMAGE_THRESHOLDS`` of
``graphmind/lang/<lang>``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmind.corpus import read_gold  # noqa: E402
from graphmind.extract.cues import compile_cues  # noqa: E402
from graphmind.extract.features import UnitInfo, describe  # noqa: E402
from graphmind.extract.images import Finder, lexicon  # noqa: E402
from graphmind.train import Featurizer  # noqa: E402

GRID = {
    "abstract": (0.2, 0.3, 0.4),
    "source": (0.6, 0.7, 0.8, 0.9),
    "verb": (0.6, 0.7, 0.8, 0.9),
    "verb_usual": (0.0, 0.3, 0.5),  # English only: how physical the verb's usual senses must be
}
STRONG = {"copular", "simile"}


def dev_items(lang: str) -> list[tuple[str, dict, list]]:
    cues = compile_cues(lang)
    out = []
    for line in (ROOT / "corpus" / f"metaphor-dev.{lang}.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        info = UnitInfo(0, len(r["text"]), 0, True, 0)
        describe(r["text"], [info], cues)
        out.append((r["text"], info.found, r["targets"]))
    return out


def corpus_units(lang: str) -> list[tuple[str, UnitInfo, bool]]:
    featurize = Featurizer()
    out = []
    for r in read_gold([ROOT / "corpus" / f"{lang}.jsonl"]):
        units, infos, _, _ = featurize(r)
        out.extend((r["text"], info, u.get("type") == "metaphor", u.get("type") in ("metaphor", "analogy"))
                   for u, info in zip(units, infos))
    return out


def score(finder: Finder, dev, units) -> tuple[float, float, float]:
    ok = total = 0
    for text, found, targets in dev:
        spans = finder.find(text, 0, len(text), found)
        for t in targets:
            hit = any(a < t["end"] and t["start"] < b for a, b, _ in spans)
            ok += hit == bool(t["metaphor"])
            total += 1
    tp = fp = fn = any_hit = any_all = 0
    for text, info, gold, figurative in units:
        found = finder.find(text, info.start, info.end, info.found)
        pred = any(k in STRONG for *_, k in found)
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        any_all += bool(found)
        any_hit += bool(found) and figurative
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return ok / total, f1, any_hit / any_all if any_all else 0.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--langs", default="en,ru")
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        lex = lexicon(lang)
        dev, units = dev_items(lang), corpus_units(lang)
        keys = [k for k in GRID if lang == "en" or k != "verb_usual"]
        rows = []
        for values in itertools.product(*(GRID[k] for k in keys)):
            thresholds = dict(zip(keys, values))
            acc, f1, precision = score(Finder(lex, thresholds), dev, units)
            rows.append((round(acc + f1, 9), round(precision, 9), acc, f1, thresholds))
        best = max(rows, key=lambda r: r[:2])  # max keeps the first of equal scores
        current = score(Finder(lex), dev, units)
        print(f"{lang}: shipped {lex.thresholds}: dev accuracy {current[0]:.3f}, corpus F1 {current[1]:.3f}, "
              f"images in figurative units {current[2]:.3f}")
        for total, precision, acc, f1, th in sorted(rows, key=lambda r: (-r[0], -r[1]))[:5]:
            print(f"  {total:.3f}  dev accuracy {acc:.3f}  corpus F1 {f1:.3f}  images in figurative units "
                  f"{precision:.3f}  {th}")
        print(f"  best: {best[4]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
