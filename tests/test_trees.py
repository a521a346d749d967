"""The attachment trees: kept as data, read without scikit-learn, the same sums as walking them."""

import json

import numpy as np
import pytest

from graphmind.corpus import read_gold
from graphmind.exceptions import InputError
from graphmind.extract.scorer import TREE_FEATURES, TREE_INDEX, Weights, default_weights
from graphmind.extract.trees import Forest, forest_dict
from graphmind.train import SHIPPED

ROOT = SHIPPED.parent.parent.parent


def walk(data: dict, rows: np.ndarray) -> np.ndarray:
    """Each row down each tree, node by node, as the trees are written."""
    columns = [TREE_INDEX[n] for n in data["features"]]
    out = np.full(len(rows), data["base"])
    for tree in data["trees"]:
        for r, row in enumerate(rows):
            k = 0
            while tree["feature"][k] != -1:
                go_left = row[columns[tree["feature"][k]]] <= tree["threshold"][k]
                k = tree["left"][k] if go_left else tree["right"][k]
            out[r] += tree["value"][k]
    return out


@pytest.fixture(scope="module")
def shipped_trees() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))["attach_trees"]


def test_the_forest_sums_what_walking_each_tree_gives(shipped_trees):
    rng = np.random.default_rng(7)
    rows = (rng.random((200, len(TREE_FEATURES))) > 0.5) * rng.random((200, len(TREE_FEATURES)))
    forest = Forest.from_dict(shipped_trees, TREE_INDEX, "attachment tree")
    assert np.allclose(forest.decision(rows), walk(shipped_trees, rows), atol=1e-9)


def test_a_row_on_a_threshold_goes_left():
    data = {"base": 0.0, "features": [TREE_FEATURES[0]],
            "trees": [{"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
                       "value": [0.0, -1.0, 1.0], "depth": 1}]}
    rows = np.zeros((3, len(TREE_FEATURES)))
    rows[:, 0] = [0.5, 0.49, 0.51]
    assert Forest.from_dict(data, TREE_INDEX, "tree").decision(rows).tolist() == [-1.0, -1.0, 1.0]


def test_a_tree_with_an_unknown_feature_is_refused_with_what_to_do():
    data = {"base": 0.0, "features": ["no such feature"],
            "trees": [{"feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0],
                       "value": [0.0, -1.0, 1.0]}]}
    with pytest.raises(InputError, match="retrain with `graphmind train`"):
        Forest.from_dict(data, TREE_INDEX, "attachment tree")


def test_the_parser_scores_attachment_with_the_shipped_trees():
    w = default_weights("en")
    assert w.attach_trees is not None and len(w.attach_trees.values) > 0


def test_the_trees_of_a_fitted_model_are_written_as_it_decides():
    sklearn = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(3)
    rows = rng.random((400, len(TREE_FEATURES)))
    gold = (rows[:, 0] + rows[:, 1] * rows[:, 2] > 0.8).astype(int)
    model = sklearn.HistGradientBoostingClassifier(max_iter=20, early_stopping=False, random_state=0).fit(rows, gold)
    data = json.loads(json.dumps(forest_dict(model, TREE_FEATURES)))
    forest = Forest.from_dict(data, TREE_INDEX, "tree")
    assert np.allclose(forest.decision(rows), model.decision_function(rows), atol=1e-4)


def test_weights_without_trees_fall_back_to_the_log_linear_attachment():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.pop("attach_trees")
    assert Weights.from_dict(data).attach_trees is None


# -- calibration -------------------------------------------------------------------------------
def relation_confidences(calibration) -> list[float]:
    from graphmind.extract.rules import RuleExtractor

    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["calibration"] = calibration
    extractor = RuleExtractor(trained=False, weights=Weights.from_dict(data))
    text = "Towns should keep their markets. People meet there every day. Of course, rents are high."
    _, _, relations = extractor.parse_text(text, lang="en")
    return [r.confidence for r in relations]


def test_relation_confidences_go_through_the_fitted_scaling():
    flat = relation_confidences({"scale": 0.0, "shift": 0.0})  # log-odds times 0: every confidence 1/2
    assert flat and all(abs(c - 0.5) < 1e-9 for c in flat)
    assert relation_confidences({}) != flat


def test_calibration_needs_documents_for_its_folds():
    from graphmind.train import Featurizer, calibration

    records = list(read_gold([ROOT / "corpus" / "en.jsonl"]))[:3]
    assert calibration(records, Featurizer()) == {}


def test_a_paragraph_longer_than_the_trees_take_is_attached_by_the_log_linear_model(monkeypatch):
    import dataclasses

    from graphmind.extract import scorer
    from graphmind.extract.features import PAIR_FEATURES, UNIT_FEATURES

    w = default_weights("en")
    rng = np.random.default_rng(5)
    X = (rng.random((4, len(UNIT_FEATURES))) > 0.7).astype(float)
    P = (rng.random((4, 4, len(PAIR_FEATURES))) > 0.7).astype(float)
    linear = scorer.score(dataclasses.replace(w, attach_trees=None), X, P.copy()).attach
    assert not np.allclose(scorer.score(w, X, P.copy()).attach, linear)
    monkeypatch.setattr(scorer, "TREE_MAX_UNITS", 3)
    assert np.allclose(scorer.score(w, X, P.copy()).attach, linear)
