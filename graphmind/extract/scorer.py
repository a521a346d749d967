"""Weights (data) x features -> probabilities, numpy only.

Five log-linear models, fitted by ``graphmind.train`` and kept as named weights in JSON
(``graphmind/lang/<code>/weights.json``):

- ``central``: which unit of a paragraph is its central claim (a softmax over its units);
- ``attach``: which unit a unit attaches to (a softmax over the paragraph's other units);
- ``function``: whether a unit attacks what it attaches to (logistic);
- ``role``: whether a unit voices the opponent (logistic);
- ``types``: the rhetorical type of a unit — argument, metaphor, definition, example,
  analogy (a softmax; "argument" is the reference class with weights zero).

``attach_trees`` (optional): gradient-boosted trees over the pair features and both units'
features that score attachment in place of the log-linear ``attach`` (``graphmind.extract.trees``);
``central_trees`` and ``role_trees`` (optional): trees over a unit's features for the central
claim and the role in the decoder's scores. The log-linear ``central`` and ``role`` models still
fill the pair features that depend on them, as in training.

``combine`` weighs the four argument models in the edge scores the decoder sees.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..exceptions import InputError
from .features import PAIR_FEATURES, PAIR_INDEX, UNIT_FEATURES, UNIT_INDEX
from .trees import Forest

FORMAT = "graphmind-parser-weights/1"
TYPE_CLASSES = ("argument", "metaphor", "definition", "example", "analogy")
MODELS = ("central", "attach", "function", "role")
DEFAULT_COMBINE = {"central": 1.0, "attach": 1.0, "function": 1.0, "role": 1.0}
_LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
#: what the attachment trees see of a pair: its pair features and the unit features of both ends
TREE_FEATURES = PAIR_FEATURES + [f"src.{n}" for n in UNIT_FEATURES] + [f"tgt.{n}" for n in UNIT_FEATURES]
TREE_INDEX = {n: i for i, n in enumerate(TREE_FEATURES)}
#: paragraphs with more units than this (long lists) are attached by the log-linear model: the
#: trees' cost grows with the square of the units, and almost every prose paragraph is smaller
TREE_MAX_UNITS = 16


def tree_rows(X: np.ndarray, P: np.ndarray) -> np.ndarray:
    """(n, n, len(TREE_FEATURES)): for each ordered pair (i, j), the pair features of "i
    attaches to j" followed by the unit features of i and of j."""
    n = X.shape[0]
    return np.concatenate([P, np.broadcast_to(X[:, None, :], (n, n, X.shape[1])),
                           np.broadcast_to(X[None, :, :], (n, n, X.shape[1]))], axis=2)


def _vector(named: dict, index: dict, what: str) -> np.ndarray:
    v = np.zeros(len(index))
    for name, value in named.items():
        if name not in index:
            raise InputError(f"weights: unknown {what} feature {name!r}; the weights file does not match "
                             f"this version of GraphMind (retrain with `graphmind train`)")
        v[index[name]] = value
    return v


@dataclass
class Weights:
    central: np.ndarray
    attach: np.ndarray
    function: np.ndarray
    role: np.ndarray
    types: np.ndarray  # (unit features, type classes); column 0 is zero
    combine: dict
    source: str = ""
    attach_trees: Forest | None = None  # when present, they score attachment instead of ``attach``
    central_trees: Forest | None = None  # when present, they score the root instead of ``central``
    role_trees: Forest | None = None  # when present, P(opponent) in the edge scores instead of ``role``
    calibration: dict | None = None  # {"scale", "shift"}: Platt scaling of relation confidences

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "Weights":
        if data.get("format") != FORMAT:
            raise InputError(f"{source or 'weights'}: not a GraphMind parser weights file (format {FORMAT} expected)")
        types = np.zeros((len(UNIT_FEATURES), len(TYPE_CLASSES)))
        for k, name in enumerate(TYPE_CLASSES[1:], 1):
            types[:, k] = _vector(data.get("types", {}).get(name, {}), UNIT_INDEX, "unit")
        return cls(
            central=_vector(data.get("central", {}), UNIT_INDEX, "unit"),
            attach=_vector(data.get("attach", {}), PAIR_INDEX, "pair"),
            function=_vector(data.get("function", {}), UNIT_INDEX, "unit"),
            role=_vector(data.get("role", {}), UNIT_INDEX, "unit"),
            types=types,
            combine={**DEFAULT_COMBINE, **data.get("combine", {})},
            source=source,
            attach_trees=Forest.from_dict(data["attach_trees"], TREE_INDEX, "attachment tree")
            if data.get("attach_trees") else None,
            central_trees=Forest.from_dict(data["central_trees"], UNIT_INDEX, "central-claim tree")
            if data.get("central_trees") else None,
            role_trees=Forest.from_dict(data["role_trees"], UNIT_INDEX, "role tree")
            if data.get("role_trees") else None,
            calibration=data.get("calibration") or None,
        )

    @classmethod
    def zeros(cls) -> "Weights":
        """Untrained weights: every choice equally likely."""
        return cls.from_dict({"format": FORMAT}, "untrained")


