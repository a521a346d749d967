"""Fitting the parser's weights from gold annotations (``graphmind train``, ``make train``).

Every model is a conditional log-linear model — a softmax over a group of candidates (the
units of a paragraph for the central claim, the other units for an attachment, {yes, no}
for the binary models, the type classes for the type model) — fitted with L2 regularisation
by L-BFGS in numpy. The features of a gold unit are made by exactly the code that makes them
at extraction time (``graphmind.extract.rules.analyse_units``) on the gold spans.

Attachment, the central claim and the role are also scored by gradient-boosted trees
(scikit-learn's histogram gradient boosting, fitted on one thread with fixed settings,
``TREES``) over the pair features and the features of both units (for the central claim and
the role: the unit's features), which see how features combine where a log-linear model
cannot; the trees are written into the weights as data (``graphmind.extract.trees``) and the
parser reads them with numpy alone. The settings were chosen by 5-fold cross-validation on the corpus.

Fitting is deterministic: the same corpus and the same code give byte-identical weights
(rounded to 6 decimals, keys sorted); the file records the corpus files and their hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from .corpus import read_gold
from .exceptions import InputError
from .extract.cues import compile_cues
from .extract.features import PAIR_FEATURES, UNIT_FEATURES, UnitInfo
from .extract.morph import morphology
from .extract.rules import RuleExtractor, analyse_units, parse
from .extract.scorer import (DEFAULT_COMBINE, FORMAT, TREE_FEATURES, TYPE_CLASSES, Weights, _sigmoid, _softmax, logit, tree_rows,
                             with_central)
from .extract.trees import forest_dict
from .extract.segment import Span, sentences

REGULARISATION = {"central": 1.0, "attach": 1.0, "function": 1.0, "role": 1.0, "types": 1.0}
CENTRAL_TREES = True
ROLE_TREES = True
#: the attachment trees (None: the log-linear attachment model alone)
TREES: dict | None = {"max_iter": 100, "learning_rate": 0.1, "max_leaf_nodes": 15, "l2_regularization": 1.0}
TYPE_OF = {"metaphor": "metaphor", "definition": "definition", "example": "example", "analogy": "analogy",
           "claim": "argument", "premise": "argument", "conclusion": "argument"}


# -- the optimiser -------------------------------------------------------------------------
def fit_groups(rows: np.ndarray, groups: np.ndarray, gold: np.ndarray, reg: float, iters: int = 400) -> np.ndarray:
    """Weights minimising the negative log-likelihood of a softmax within each group plus
    ``reg/2 * |w|^2``. ``rows`` (N, d); ``groups`` (N,) sorted group ids; ``gold`` (N,) 1 on
    the gold row of each group."""
    if len(rows) == 0:
        return np.zeros(rows.shape[1])
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    gold_rows = rows[gold.astype(bool)].sum(axis=0)

    def f(w):
        z = rows @ w
        zmax = np.maximum.reduceat(z, starts)
        zs = z - np.repeat(zmax, np.diff(np.r_[starts, len(z)]))
        e = np.exp(zs)
        sums = np.add.reduceat(e, starts)
        lse = np.log(sums) + zmax
        p = e / np.repeat(sums, np.diff(np.r_[starts, len(z)]))
        loss = lse.sum() - gold_rows @ w + 0.5 * reg * (w @ w)
        grad = rows.T @ p - gold_rows + reg * w
        return loss, grad

    return _lbfgs(f, np.zeros(rows.shape[1]), iters)


def _lbfgs(f, x, iters: int, m: int = 10, tol: float = 1e-7) -> np.ndarray:
    loss, g = f(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(iters):
        q = g.copy()
        alphas = []
        for s, y in zip(reversed(s_hist), reversed(y_hist)):
            a = (s @ q) / (y @ s)
            alphas.append(a)
            q -= a * y
        if s_hist:
            q *= (s_hist[-1] @ y_hist[-1]) / (y_hist[-1] @ y_hist[-1])
        for (s, y), a in zip(zip(s_hist, y_hist), reversed(alphas)):
            b = (y @ q) / (y @ s)
            q += s * (a - b)
        d = -q
        step, gd = 1.0, g @ d
        if gd >= 0:
            d, gd = -g, -(g @ g)
        while True:
            x_new = x + step * d
            loss_new, g_new = f(x_new)
            if loss_new <= loss + 1e-4 * step * gd or step < 1e-10:
                break
            step *= 0.5
        s, y = x_new - x, g_new - g
        x, g = x_new, g_new
        if abs(loss - loss_new) < tol * max(1.0, abs(loss)):
            break
        loss = loss_new
        if s @ y > 1e-12:
            s_hist.append(s)
            y_hist.append(y)
            if len(s_hist) > m:
                s_hist.pop(0)
                y_hist.pop(0)
    return x


# -- from gold records to training rows ------------------------------------------------------
class Featurizer:
    """Gold record -> (unit infos, unit features, pair features), with the extractor's code."""

    def __init__(self):
        self.extractor = RuleExtractor(trained=False)
        self._memo: dict = {}

    def __call__(self, item: dict):
        key = (item.get("lang"), item.get("id"), item["text"])
        if key not in self._memo:
            self._memo[key] = self._features(item)
        units, infos, X, P = self._memo[key]
        return units, infos, X, P.copy()

    def _features(self, item: dict):
        text = item["text"]
        lang = item.get("lang", "en") if item.get("lang") in ("en", "ru") else "en"
        (sents, toks), = self.extractor._analyses([text], lang)
        cues = compile_cues(lang)
        sent_spans = sentences(text, sents, cues)
        units = [u for u in item["units"] if not u.get("implicit")]
        spans, seen_sentences = [], set()
        for u in units:
            si = next((k for k, (a, b, _) in enumerate(sent_spans) if a <= u["start"] < b), len(sent_spans) - 1)
            first = si not in seen_sentences
            seen_sentences.add(si)
            spans.append(Span(u["start"], u["end"], si, first, text.count("\n", 0, u["start"])))
        infos, X, P = analyse_units(text, spans, toks, cues, morphology(lang))
        return units, infos, X, P


