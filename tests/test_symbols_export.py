"""Training text anchored on symbols (--anchor symbols): "unfold" (a symbol and its gloss →
the scene it compresses) and "fold" (a scene → the symbol), in text, chat and alpaca, grounded
in verbatim unit text and deterministic."""

import json

import pytest

from graphmind.export import ExportOptions, build_dataset
from graphmind.exceptions import GraphMindError
from graphmind.symbols import FoundOptions, detect, with_symbols
from graphmind.walk.memory import to_networkx

from graphs import symbolic


def graph():
    g = to_networkx(symbolic())
    return with_symbols(g, detect(g, found=FoundOptions(min_size=3)).symbols)


def records(fmt="text", anchor="symbols", **options):
    ds = build_dataset(graph(), ExportOptions(levels=("macro",), format=fmt, anchor=anchor, val_fraction=0,
                                              **options))
    return ds.train


def answer(rec):
    if "messages" in rec:
        return rec["messages"][1]["content"], rec["messages"][2]["content"]
    return rec["instruction"] + "\n\n" + rec["input"], rec["output"]


def unit_texts():
    return {u.text for ex in symbolic() for u in ex.units}


def line_text(line):
    body = line.strip().split("] ", 1)[1]
    return body.split(") ", 1)[1] if body.startswith("(") else body


def of_kind(recs, kind, glyph=None):
    return [r for r in recs if r["meta"]["kind"] == kind and (glyph is None or r["meta"]["symbol"]["glyph"] == glyph)]


def test_claims_anchor_makes_no_symbol_examples():
    assert not [r for r in records(anchor="claims") if r["meta"]["kind"].startswith("symbol_")]


def test_unfold_text_starts_with_the_symbol_and_quotes_units_verbatim():
    (rec,) = of_kind(records(), "symbol_unfold", "⟁")
    first, *rest = rec["text"].split("\n")
    assert first == "[SYMBOL] ⟁ — the ascent through a threefold conflict"
    assert rest and all(line_text(line) in unit_texts() for line in rest)
    assert "  [CLAIM] (uses) Every crisis is a ⟁ in disguise." in rest


def test_fold_text_ends_with_the_symbol_it_compresses():
    (rec,) = of_kind(records(), "symbol_fold", "⟁")
    *scene, last = rec["text"].split("\n")
    assert last == "[SYMBOL] ⟁ — the ascent through a threefold conflict"
    assert scene and all(line_text(line) in unit_texts() and "⟁" not in line for line in scene)


@pytest.mark.parametrize("fmt", ["chat", "alpaca"])
def test_unfold_task_answer_quotes_its_prompt(fmt):
    recs = of_kind(records(fmt), "symbol_unfold")
    assert len(recs) >= 5
    for rec in recs:
        prompt, text = answer(rec)
        for line in text.split("\n"):
            assert line_text(line) in prompt, line


@pytest.mark.parametrize("fmt", ["chat", "alpaca"])
def test_fold_task_answers_one_line_of_its_glossary(fmt):
    recs = of_kind(records(fmt), "symbol_fold")
    assert recs
    for rec in recs:
        prompt, text = answer(rec)
        assert text.startswith("[SYMBOL] ") and "\n" not in text
        glossary = prompt.split("\n\n")[-1].split("\n")[1:]
        assert text[len("[SYMBOL] "):] in glossary and len(glossary) >= 2


def test_the_russian_symbol_gets_a_russian_task():
    (rec,) = of_kind(records("chat"), "symbol_unfold", "🜂")
    assert rec["meta"]["lang"] == "ru" and rec["messages"][1]["content"].startswith("Разверни символ")


def test_a_symbol_over_a_support_cycle_unfolds_each_unit_once():
    recs = [r for r in of_kind(records(), "symbol_unfold") if r["meta"]["symbol"]["origin"] == "found"
            and "leaves the map" in r["text"]]
    (rec,) = recs
    lines = [line_text(line) for line in rec["text"].split("\n")[1:]]
    cycle = ["The 🧑\u200d🚀 leaves the map.", "Leaving the map finds new ground.",
             "New ground makes the explorer leave again."]
    assert all(lines.count(t) == 1 for t in cycle) and len(lines) == len(set(lines))


def test_symbol_examples_are_deterministic():
    first = [json.dumps(r, ensure_ascii=False) for r in records("chat", seed=5)]
    assert first == [json.dumps(r, ensure_ascii=False) for r in records("chat", seed=5)]


def test_meta_names_the_symbol():
    (rec,) = of_kind(records(), "symbol_unfold", "🇺🇦")
    assert rec["meta"]["symbol"]["glyph"] == "🇺🇦" and rec["meta"]["symbol"]["origin"] == "declared"


def test_an_unknown_anchor_is_a_clear_error():
    with pytest.raises(GraphMindError, match="--anchor"):
        ExportOptions(anchor="glyphs")


def test_an_export_with_symbols_loads_with_the_datasets_json_loader(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    from graphmind.export import write_dataset

    ds = build_dataset(graph(), ExportOptions(format="chat", anchor="both", val_fraction=0.5, seed=0))
    assert ds.train and ds.val and any(r["meta"]["symbol"]["id"] for r in ds.train + ds.val)
    out = write_dataset(ds, tmp_path / "data")
    loaded = datasets.load_dataset("json", data_files={"train": str(out / "train.jsonl"),
                                                       "validation": str(out / "val.jsonl")},
                                   cache_dir=str(tmp_path / "cache"))
    assert loaded["train"].num_rows == len(ds.train) and loaded["validation"].num_rows == len(ds.val)
