"""Fit the word-level metaphor model of the image finder on the project's own data.

    python scripts/fit_metaphor.py [--langs en,ru] [--cv 5]      (make metaphor-weights)

Reads ``corpus/metaphor-train.<lang>.jsonl`` (sentences written for GraphMind, target words
labelled metaphorical or literal by the Metaphor Identification Procedure) and
``corpus/metaphor-marks.<lang>.jsonl`` (clauses of our corpus, the word an earlier model marked
labelled by hand) — never benchmark gold — and writes ``graphmind/lang/<lang>/metaphor.json``: a
logistic regression over ``graphmind.extract.images.LEXICAL_FEATURES`` (L2-regularised, fitted
by Newton's method in numpy, deterministic: the same data give the same bytes) and the
probability above which a word is read as a metaphor (the threshold with the best accuracy out
of fold over both sets among those whose marks on real prose are right at least half the time;
none such: the model is written switched off). ``--cv K`` prints K-fold figures instead of writing: accuracy over every
target of the written sentences, and precision on the marked words of real prose.
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
#: what the model is fitted on: sentences written with labelled targets, and the words an earlier
#: model marked in clauses of corpus/<lang>.jsonl, labelled by hand (real prose, mostly literal)
SETS = ("metaphor-train", "metaphor-marks")
#: a language gets a word-level model only if its marks on real prose are right at least this
#: often out of fold (a mark more often right than wrong); otherwise the model is written switched
#: off (threshold null) and the constructions alone read images
PRECISION_MIN = 0.5
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


def rows_of(lang: str, left: list | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows and labels of every set (``SETS``) of a language, and which set each row is from."""
    X, y, src = [], [], []
    for i, name in enumerate(SETS):
        Xi, yi = target_rows(ROOT / "corpus" / f"{name}.{lang}.jsonl", lang, left if i == 0 else None)
        X.append(Xi)
        y.append(yi)
        src.append(np.full(len(yi), i))
    return np.vstack(X), np.concatenate(y), np.concatenate(src)


def choose_threshold(p: np.ndarray, y: np.ndarray, src: np.ndarray) -> float | None:
    """The most accurate threshold over both sets among those whose marks on real prose are
    right at least ``PRECISION_MIN`` of the time (out of fold); None when no threshold is."""
    marks = src == 1
    ok = [t for t in THRESHOLDS if (p[marks] >= t).any() and y[marks][p[marks] >= t].mean() >= PRECISION_MIN]
    if not ok:
        return None
    return max((float(np.mean((p >= t) == (y == 1))), -abs(t - 0.5), t) for t in ok)[2]


def model(lang: str) -> dict:
    X, y, src = rows_of(lang)
    threshold = choose_threshold(out_of_fold(X, y, 5), y, src)
    w = fit(X, y)
    files = []
    for name in SETS:
        path = ROOT / "corpus" / f"{name}.{lang}.jsonl"
        files.append({"file": path.relative_to(ROOT).as_posix(), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    return {"format": FORMAT, "lang": lang, "threshold": threshold,
            "features": {name: round(float(v), 6) for name, v in zip(LEXICAL_FEATURES, w)},
            "trained_on": {"files": files, "targets": int(len(y)), "metaphorical": int(y.sum())}}


def report(lang: str, k: int, l2: float) -> None:
    """K-fold figures: accuracy over every target of the training sentences (a target on no
    candidate word reads literal) and precision of the marks on the marked words of our corpus."""
    left: list[bool] = []
    X, y, src = rows_of(lang, left)
    p = out_of_fold(X, y, k, l2)
    t = choose_threshold(p, y, src)
    if t is None:
        print(f"{lang}: no threshold marks real prose with precision >= {PRECISION_MIN}: no word-level model")
        return
    pred = p >= t
    train = src == 0
    right = int(np.sum(pred[train] == (y[train] == 1))) + sum(not m for m in left)
    marks = src == 1
    hit = pred & marks
    print(f"{lang}: threshold {t}; {k}-fold accuracy over all {int(train.sum()) + len(left)} targets of "
          f"metaphor-train {right / (int(train.sum()) + len(left)):.3f}; precision on the corpus's marked words "
          f"{float(y[hit].mean()) if hit.any() else 0:.3f} ({int(hit.sum())} of {int(marks.sum())} kept, "
          f"{int(y[marks].sum())} metaphorical)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--langs", default="en,ru")
    ap.add_argument("--cv", type=int, default=0, help="print K-fold accuracy instead of writing the weights")
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--out-dir", default=None,
                    help="write <lang>/metaphor.json under this folder (default: graphmind/lang, the shipped models)")
    args = ap.parse_args(argv)
    for lang in args.langs.split(","):
        if args.cv:
            report(lang, args.cv, args.l2)
            continue
        out = Path(args.out_dir or ROOT / "graphmind" / "lang") / lang / "metaphor.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(model(lang), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