def training_rows(records: list[dict], featurize: Featurizer | None = None, central_weights=None,
                  role_weights=None) -> dict:
    """The training rows of every model from gold records. ``central_weights`` /
    ``role_weights``: fitted central-claim and role weights, whose predictions fill the
    attachment features that depend on them."""
    featurize = featurize or Featurizer()
    rows = defaultdict(lambda: ([], [], []))  # model -> (rows, groups, gold)
    group = defaultdict(int)
    d_unit = len(UNIT_FEATURES)
    k_types = len(TYPE_CLASSES)

    def add(model, candidates, gold_index):
        r, g, y = rows[model]
        gid = group[model]
        group[model] += 1
        for k, vec in enumerate(candidates):
            r.append(vec)
            g.append(gid)
            y.append(1.0 if k == gold_index else 0.0)

    for item in records:
        units, infos, X, P = featurize(item)
        n = len(units)
        full = None
        if central_weights is not None and n > 1:
            with_central(P, _softmax(X @ central_weights),
                         None if role_weights is None else _sigmoid(X @ role_weights))
            full = tree_rows(X, P)  # the trees' rows: the pair and both units
        index = {u["id"]: k for k, u in enumerate(units)}
        parent = {r["source"]: r for r in item["relations"]}
        central = [k for k, u in enumerate(units) if u.get("central")]
        if len(central) != 1:
            continue
        if n > 1:
            add("central", list(X), central[0])
        zero_u = np.zeros(d_unit)
        for k, u in enumerate(units):
            add("role", [X[k], zero_u], 0 if u.get("stance") == "opp" else 1)
            t = TYPE_OF.get(u.get("type", ""))
            if t is not None and not infos[k].question:
                blocks = []
                for c in range(1, k_types):
                    v = np.zeros(d_unit * (k_types - 1))
                    v[(c - 1) * d_unit:c * d_unit] = X[k]
                    blocks.append(v)
                add("types", [np.zeros(d_unit * (k_types - 1))] + blocks, TYPE_CLASSES.index(t))
            rel = parent.get(u["id"])
            if rel is None or k == central[0]:
                continue
            target = index.get(rel.get("target_unit"))
            if target is None or target == k:
                continue
            add("function", [X[k], zero_u], 0 if rel.get("coarse") == "attack" else 1)
            others = [j for j in range(n) if j != k]
            add("attach", [P[k, j] for j in others], others.index(target))
            if full is not None:
                add("attach_trees", [full[k, j] for j in others], others.index(target))
    return {m: (np.array(r), np.array(g), np.array(y)) for m, (r, g, y) in rows.items()}


CALIBRATION_FOLDS = 5


