"""Score the rule-based extractor against the gold argumentative microtexts.

    python benchmarks/extraction_quality.py [--shared ../shared/benchmarks] [--langs en,ru]

Metrics, one table per language:
- unit segmentation F1: a predicted unit matches a gold unit when their character spans
  overlap with Jaccard >= 0.5 (one-to-one, best overlap first);
- central-claim accuracy: the predicted central unit matches the gold central claim;
- directed relation F1 on the support/attack family: a predicted relation is correct when
  its source and target match the gold relation's source and (unit-level) target and the
  family (support/attack) is the same. Gold relations are projected to units with
  ``target_unit`` (see the corpus README).

The corpora are non-commercial (CC BY-NC-SA 4.0): they are read from ../shared and never
copied into the package.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphmind.extract.rules import RuleExtractor  # noqa: E402
from graphmind.schema import load_schema  # noqa: E402

DEFAULT_SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def align(pred: list[tuple[int, int]], gold: list[tuple[int, int]], threshold: float = 0.5) -> dict[int, int]:
    """One-to-one alignment of predicted to gold spans, best overlap first."""
    pairs = sorted(
        ((jaccard(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p, used_g, out = set(), set(), {}
    for score, i, j in pairs:
        if score < threshold:
            break
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out[i] = j
    return out


def f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_file(path: Path, lang: str, extractor=None, limit: int | None = None) -> dict:
    """Score ``extractor`` (default: the rules, blank pipeline) on one gold file."""
    extractor = extractor or RuleExtractor(lang=lang, trained=False)
    families = {n: r.family for n, r in load_schema().relation_types.items()}
    seg_tp = seg_pred = seg_gold = 0
    rel_tp = rel_pred = rel_gold = 0
    central_ok = texts = 0
    for line in path.read_text(encoding="utf-8").splitlines()[:limit]:
        item = json.loads(line)
        gold_units = [u for u in item["units"] if not u.get("implicit")]
        gold_spans = [(u["start"], u["end"]) for u in gold_units]
        gold_index = {u["id"]: k for k, u in enumerate(gold_units)}
        ex = RuleExtractor.extract_text(extractor, item["text"], source=item["id"])
        units = ex.units
        pred_spans = [(u.start, u.end) for u in units]
        mapping = align(pred_spans, gold_spans)
        seg_tp += len(mapping)
        seg_pred += len(pred_spans)
        seg_gold += len(gold_spans)
        texts += 1
        central_pred = [k for k, u in enumerate(units) if u.central]
        central_gold = [k for k, u in enumerate(gold_units) if u["central"]]
        if central_pred and central_gold and mapping.get(central_pred[0]) == central_gold[0]:
            central_ok += 1
        gold_rel = {
            (gold_index[r["source"]], gold_index[r["target_unit"]], r["coarse"])
            for r in item["relations"]
            if r["source"] in gold_index and r["target_unit"] in gold_index
        }
        uidx = {u.id: k for k, u in enumerate(units)}
        pred_rel = set()
        for r in ex.relations:
            fam = families[r.type]
            if fam not in ("support", "attack") or r.source not in uidx or r.target not in uidx:
                continue
            s, t = mapping.get(uidx[r.source]), mapping.get(uidx[r.target])
            pred_rel.add((s, t, fam) if s is not None and t is not None else (r.id, None, fam))
        rel_tp += len(pred_rel & gold_rel)
        rel_pred += len(pred_rel)
        rel_gold += len(gold_rel)
    return {
        "texts": texts,
        "segmentation": f1(seg_tp, seg_pred, seg_gold),
        "central_accuracy": central_ok / texts if texts else 0.0,
        "relations": f1(rel_tp, rel_pred, rel_gold),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder with the gold files")
    ap.add_argument("--langs", default="en,ru")
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        path = args.shared / f"microtexts.{lang}.jsonl"
        if not path.exists():
            print(f"{path}: missing; pass --shared DIR with the gold corpora", file=sys.stderr)
            return 2
        res = score_file(path, lang)
        print(f"\n## microtexts.{lang}.jsonl ({res['texts']} texts)\n")
        print("| metric | precision | recall | F1 |")
        print("|---|---|---|---|")
        for name in ("segmentation", "relations"):
            p, r, f = res[name]
            print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")
        print(f"| central-claim accuracy | | | {res['central_accuracy']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
