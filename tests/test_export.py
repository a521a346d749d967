"""Dataset export: determinism, budgets, verbatim text, splits, formats."""

import json
import re

import pytest

from graphmind.exceptions import GraphMindError
from graphmind.export import ExportOptions, build_dataset, parse_levels_map, write_dataset
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.walk.memory import to_networkx

from conftest import EXAMPLES
from graphs import build, debate

import networkx as nx


@pytest.fixture(scope="module")
def corpus_graph():
    exs = list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False))) + debate()
    return to_networkx(exs)


def all_records(ds):
    return ds.train + ds.val


def body(rec):
    if "text" in rec:
        return rec["text"]
    if "messages" in rec:
        return rec["messages"][-1]["content"]
    return rec["output"]


def test_same_seed_gives_identical_files(corpus_graph, tmp_path):
    outs = []
    for k in range(2):
        opts = ExportOptions(seed=7, order="shuffle", mix={"micro": 0.5, "meso": 0.3, "macro": 0.2})
        out = write_dataset(build_dataset(corpus_graph, opts), tmp_path / str(k))
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]
    assert outs[0]["train.jsonl"]


def test_different_seed_changes_the_split_or_order(corpus_graph):
    a = build_dataset(corpus_graph, ExportOptions(seed=1, order="shuffle"))
    b = build_dataset(corpus_graph, ExportOptions(seed=2, order="shuffle"))
    assert [r["id"] for r in a.train] != [r["id"] for r in b.train]


@pytest.mark.parametrize("fmt", ["text", "chat", "alpaca"])
@pytest.mark.parametrize("budgets", [{"micro": 24, "meso": 40, "macro": 60}, {"micro": 40, "meso": 90, "macro": 150},
                                     {"micro": 128, "meso": 1024, "macro": 8192}])
@pytest.mark.parametrize("unpacked", [False, True])
def test_budgets_are_never_exceeded(corpus_graph, fmt, budgets, unpacked):
    opts = ExportOptions(format=fmt, max_tokens=budgets, unpacked=unpacked)
    ds = build_dataset(corpus_graph, opts)
    from graphmind.export.tokens import ApproxTokenizer

    count = ApproxTokenizer().count
    for rec in all_records(ds):
        if fmt == "text":
            n = count(rec["text"])
        elif fmt == "chat":
            n = sum(count(m["content"]) for m in rec["messages"])
        else:
            n = sum(count(rec[k]) for k in ("instruction", "input", "output"))
        assert n <= budgets[rec["level"]]
    if budgets["micro"] >= 128:
        assert {r["level"] for r in all_records(ds)} == {"micro", "meso", "macro"}


def test_small_macro_budget_splits_into_pieces_that_repeat_the_header(corpus_graph):
    big = build_dataset(corpus_graph, ExportOptions(levels=("macro",)))
    small = build_dataset(corpus_graph, ExportOptions(levels=("macro",), max_tokens={"macro": 100}))
    assert len(all_records(small)) > len(all_records(big))
    for rec in all_records(small):
        lines = rec["text"].split("\n")
        assert lines[0].startswith("[THEME] ")
        assert any(line.startswith("[ANCHOR] ") for line in lines)


def test_every_unit_is_quoted_verbatim_from_its_paragraph(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(format="chat"))
    for rec in all_records(ds):
        text = body(rec)
        for u in rec["meta"]["units"]:
            paragraph = corpus_graph.nodes[u["paragraph_id"]]["text"]
            quoted = paragraph[u["start"]:u["end"]]
            assert quoted == corpus_graph.nodes[u["id"]]["text"]
            assert quoted in text
        user = rec["messages"][1]["content"]
        assert all(corpus_graph.nodes[p]["text"] in user for p in rec["meta"]["paragraphs"])


def test_no_document_is_in_both_splits(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(val_fraction=0.3, seed=4))
    train_docs = {d["id"] for r in ds.train for d in r["meta"]["documents"]}
    val_docs = {d["id"] for r in ds.val for d in r["meta"]["documents"]}
    assert train_docs and val_docs and not train_docs & val_docs
    assert sorted(val_docs) <= ds.stats["val_documents"]


def test_attack_is_an_error_line_under_the_unit_it_attacks():
    g = to_networkx(debate())
    ds = build_dataset(g, ExportOptions(levels=("meso",), val_fraction=0))
    chain = next(r["text"] for r in ds.train if r["text"].startswith("[ANCHOR] We should read every day."))
    lines = chain.split("\n")
    k = lines.index("  [ERROR] (attacks) Critics say reading is slow.")
    assert lines[k + 1] == "    [ERROR] (attacks) But slow is the point."
    assert re.match(r"^\[ANCHOR\] We should read every day\.$", lines[0])


def test_a_support_cycle_exports_and_terminates():
    ex = build("c.md", "Cycle", [[("claim", "A is true.", True), ("premise", "B is true.", False),
                                  ("premise", "C is true.", False)]],
               [((0, 1), (0, 0), "supports"), ((0, 2), (0, 1), "supports"), ((0, 1), (0, 2), "supports"),
                ((0, 0), (0, 2), "supports")])
    ds = build_dataset(to_networkx([ex]), ExportOptions(val_fraction=0))
    assert {r["level"] for r in ds.train} == {"micro", "meso", "macro"}