def fit(records: list[dict], featurize: Featurizer | None = None, combine: dict | None = None,
        calibrate: bool = True) -> dict:
    """Weights (the JSON-able dict) fitted on gold records; with ``calibrate``, also the
    scaling that makes relation confidences calibrated (``calibration``)."""
    featurize = featurize or Featurizer()
    data = training_rows(records, featurize)
    w_central = fit_groups(*data["central"], reg=REGULARISATION["central"]) if "central" in data else None
    w_role = fit_groups(*data["role"], reg=REGULARISATION["role"]) if "role" in data else None
    if w_central is not None:  # the features that use the central and role models' predictions
        stacked = training_rows(records, featurize, w_central, w_role)
        data["attach"] = stacked["attach"]
        if "attach_trees" in stacked:
            data["attach_trees"] = stacked["attach_trees"]
    out: dict = {"format": FORMAT}
    names = {"central": UNIT_FEATURES, "function": UNIT_FEATURES, "role": UNIT_FEATURES, "attach": PAIR_FEATURES}
    for model, feats in names.items():
        if model not in data:
            out[model] = {}
            continue
        w = {"central": w_central, "role": w_role}.get(model)
        if w is None:
            w = fit_groups(*data[model], reg=REGULARISATION[model])
        out[model] = _named(w, feats)
    types = {}
    if "types" in data:
        w = fit_groups(*data["types"], reg=REGULARISATION["types"])
        d = len(UNIT_FEATURES)
        for c, name in enumerate(TYPE_CLASSES[1:]):
            types[name] = _named(w[c * d:(c + 1) * d], UNIT_FEATURES)
    out["types"] = types
    out["combine"] = dict(combine or DEFAULT_COMBINE)
    if TREES is not None and "attach_trees" in data:
        out["attach_trees"] = fit_trees(*data["attach_trees"])
    if TREES is not None and CENTRAL_TREES and "central" in data:
        out["central_trees"] = fit_trees(*data["central"], names=UNIT_FEATURES)
    if TREES is not None and ROLE_TREES and "role" in data:
        rows, groups, gold = data["role"]  # pairs of rows: the unit, then a blank; gold on the first: opponent
        out["role_trees"] = fit_trees(rows[0::2], groups[0::2], gold[0::2], names=UNIT_FEATURES)
    if calibrate:
        out["calibration"] = calibration(records, featurize, combine)
    return out


def calibration(records: list[dict], featurize: Featurizer, combine: dict | None = None) -> dict:
    """Platt scaling of relation confidence: the parser is fitted on all folds of ``records``
    but one and parses the gold units of the one left out; a logistic regression of "the
    relation is in the gold" on the log-odds of each relation's confidence gives ``scale``
    and ``shift``. Fitted models are surer of their training texts than of new ones, so
    confidences are scaled by what they do on texts they did not see. {} with too few
    documents for folds."""
    folds = [f for f in folds_by_document(records, CALIBRATION_FOLDS) if f]
    if len(folds) < CALIBRATION_FOLDS:
        return {}
    z, right = [], []
    for i, held in enumerate(folds):
        rest = [r for j, f in enumerate(folds) if j != i for r in f]
        weights = Weights.from_dict(fit(rest, featurize, combine, calibrate=False))
        for item in held:
            units, infos, X, P = featurize(item)
            if len(units) < 2:
                continue
            index = {u["id"]: k for k, u in enumerate(units)}
            gold = {(index[r["source"]], index[r["target_unit"]], r["coarse"]) for r in item["relations"]
                    if r["coarse"] in ("support", "attack") and r["source"] in index and r.get("target_unit") in index}
            parsed = parse(infos, X, P, weights)
            for k, p in enumerate(parsed.parent):
                if p >= 0:
                    z.append(float(logit(np.array(parsed.rel_conf[k]))))
                    right.append((k, p, "attack" if parsed.attack[k] else "support") in gold)
    rows = np.column_stack([z, np.ones(len(z))])
    # a logistic regression as a softmax over {right, wrong}: rows of the "wrong" choice are zero
    both = np.zeros((2 * len(z), 2))
    both[0::2] = rows
    gold = np.zeros(2 * len(z))
    gold[0::2] = np.array(right, dtype=float)
    gold[1::2] = 1 - gold[0::2]
    scale, shift = fit_groups(both, np.repeat(np.arange(len(z)), 2), gold, reg=1e-3)
    return {"scale": round(float(scale), 6), "shift": round(float(shift), 6)}