def load_weights(path: str | os.PathLike) -> Weights:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the weights ({exc.strerror}); check the path") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: the weights are not JSON ({exc.msg}); make them with `graphmind train`") from None
    return Weights.from_dict(data, str(path))


@lru_cache(maxsize=None)
def default_weights(lang: str) -> Weights:
    """The weights shipped with GraphMind: ``graphmind/lang/<lang>/weights.json`` when a language
    has its own, else ``graphmind/lang/weights.json`` (one model for both languages: its features
    are language-independent cue classes), else untrained."""
    for path in (_LANG_DIR / lang / "weights.json", _LANG_DIR / "weights.json"):
        if path.exists():
            return load_weights(path)
    return Weights.zeros()


def _softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def logit(p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """The log-odds of probabilities, kept finite at 0 and 1."""
    p = np.clip(p, eps, 1 - eps)
    return np.log(p) - np.log(1 - p)


@dataclass
class Scores:
    central: np.ndarray  # (n,) P(unit is the central claim)
    attach: np.ndarray  # (n, n) P(unit i attaches to unit j | i is not central)
    attack: np.ndarray  # (n,) P(unit's relation is an attack)
    opponent: np.ndarray  # (n,) P(unit voices the opponent)
    types: np.ndarray  # (n, len(TYPE_CLASSES))


def with_central(P: np.ndarray, central: np.ndarray, opponent: np.ndarray | None = None) -> np.ndarray:
    """The pair features that depend on the other models' predictions: how likely the target
    (and the source) is the central claim and, with ``opponent``, how likely each voices the
    opponent — whether their roles differ, and whether the target is the nearest earlier unit
    read as the opponent's (what an answer to an objection attaches to). Filled in place;
    returns ``P``."""
    n = len(central)
    P[..., PAIR_INDEX["t:cc"]] = central[None, :]
    P[..., PAIR_INDEX["s:cc"]] = central[:, None]
    best = np.zeros(n)
    best[int(np.argmax(central))] = 1.0
    P[..., PAIR_INDEX["t:cc_best"]] = best[None, :]
    if opponent is not None:
        p = opponent
        P[..., PAIR_INDEX["t:opp"]] = p[None, :]
        P[..., PAIR_INDEX["s:opp"]] = p[:, None]
        P[..., PAIR_INDEX["role_differs"]] = p[:, None] * (1 - p[None, :]) + (1 - p[:, None]) * p[None, :]
        nearest = np.zeros((n, n))
        last = -1
        for i in range(n):
            if last >= 0:
                nearest[i, last] = 1.0
            if p[i] > 0.5:
                last = i
        P[..., PAIR_INDEX["t:opp_nearest"]] = nearest
        P[..., PAIR_INDEX["s:pro>t:opp_nearest"]] = (1 - p)[:, None] * nearest
    idx = np.arange(n)
    P[idx, idx, :] = 0.0
    return P


def score(weights: Weights, X: np.ndarray, P: np.ndarray) -> Scores:
    n = X.shape[0]
    central = _softmax(X @ weights.central)
    opponent = _sigmoid(X @ weights.role)
    if n > 1:
        with_central(P, central, opponent)
        if weights.attach_trees is not None and n <= TREE_MAX_UNITS:
            logits = weights.attach_trees.decision(tree_rows(X, P).reshape(n * n, -1)).reshape(n, n)
        else:
            logits = P @ weights.attach
        logits[np.arange(n), np.arange(n)] = -np.inf
        attach = _softmax(logits, axis=1)
    else:
        attach = np.zeros((1, 1))
    if weights.central_trees is not None:
        central = _softmax(weights.central_trees.decision(X))
    if weights.role_trees is not None:
        opponent = _sigmoid(weights.role_trees.decision(X))
    return Scores(central, attach, _sigmoid(X @ weights.function), opponent,
                  _softmax(X @ weights.types, axis=1))


def edge_scores(weights: Weights, s: Scores) -> tuple[list[list[float]], list[float], list[list[bool]]]:
    """(edge, root, is_attack) for the decoder: ``edge[i][j]`` is the best score of "i attaches
    to j" over support and attack, ``is_attack[i][j]`` which of the two it is."""
    c = weights.combine
    eps = 1e-9
    n = len(s.central)
    p = s.opponent
    same = p[:, None] * p[None, :] + (1 - p[:, None]) * (1 - p[None, :])
    at = c["attach"] * np.log(s.attach + eps)
    sup = at + c["function"] * np.log(1 - s.attack + eps)[:, None] + c["role"] * np.log(same + eps)
    att = at + c["function"] * np.log(s.attack + eps)[:, None] + c["role"] * np.log(1 - same + eps)
    is_attack = att > sup
    edge = np.where(is_attack, att, sup)
    root = c["central"] * np.log(s.central + eps) + c["role"] * np.log(1 - p + eps)
    return edge.tolist(), root.tolist(), is_attack.tolist()
