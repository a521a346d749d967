"""The paged export (``graphmind.export.stream``): the store read a page of documents at a
time writes the same files, byte for byte, as ``build_dataset`` over the whole graph read
into memory; a failure leaves the old dataset whole (the interrupted CLI export is in
tests/faults/test_interrupt_export.py)."""

from __future__ import annotations

import json
import re

import pytest

from graphmind.export import ExportOptions, build_dataset, write_dataset
from graphmind.export import stream
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.symbols.run import build_symbols

from conftest import EXAMPLES
from graphs import argument_corpus, debate, symbolic

pytestmark = pytest.mark.store

FILES = ("train.jsonl", "val.jsonl", "stats.json", "README.md")


@pytest.fixture
def filled(store):
    """The examples, the debate, the argument corpus and the symbol notes, with their symbols built."""
    store.ingest(list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False))) + debate()
                 + argument_corpus(units=120) + list(symbolic()))
    build_symbols(store, found=None, use_table=False)
    return store


def both(store, tmp_path, **kw):
    """The files of the in-memory export and of the paged one, for the same options."""
    mem = write_dataset(build_dataset(store.load_graph(), ExportOptions(**kw)), tmp_path / "mem")
    paged = tmp_path / "paged"
    stream.export_store(store, ExportOptions(**kw), paged)
    return {f: (mem / f).read_bytes() for f in FILES}, {f: (paged / f).read_bytes() for f in FILES}


OPTIONS = {
    "text": {},
    "text shuffled, unpacked": {"unpacked": True, "order": "shuffle", "seed": 4},
    "chat, symbols too": {"format": "chat", "anchor": "both", "val_fraction": 0.3, "seed": 2},
    "alpaca shuffled": {"format": "alpaca", "order": "shuffle", "seed": 7},
    "dpo": {"format": "dpo", "val_fraction": 0.25},
    "text around symbols": {"anchor": "symbols", "levels": ("macro",)},
    "mixed": {"mix": {"micro": 0.5, "meso": 0.3, "macro": 0.2}, "val_fraction": 0.3, "seed": 5},
    "no filters": {"min_confidence": 0.6, "near_duplicates": None, "drop_fragments": False, "drop_one_step": False},
}


@pytest.mark.parametrize("name", list(OPTIONS))
def test_paged_export_writes_the_same_files_as_the_export_in_memory(filled, tmp_path, name):
    mem, paged = both(filled, tmp_path, **OPTIONS[name])
    assert b'"level"' in mem["train.jsonl"]
    assert paged == mem


@pytest.mark.parametrize("size", [1, 3])
def test_small_pages_change_nothing(filled, tmp_path, monkeypatch, size):
    """Pages of one or three documents: symbols arrive with the first page that touches them,
    cross-document walks and symbol scenes join documents of different pages."""
    monkeypatch.setattr(stream, "PAGE_DOCUMENTS", size)
    mem, paged = both(filled, tmp_path, format="chat", anchor="both", seed=1)
    assert b"cross_document" in mem["train.jsonl"] + mem["val.jsonl"]
    assert b"symbol_fold" in mem["train.jsonl"] + mem["val.jsonl"]
    assert paged == mem


@pytest.mark.parametrize("size", [0, 1])
def test_a_small_view_cache_changes_nothing(filled, tmp_path, monkeypatch, size):
    """Pass 2 keeps no view (or one): every cross-document macro's groups are built again and
    joined, and the examples are the same as from one view of the whole graph."""
    monkeypatch.setattr(stream, "VIEW_CACHE", size)
    monkeypatch.setattr(stream, "PAGE_DOCUMENTS", 1)
    mem, paged = both(filled, tmp_path, format="text", anchor="claims", seed=3)
    assert b"cross_document" in mem["train.jsonl"] + mem["val.jsonl"]
    assert paged == mem


def test_the_view_cache_builds_each_view_once_when_all_fit_and_lets_go_of_the_one_needed_latest():
    built = []
    needs = [{0, 1}, {2, 0}, {3, 1}, {0}]

    def run(size):
        built.clear()
        views = stream._Views(lambda g: built.append(g) or ("view", g), needs, size)
        return [[views.get(g) for g in sorted(step)] for step in needs]

    steps = run(4)
    assert steps == [[("view", g) for g in sorted(step)] for step in needs]
    assert sorted(built) == [0, 1, 2, 3]  # each once
    run(1)
    # one kept: 0 (asked again at step 1) over 1 (asked again at step 2), so 1 is built again
    # at step 2; 2 and 3 are never asked again and are not kept
    assert built == [0, 1, 2, 1, 3]
    run(0)
    assert built == [0, 1, 0, 2, 1, 3, 0]


