"""Fit the word-level metaphor model of the image finder on the project's own sentences.

    python scripts/fit_metaphor.py [--langs en,ru] [--cv 5]      (make metaphor-weights)

Reads ``corpus/metaphor-train.<lang>.jsonl`` (sentences written and annotated for GraphMind,
each with target words labelled metaphorical or literal by the Metaphor Identification
Procedure; never benchmark gold) and writes ``graphmind/lang/<lang>/metaphor.json``: a logistic
regression over ``graphmind.extract.images.LEXICAL_FEATURES`` (L2-regularised, fitted by
Newton's method in numpy, deterministic: the same sentences give the same bytes) and the
probability above which a word is read as a metaphor (the threshold with the best accuracy
out of fold). ``--cv K`` prints K-fold accuracy instead of writing, to compare settings;
``--dev`` also scores ``corpus/metaphor-dev.<lang>.jsonl`` (our held-out sentences).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphmind.extract.cues import compile_cues  # noqa: E402
from graphmind.extract.features import UnitInfo, describe  # noqa: E402
from graphmind.extract.images import LEXICAL_FEATURES, MetaphorModel, finder, lexical_rows  # noqa: E402

FORMAT = MetaphorModel.FORMAT
L2 = 1.0
THRESHOLDS = [round(x, 2) for x in np.arange(0.30, 0.71, 0.05)]


def target_rows(path: Path, lang: str, left: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One row per target that falls on a candidate word (its first), and its label; the labels
    of the other targets (never read as metaphors) are appended to ``left``."""
    cues = compile_cues(lang)
    f = finder(lang)
    X, y = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        text = r["text"]
        info = UnitInfo(0, len(text), 0, True, 0)
        describe(text, [info], cues)
        toks, marks = f.constructions(text, 0, len(text), info.found)
        rows = lexical_rows(f, toks, marks)
        for t in r["targets"]:
            hit = next((row for k, row in rows if toks[k].start < t["end"] and t["start"] < toks[k].end), None)
            if hit is not None:
                X.append(hit)
                y.append(1.0 if t["metaphor"] else 0.0)
            elif left is not None:
                left.append(bool(t["metaphor"]))
    return np.array(X, dtype=float), np.array(y)


def fit(X: np.ndarray, y: np.ndarray, l2: float = L2, iters: int = 50) -> np.ndarray:
    """L2-regularised logistic regression (the bias not penalised), Newton's method."""
    w = np.zeros(X.shape[1])
    pen = np.full(X.shape[1], l2)
    pen[LEXICAL_FEATURES.index("bias")] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (p - y) + pen * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return w


def folds(n: int, k: int) -> list[np.ndarray]:
    return [np.arange(n)[i::k] for i in range(k)]


def out_of_fold(X: np.ndarray, y: np.ndarray, k: int, l2: float = L2) -> np.ndarray:
    p = np.zeros(len(y))
    for test in folds(len(y), k):
        train = np.setdiff1d(np.arange(len(y)), test)
        w = fit(X[train], y[train], l2)
        p[test] = 1.0 / (1.0 + np.exp(-(X[test] @ w)))
    return p


def best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best accuracy (ties: the one nearest 0.5)."""
    scored = [(float(np.mean((p >= t) == (y == 1))), -abs(t - 0.5), t) for t in THRESHOLDS]
    return max(scored)[2]


def model(lang: str, path: Path) -> dict:
    X, y = target_rows(path, lang)
    threshold = best_threshold(out_of_fold(X, y, 5), y)
    w = fit(X, y)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"format": FORMAT, "lang": lang, "threshold": threshold,
            "features": {name: round(float(v), 6) for name, v in zip(LEXICAL_FEATURES, w)},
            "trained_on": {"file": path.relative_to(ROOT).as_posix(), "sha256": digest, "targets": int(len(y)),
                           "metaphorical": int(y.sum())}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--cv", type=int, default=0, help="print K-fold accuracy instead of writing the weights")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--dev", action="store_true", help="also score corpus/metaphor-dev.<lang>.jsonl")
    ap.add_argument("--out-dir", default=None,
                    help="write <lang>/metaphor.json under this folder (default: graphmind/lang, the shipped models)")
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        path = ROOT / "corpus" / f"metaphor-train.{lang}.jsonl"
        if args.cv:
            left: list[bool] = []
            X, y = target_rows(path, lang, left)
            p = out_of_fold(X, y, args.cv, args.l2)
            t = best_threshold(p, y)
            right = int(np.sum((p >= t) == (y == 1))) + sum(not m for m in left)
            print(f"{lang}: {len(y)} candidate targets ({int(y.sum())} metaphorical), {args.cv}-fold accuracy "
                  f"{float(np.mean((p >= t) == (y == 1))):.3f} at {t}; over all {len(y) + len(left)} targets "
                  f"(the {len(left)} others read literal): {right / (len(y) + len(left)):.3f}")
            if args.dev:
                w = fit(X, y, args.l2)
                Xd, yd = target_rows(ROOT / "corpus" / f"metaphor-dev.{lang}.jsonl", lang)
                pd = 1.0 / (1.0 + np.exp(-(Xd @ w)))
                print(f"  dev: {len(yd)} targets, accuracy {float(np.mean((pd >= t) == (yd == 1))):.3f} at {t}")
            continue
        out = Path(args.out_dir or ROOT / "graphmind" / "lang") / lang / "metaphor.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(model(lang, path), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