def test_empty_graph_exports_an_empty_dataset_with_a_message(tmp_path):
    ds = build_dataset(nx.MultiDiGraph(), ExportOptions())
    out = write_dataset(ds, tmp_path)
    assert (out / "train.jsonl").read_text() == "" and (out / "val.jsonl").read_text() == ""
    assert ds.messages and "ingest" in ds.messages[0]
    assert json.loads((out / "stats.json").read_text())["examples"]["total"] == 0


@pytest.mark.parametrize("fmt, keys", [("text", {"text"}), ("chat", {"messages"}),
                                       ("alpaca", {"instruction", "input", "output"})])
def test_jsonl_files_are_strict_json_lines(corpus_graph, tmp_path, fmt, keys):
    out = write_dataset(build_dataset(corpus_graph, ExportOptions(format=fmt)), tmp_path)
    for name in ("train.jsonl", "val.jsonl"):
        raw = (out / name).read_bytes()
        assert raw == b"" or raw.endswith(b"\n")
        for line in raw.decode("utf-8").split("\n")[:-1]:
            rec = json.loads(line)
            assert set(rec) == keys | {"level", "id", "meta"}
            assert rec["level"] in ("micro", "meso", "macro")
    if fmt == "chat":
        rec = json.loads((out / "train.jsonl").read_text().split("\n")[0])
        assert [m["role"] for m in rec["messages"]] == ["system", "user", "assistant"]


def test_curriculum_orders_micro_then_meso_then_macro(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(order="curriculum"))
    levels = [r["level"] for r in ds.train]
    assert levels == sorted(levels, key=["micro", "meso", "macro"].index)


def test_mix_samples_levels_to_the_asked_proportions(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(mix={"micro": 0.5, "meso": 0.5}, val_fraction=0))
    counts = {lvl: sum(1 for r in ds.train if r["level"] == lvl) for lvl in ("micro", "meso", "macro")}
    assert counts["macro"] == 0 and abs(counts["micro"] - counts["meso"]) <= 1


def test_exact_duplicates_are_removed(corpus_graph):
    ds = build_dataset(corpus_graph, ExportOptions(val_fraction=0))
    keys = [json.dumps(r["text"]) for r in ds.train]
    assert len(keys) == len(set(keys))


def test_dataset_card_and_stats_describe_the_data(corpus_graph, tmp_path):
    out = write_dataset(build_dataset(corpus_graph, ExportOptions()), tmp_path)
    stats = json.loads((out / "stats.json").read_text())
    assert set(stats["token_length_histogram"]) == {"micro", "meso", "macro"}
    assert stats["unit_types"]["claim"] > 0 and stats["relation_types"]["supports"] > 0
    assert "[ERROR]" in (out / "README.md").read_text()


def test_unpacked_text_puts_the_source_paragraph_first():
    ds = build_dataset(to_networkx(debate()), ExportOptions(levels=("micro",), unpacked=True, val_fraction=0))
    rec = ds.train[0]
    assert rec["text"].startswith("[SOURCE] ")
    source = rec["text"].split("\n\n")[0]
    assert source[len("[SOURCE] "):] in {d["text"] for _, d in to_networkx(debate()).nodes(data=True) if "text" in d}


def test_hugging_face_tokenizer_json_counts_the_budget(tmp_path, corpus_graph):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(["We should read every day"], trainers.WordLevelTrainer(special_tokens=["[UNK]"]))
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    ds = build_dataset(corpus_graph, ExportOptions(tokenizer=str(path), max_tokens={"micro": 30, "meso": 60, "macro": 90}))
    assert ds.stats["tokenizer"] == "hf:tokenizer.json"
    for rec in all_records(ds):
        assert len(tok.encode(rec["text"], add_special_tokens=False).ids) <= {"micro": 30, "meso": 60, "macro": 90}[rec["level"]]


def test_bad_options_are_clear_errors():
    with pytest.raises(GraphMindError, match="unknown level"):
        ExportOptions(levels=("mega",))
    with pytest.raises(GraphMindError, match="LEVEL=VALUE"):
        parse_levels_map("micro:0.5")
    with pytest.raises(GraphMindError, match="no such tokenizer.json"):
        build_dataset(nx.MultiDiGraph(), ExportOptions(tokenizer="/nope/tokenizer.json"))


@pytest.mark.store
def test_graph_read_back_from_the_store_gives_the_same_dataset(store, corpus_graph):
    exs = list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False))) + debate()
    store.ingest(exs)
    opts = ExportOptions(seed=3, format="chat")
    from_store = build_dataset(store.load_graph(), opts)
    in_memory = build_dataset(to_networkx(exs), opts)
    assert from_store.train == in_memory.train and from_store.val == in_memory.val


@pytest.mark.parametrize("fmt", ["text", "chat", "alpaca"])
def test_jsonl_files_load_with_the_datasets_json_loader(corpus_graph, tmp_path, monkeypatch, fmt):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets
    ds = build_dataset(corpus_graph, ExportOptions(format=fmt, val_fraction=0.3, seed=1))
    out = write_dataset(ds, tmp_path / "data")
    loaded = datasets.load_dataset("json", data_files={"train": str(out / "train.jsonl"),
                                                       "val": str(out / "val.jsonl")},
                                   cache_dir=str(tmp_path / "cache"))
    assert loaded["train"].num_rows == len(ds.train) and loaded["val"].num_rows == len(ds.val)
    assert loaded["train"][0]["id"] == ds.train[0]["id"]
