"""Boosted decision trees kept as data, evaluated with numpy.

``graphmind train`` fits gradient-boosted trees (scikit-learn's histogram boosting) where a
log-linear model cannot see how features combine — which unit a unit attaches to depends on
its distance *and* its cue *and* what the target is — and writes every tree into the weights
file as plain lists: the feature a node tests (by name), its threshold, its two children and,
at a leaf, its value. Reading the trees needs no scikit-learn: all trees are walked at once,
one level per step, over every row (``Forest.decision``).
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InputError

LEAF = -1


class Forest:
    """The trees, laid out to be evaluated without walking them (the bit-vector method of
    Lucchese et al.'s QuickScorer): a tree's leaves are numbered left to right, and each
    inner node holds the mask of the leaves still reachable when its test fails (all but
    those of its left subtree). A row reaches the leftmost leaf that the masks of all its
    failed tests leave set — so every test of every tree is made at once, one comparison
    per inner node, and each tree's exit leaf is read off an AND of masks, with no loop over
    depth."""

    MAX_LEAVES = 32

    def __init__(self, base: float, feature: np.ndarray, threshold: np.ndarray, mask: np.ndarray,
                 width: int, values: np.ndarray):
        self.base = base
        self.feature, self.threshold, self.mask = feature, threshold, mask  # (trees * width,)
        self.width = width  # inner nodes per tree
        self.values = values  # (trees, MAX_LEAVES): leaf values, left to right
        self.trees = np.arange(len(values))

    @classmethod
    def from_dict(cls, data: dict, index: dict[str, int], what: str) -> "Forest":
        names = data.get("features", [])
        unknown = [n for n in names if n not in index]
        if unknown:
            raise InputError(f"weights: unknown {what} feature {unknown[0]!r}; the weights file does not match "
                             f"this version of GraphMind (retrain with `graphmind train`)")
        columns = [index[n] for n in names]
        base = float(data.get("base", 0.0))
        feature, threshold, mask, starts, values = [], [], [], [], []
        for tree in data.get("trees", []):
            f, left, right, value = tree["feature"], tree["left"], tree["right"], tree["value"]
            leaves: list[int] = []  # node ids of the leaves, left to right
            below: dict[int, list[int]] = {}  # inner node -> leaf numbers of its left subtree

            def walk(k: int) -> list[int]:
                if f[k] == LEAF:
                    leaves.append(k)
                    return [len(leaves) - 1]
                on_left = walk(left[k])
                below[k] = on_left
                return on_left + walk(right[k])

            walk(0)
            if len(leaves) > cls.MAX_LEAVES:
                raise InputError(f"weights: a {what} has {len(leaves)} leaves (at most {cls.MAX_LEAVES}); "
                                 f"retrain with `graphmind train`")
            if len(leaves) == 1:
                base += value[leaves[0]]
                continue
            full = (1 << len(leaves)) - 1
            starts.append(len(feature))
            for k in sorted(below):
                feature.append(columns[f[k]])
                threshold.append(tree["threshold"][k])
                mask.append(full & ~sum(1 << b for b in below[k]))
            row = [0.0] * cls.MAX_LEAVES
            row[:len(leaves)] = [value[k] for k in leaves]
            values.append(row)
        # every tree gets as many inner nodes as the largest (a node that always passes keeps
        # every leaf), so that the masks of one tree sit side by side in one row
        width = max(np.diff(starts + [len(feature)]).tolist(), default=0)
        pad_f, pad_t, pad_m = [], [], []
        for k, begin in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(feature)
            fill = width - (end - begin)
            pad_f += feature[begin:end] + [0] * fill
            pad_t += threshold[begin:end] + [np.inf] * fill
            pad_m += mask[begin:end] + [0xFFFFFFFF] * fill
        return cls(base, np.array(pad_f, dtype=np.int64), np.array(pad_t, dtype=float),
                   np.array(pad_m, dtype=np.uint32), width,
                   np.array(values, dtype=float).reshape(-1, cls.MAX_LEAVES))

    def decision(self, rows: np.ndarray) -> np.ndarray:
        """The summed tree values (log-odds) of each row of ``rows`` (N, features)."""
        n = rows.shape[0]
        out = np.full(n, self.base)
        if not len(self.values) or n == 0:
            return out
        passed = rows[:, self.feature] <= self.threshold  # (N, trees * width): go left
        kept = self.mask | (-passed.astype(np.int32)).view(np.uint32)  # a test passed keeps every leaf
        reach = np.bitwise_and.reduce(kept.reshape(n, len(self.values), self.width), axis=2)
        lowest = reach & (~reach + np.uint32(1))  # the leftmost reachable leaf's bit
        leaf = np.log2(lowest).astype(np.int64)
        return out + self.values[self.trees, leaf].sum(axis=1)


def forest_dict(model, names: list[str]) -> dict:
    """The JSON-able form of a fitted ``HistGradientBoostingClassifier`` (binary) over
    columns named ``names``: the trees as lists, features by name (only those used)."""
    used: dict[int, int] = {}
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        feature, threshold = [], []
        for k in range(len(nodes)):
            if nodes["is_leaf"][k]:
                feature.append(LEAF)
                threshold.append(0.0)
            else:
                col = int(nodes["feature_idx"][k])
                feature.append(used.setdefault(col, len(used)))
                threshold.append(float(nodes["num_threshold"][k]))  # exact: it may equal a value seen
        trees.append({
            "feature": feature, "threshold": threshold,
            "left": [int(x) for x in nodes["left"]], "right": [int(x) for x in nodes["right"]],
            "value": [float(f"{float(v):.6g}") for v in nodes["value"]],
            "depth": int(nodes["depth"].max()) if len(nodes) else 0,
        })
    return {"base": float(f"{float(np.ravel(model._baseline_prediction)[0]):.9g}"),
            "features": [names[c] for c, _ in sorted(used.items(), key=lambda kv: kv[1])],
            "trees": trees}
