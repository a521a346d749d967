"""Cross-validation on the corpus with the figures of some of its documents apart.

    python benchmarks/cv_by_part.py corpus/en.jsonl corpus/ru.jsonl --part lists

Folds by document as ``graphmind train --cv`` makes them (fitted without the confidence
calibration, which moves no decision); the records whose id holds ``-PART-`` (for example the
``*-lists-*`` paragraphs) are scored apart from the rest, so adding a kind of paragraph to the
corpus can be judged on the paragraphs that were there before.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from graphmind.corpus import read_gold
from graphmind.evaluate import Tally, _conjunctions, score_argument
from graphmind.extract.rules import RuleExtractor
from graphmind.extract.scorer import Weights
from graphmind.train import Featurizer, fit, folds_by_document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--part", action="append", default=[], help="score ids holding -PART- apart (repeatable)")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    records = list(read_gold(args.gold))
    featurize = Featurizer()
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    folds = folds_by_document(records, args.folds)
    for i, held in enumerate(folds):
        train = [r for j, f in enumerate(folds) if j != i for r in f]
        extractor = RuleExtractor(trained=False, weights=Weights.from_dict(fit(train, featurize, calibrate=False)))
        for item in held:
            _, units, relations = extractor.parse_text(item["text"], lang=item["lang"])
            part = next((p for p in args.part if f"-{p}-" in item["id"]), "rest")
            score_argument(tallies[(item["lang"], part)], item, units, relations, _conjunctions(item["lang"]))
        print(f"fold {i + 1}/{args.folds}", flush=True)
    print("| lang | part | texts | seg F1 | central | rel F1 |\n|---|---|---|---|---|---|")
    for (lang, part), t in sorted(tallies.items()):
        r = t.result()
        print(f"| {lang} | {part} | {r['texts']} | {r['segmentation'][2]:.3f} | {r['central_accuracy']:.3f} | "
              f"{r['relations'][2]:.3f} |")


if __name__ == "__main__":
    main()