def fit_trees(rows: np.ndarray, groups: np.ndarray, gold: np.ndarray, names: list[str] = TREE_FEATURES) -> dict:
    """Gradient-boosted trees telling the gold candidate of each group from the others
    (binary, every candidate a row), as data (``forest_dict``)."""
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits
    except ImportError:
        raise InputError("training the attachment trees needs scikit-learn: run `make install` "
                         "(or pip install scikit-learn)") from None
    model = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **TREES)
    with threadpool_limits(1):  # one thread: sums in one order, the same trees on every machine
        model.fit(rows, gold.astype(int))
    return forest_dict(model, names)


def _named(w: np.ndarray, names: list[str]) -> dict:
    return {n: round(float(v), 6) for n, v in zip(names, w) if round(float(v), 6) != 0.0}


def corpus_digest(paths: list[Path]) -> list[dict]:
    return [{"file": p.as_posix(), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for p in paths]


def train_files(paths: list[str | Path], lang: str | None = None, combine: dict | None = None) -> dict:
    """Fit weights on the records of the given gold files (only ``lang`` when given)."""
    paths = [Path(p) for p in paths]
    records = [r for r in read_gold(paths) if lang is None or r.get("lang") == lang]
    if not records:
        raise InputError(f"no gold records{' in ' + lang if lang else ''} in {', '.join(map(str, paths))}; "
                         f"give JSONL files in the microtext schema (see corpus/GUIDELINES.md)")
    weights = fit(records, combine=combine)
    weights["trained_on"] = {"records": len(records), "lang": lang or "all", "corpus": corpus_digest(paths)}
    return weights


def dumps(weights: dict) -> str:
    return json.dumps(weights, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def folds_by_document(records: list[dict], k: int = 5) -> list[list[dict]]:
    """``k`` folds with no document in two of them (documents dealt out in a fixed order)."""
    docs = sorted({r.get("document") or r.get("id") for r in records},
                  key=lambda d: hashlib.sha256(str(d).encode()).hexdigest())
    fold_of = {d: i % k for i, d in enumerate(docs)}
    out: list[list[dict]] = [[] for _ in range(k)]
    for r in records:
        out[fold_of[r.get("document") or r.get("id")]].append(r)
    return out


def cross_validate(records: list[dict], k: int = 5, combine: dict | None = None, progress=None) -> dict:
    """Figures of the parser fitted on k-1 folds and scored on the held-out fold, summed over
    folds (per language)."""
    from .evaluate import Tally, score_argument, _conjunctions
    from .extract.scorer import Weights

    featurize = Featurizer()
    tallies: dict[str, Tally] = defaultdict(Tally)
    folds = folds_by_document(records, k)
    for i, held in enumerate(folds):
        train = [r for j, f in enumerate(folds) if j != i for r in f]
        weights = Weights.from_dict(fit(train, featurize, combine), f"fold {i + 1}")
        extractor = RuleExtractor(trained=False, weights=weights)
        for item in held:
            _, units, relations = extractor.parse_text(item["text"], lang=item.get("lang", "en"))
            score_argument(tallies[item.get("lang", "en")], item, units, relations, _conjunctions(item.get("lang")))
        if progress is not None:
            progress.update(1)
    return {lang: t.result() for lang, t in sorted(tallies.items())}


SHIPPED = Path(__file__).resolve().parent / "lang" / "weights.json"


def main(argv: list[str] | None = None) -> int:
    """``python -m graphmind.train [--out FILE] GOLD...`` (``make train``): fit on the project's
    corpus and write the weights GraphMind ships (default ``graphmind/lang/weights.json``)."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--out", default=str(SHIPPED))
    args = ap.parse_args(argv)
    root = Path.cwd()
    paths = [Path(p) for p in args.gold]
    weights = train_files(paths)
    # record the corpus relative to the project, so the file does not depend on where it was made
    weights["trained_on"]["corpus"] = [
        {**c, "file": Path(c["file"]).resolve().relative_to(root).as_posix()
         if Path(c["file"]).resolve().is_relative_to(root) else Path(c["file"]).name}
        for c in weights["trained_on"]["corpus"]]
    Path(args.out).write_text(dumps(weights), encoding="utf-8")
    print(f"wrote {args.out} ({weights['trained_on']['records']} records)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