def test_paged_export_of_some_documents_is_that_of_their_subgraph(filled, tmp_path):
    docs = sorted(r["id"] for r in filled.read("MATCH (d:Document) RETURN d.id AS id"))
    mem, paged = both(filled, tmp_path, documents=tuple(docs[::2]), source_prefixes=(str(EXAMPLES / "ru"),),
                      format="chat")
    assert paged == mem


def test_contamination_check_counts_the_same_examples(filled, tmp_path):
    leaked = tmp_path / "leaked.txt"
    rec = build_dataset(filled.load_graph(), ExportOptions(levels=("macro",))).train[0]
    leaked.write_text(rec["text"], encoding="utf-8")
    mem, paged = both(filled, tmp_path, check_against=(str(leaked),))
    assert b'"contamination"' in mem["stats.json"]
    assert paged == mem


def test_an_empty_store_gives_the_same_empty_dataset(store, tmp_path):
    mem, paged = both(store, tmp_path)
    assert mem["train.jsonl"] == b""
    assert paged == mem


def test_a_relation_between_documents_falls_back_to_the_whole_graph(filled, tmp_path):
    """No extractor writes one; should a store hold it, the export is still the whole graph's."""
    rows = filled.read("MATCH (u:Unit) RETURN u.id AS id, u.document_id AS doc ORDER BY id")
    first = rows[0]
    other = next(r for r in rows if r["doc"] != first["doc"])
    filled.run("MATCH (a:Unit {id: $a}), (b:Unit {id: $b}) CREATE (a)-[:SUPPORTS {id: 'r-cross', cue: '', "
               "confidence: 1.0}]->(b)", {"a": first["id"], "b": other["id"]}, write=True)
    mem, paged = both(filled, tmp_path, format="chat")
    assert paged["train.jsonl"] == mem["train.jsonl"] and paged["val.jsonl"] == mem["val.jsonl"]


def test_a_failure_mid_export_leaves_the_old_dataset_and_no_temporary_files(filled, tmp_path, monkeypatch):
    out = tmp_path / "data"
    stream.export_store(filled, ExportOptions(seed=1), out)
    before = {f: (out / f).read_bytes() for f in FILES}

    def broken(self, *args, **kwargs):
        raise RuntimeError("stopped")

    monkeypatch.setattr(stream._Export, "dedup", broken)
    with pytest.raises(RuntimeError):
        stream.export_store(filled, ExportOptions(seed=2), out)
    assert {f: (out / f).read_bytes() for f in FILES} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def link_across(store) -> None:
    """Relations between documents, both ways: a unit of the first document supports one of
    the last, and a unit of the last attacks one of the first."""
    ids = store.document_ids()
    q = ("MATCH (a:Unit {document_id: $a}) WITH a ORDER BY a.id LIMIT 1 "
         "MATCH (b:Unit {document_id: $b}) WITH a, b ORDER BY b.id LIMIT 1 MERGE (a)-[:%s]->(b)")
    store.write(lambda tx: (tx.run(q % "SUPPORTS", a=ids[0], b=ids[-1]).consume(),
                            tx.run(q % "ATTACKS", a=ids[-1], b=ids[0]).consume()))


@pytest.mark.parametrize("start,size", [("auto", 1), ("overview", 3), ("map", 50)])
def test_the_map_read_a_page_at_a_time_is_the_map_of_the_whole_graph(filled, tmp_path, start, size):
    """``graphmind viz`` reads the store a page of documents at a time: the same page, byte
    for byte, as the map of the whole graph read at once — relations across pages included."""
    from graphmind.viz import write_map, write_map_from_store

    link_across(filled)
    whole = write_map(filled.load_graph(), tmp_path / "whole.html", start=start).read_bytes()
    paged, units = write_map_from_store(filled, tmp_path / "paged.html", start=start, page_size=size)
    assert b"symbol" in whole and paged.read_bytes() == whole
    data = json.loads(re.search(rb'<script id="gm-data" type="application/json">(.*?)</script>', whole, re.S).group(1))
    doc_of = [row[14] for row in data["units"]]
    assert sum(doc_of[a] != doc_of[b] for a, b, *_ in data["edges"]) == 2  # both relations across documents drawn
    assert units == filled.stored_counts(filled.document_ids())["units"]


def test_one_documents_map_read_from_the_store_is_the_same(filled, tmp_path):
    from graphmind.viz import write_map, write_map_from_store

    doc = filled.document_ids()[1]
    whole = write_map(filled.load_graph(documents=[doc]), tmp_path / "whole.html").read_bytes()
    assert write_map_from_store(filled, tmp_path / "part.html", documents=[doc])[0].read_bytes() == whole
