"""A vault on every core, incrementally, with progress you can see and a path to a cluster
(issue 17): --jobs, the manifest, start-up, progress lines, streamed RDF, neo4j-admin import
files, and extraction on a Dask LocalCluster."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from graphmind import neo4j_import, pipeline, rdf
from graphmind.cli import main
from graphmind.store.store import Page

from conftest import EXAMPLES, FIXTURES, ROOT
from test_rdf import tricky_graph


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    """48 notes (the project's examples and fixture notes, three times over)."""
    root = tmp_path_factory.mktemp("vault") / "vault"
    for k in range(3):
        shutil.copytree(EXAMPLES, root / f"ex{k}")
        shutil.copytree(FIXTURES / "notes", root / f"notes{k}")
    assert sum(1 for p in root.rglob("*") if p.is_file()) >= pipeline.MIN_PARALLEL
    return root


# -- start-up ----------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["extract", "--help"], ["ingest", "--jobs", "0", "x"]])
def test_help_version_and_argument_errors_load_no_heavy_library(args):
    code = ("import sys\nfrom graphmind.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('spacy', 'numpy', 'neo4j', 'networkx', 'rdflib', 'pymorphy3', 'jsonschema') "
            "if m in sys.modules]\nprint('HEAVY', heavy)" % (args,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


# -- every core --------------------------------------------------------------------------------
@pytest.mark.slow
def test_two_jobs_give_the_same_output_in_the_same_order_as_one(vault, tmp_path):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    r1 = run("extract", vault, "--jobs", "1", "-o", one)
    r2 = run("extract", vault, "--jobs", "2", "-o", two)
    assert r1.exit_code == 0 and r2.exit_code == 0, r2.output
    assert one.read_bytes() == two.read_bytes()
    assert r1.stderr.replace("0:0", "") .count("note:") == r2.stderr.count("note:")


# -- progress you can see ----------------------------------------------------------------------
def test_progress_when_piped_prints_plain_lines_with_a_total(tmp_path):
    result = run("extract", EXAMPLES, "--jobs", "1", "-o", tmp_path / "x.json")
    assert "graphmind: extract: started (5 notes)" in result.stderr
    assert "graphmind: extract: 5 notes in" in result.stderr


def test_quiet_silences_progress_but_not_the_summary_of_problems(tmp_path):
    result = run("extract", EXAMPLES, "--jobs", "1", "-q", "-o", tmp_path / "x.json")
    assert "extract: " not in result.stderr
    assert "extracted 5 documents" in result.stderr


# -- streamed RDF --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads"])
def test_streamed_rdf_is_the_reference_mapping(tmp_path, fmt):
    g = tricky_graph()
    path = tmp_path / f"g.{fmt}"
    n = rdf.export_pages([Page.of_graph(g)], path, fmt)
    back = rdf.parse_file(path, fmt)
    reference = rdf.to_rdf_rdflib(g)
    assert n == len(reference)
    assert isomorphic(back, reference)


def test_streamed_rdf_keeps_each_document_in_its_own_named_graph(tmp_path):
    from rdflib import Dataset

    path = tmp_path / "g.nq"
    rdf.export_pages([Page.of_graph(tricky_graph())], path, "nquads")
    ds = Dataset()
    ds.parse(path, format="nquads")
    named = {str(c.identifier) for c in ds.contexts() if str(c.identifier).startswith("urn:graphmind:doc_")}
    documents = {n for n, d in tricky_graph().nodes(data=True) if "Document" in d["labels"]}
    assert named == {f"urn:graphmind:{d}" for d in documents}


def test_a_base_iri_that_would_break_the_syntax_is_refused(tmp_path):
    from graphmind.exceptions import GraphMindError

    with pytest.raises(GraphMindError, match="not a usable base IRI"):
        rdf.export_pages([Page.of_graph(tricky_graph())], tmp_path / "g.nt", "nt", base="urn:x> <y:")


# -- neo4j-admin import files ------------------------------------------------------------------
HEADER_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "date",
                "localtime", "time", "localdatetime", "datetime", "duration", "point"}


def test_neo4j_import_headers_follow_the_import_tools_format(tmp_path):
    written = neo4j_import.write([Page.of_graph(tricky_graph())], tmp_path)
    headers = sorted(tmp_path.glob("*-header.csv"))
    assert headers and written.nodes and written.relationships
    for header in headers:
        cols = header.read_text(encoding="utf-8").strip().split(",")
        if header.name.startswith("nodes-"):
            assert cols[:2] == ["id:ID", ":LABEL"]
        else:
            assert cols[:3] == [":START_ID", ":END_ID", ":TYPE"]
        for col in cols:
            name, _, kind = col.partition(":")
            if name and col != "id:ID":  # a property: name or name:type, type[] for arrays
                assert kind == "" or kind.removesuffix("[]") in HEADER_TYPES, col
    assert "neo4j-admin database import full" in written.command and "--multiline-fields=true" in written.command


@pytest.mark.store
def test_neo4j_import_files_round_trip_through_a_bolt_server(store, tmp_path):
    from graphmind.store import cypher
    from graphmind.symbols import FoundOptions
    from graphmind.symbols.run import build_symbols

    from graphs import debate, symbolic

    store.ingest(debate() + symbolic())
    build_symbols(store, found=FoundOptions(min_size=3), use_table=False)  # symbols of every origin
    original = store.load_graph()
    assert {d["origin"] for _, d in original.nodes(data=True) if "Symbol" in d["labels"]} >= {"declared", "used",
                                                                                               "found"}
    neo4j_import.write(store.pages(store.document_ids()), tmp_path)
    assert not list(tmp_path.glob(".*"))  # no spool left
    store.clear()
    for header in sorted(tmp_path.glob("nodes-*-header.csv")):  # load them back with the driver
        rows = list(neo4j_import.read_table(header, tmp_path / header.name.replace("-header", "")))
        for labels in {tuple(r[1].split(";")) for _, r in rows}:
            label = cypher.checked_label([l for l in labels if l != "Unit"][0])
            batch = [{"id": r[0], "props": {k: v for k, v in zip(names[2:], r[2:]) if v is not None} | {"id": r[0]}}
                     for names, r in rows if tuple(r[1].split(";")) == labels]
            extra = ":Unit" if "Unit" in labels else ""
            store.write(lambda tx: tx.run(f"UNWIND $rows AS r CREATE (n:{label}{extra}) SET n = r.props",
                                          rows=batch).consume())
    for header in sorted(tmp_path.glob("relationships-*-header.csv")):
        rows = list(neo4j_import.read_table(header, tmp_path / header.name.replace("-header", "")))
        rel = cypher.checked_rel(rows[0][1][2])
        batch = [{"a": r[0], "b": r[1], "props": {k: v for k, v in zip(names[3:], r[3:]) if v is not None}}
                 for names, r in rows]
        store.write(lambda tx: tx.run(f"UNWIND $rows AS r MATCH (a {{id: r.a}}) MATCH (b {{id: r.b}}) "
                                      f"CREATE (a)-[x:{rel}]->(b) SET x = r.props", rows=batch).consume())
    back = store.load_graph()

    def same(d):  # an empty list (or one of nulls, which Neo4j cannot hold) is no property in the files
        return {k: v for k, v in d.items() if v is not None and not (isinstance(v, list) and all(
            x is None for x in v))}

    assert [(n, same(d)) for n, d in back.nodes(data=True)] == [(n, same(d)) for n, d in original.nodes(data=True)]
    assert sorted((a, b, d["rel"]) for a, b, d in back.edges(data=True)) == \
        sorted((a, b, d["rel"]) for a, b, d in original.edges(data=True))


# -- the graph read back in pages ----------------------------------------------------------------
@pytest.mark.store
def test_reading_in_pages_gives_the_same_graph_as_reading_it_whole(store):
    from graphs import debate

    store.ingest(debate())
    whole = store.load_graph()
    paged = store.load_graph(documents=store.document_ids())
    assert list(paged.nodes(data=True)) == list(whole.nodes(data=True))
    assert list(paged.edges(data=True, keys=True)) == list(whole.edges(data=True, keys=True))


# -- Dask ----------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("shard_format", ["jsonl", "parquet"])
def test_dask_local_cluster_writes_the_records_extract_gives(tmp_path, shard_format):
    pytest.importorskip("distributed")
    out = tmp_path / "shards"
    result = run("extract", EXAMPLES, FIXTURES / "notes", "--engine", "dask", "--jobs", "2", "--out-dir", out,
                 "--shard-format", shard_format)
    assert result.exit_code == 0, result.output
    local = run("extract", EXAMPLES, FIXTURES / "notes", "--format", "jsonl", "--jobs", "1")
    expected = [json.loads(line) for line in local.stdout.splitlines()]
    if shard_format == "jsonl":
        got = [json.loads(line) for p in sorted(out.glob("part-*.jsonl")) for line in p.read_text().splitlines()]
    else:
        import pyarrow.parquet as pq

        got, by_doc = [], {}
        for p in sorted(out.glob("part-*.parquet")):
            for row in pq.read_table(p).to_pylist():
                if row["document_id"] not in by_doc:
                    by_doc[row["document_id"]] = {s: [] for s in expected[0]}
                    got.append(by_doc[row["document_id"]])
                by_doc[row["document_id"]][row["section"]].append(json.loads(row["record"]))
    assert got == expected


# -- incremental for real ------------------------------------------------------------------------
@pytest.fixture
def counted(monkeypatch):
    """Counts the notes actually read and extracted (in this process: --jobs 1)."""
    calls = []
    real = pipeline.extract_one

    def spy(extractor, path, input_format):
        calls.append(Path(path).name)
        return real(extractor, path, input_format)

    monkeypatch.setattr(pipeline, "extract_one", spy)
    return calls


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture
def cli_store(store, monkeypatch):
    """The test server, reached by the CLI through GRAPHMIND_URI and the credentials."""
    from graphmind.store import store as store_module

    monkeypatch.setattr(store_module, "open_store", _reuse(store))
    return store


def _reuse(store):
    from contextlib import contextmanager

    @contextmanager
    def open_store(uri=None, data_dir=None, apply_schema=True, **kwargs):
        yield store

    return open_store


@pytest.mark.store
def test_an_unchanged_vault_reads_no_note_again(cli_store, notes, counted):
    assert run("ingest", notes, "--jobs", "1").exit_code == 0
    assert len(counted) == 5
    counted.clear()
    again = run("ingest", notes, "--jobs", "1")
    assert counted == []
    assert "documents: 0 written, 5 unchanged, 0 removed" in again.stderr


@pytest.mark.store
def test_editing_one_note_reads_only_that_note(cli_store, notes, counted):
    run("ingest", notes, "--jobs", "1")
    counted.clear()
    essay = notes / "plain-essay.txt"
    essay.write_text(essay.read_text(encoding="utf-8") + "\n\nOne more paragraph, because it matters.\n",
                     encoding="utf-8")
    result = run("ingest", notes, "--jobs", "1")
    assert counted == ["plain-essay.txt"]
    assert "documents: 1 written, 4 unchanged" in result.stderr


@pytest.mark.store
def test_force_reads_every_note_again(cli_store, notes, counted):
    run("ingest", notes, "--jobs", "1")
    counted.clear()
    run("ingest", notes, "--jobs", "1", "--force")
    assert len(counted) == 5


@pytest.mark.store
def test_other_weights_make_every_note_stale(cli_store, notes, counted, tmp_path):
    run("ingest", notes, "--jobs", "1")
    counted.clear()
    weights = tmp_path / "w.json"
    weights.write_text((ROOT / "graphmind" / "lang" / "weights.json").read_text(encoding="utf-8") + "\n",
                       encoding="utf-8")
    run("ingest", notes, "--jobs", "1", "--weights", weights)
    assert len(counted) == 5
    counted.clear()
    run("ingest", notes, "--jobs", "1", "--weights", weights)
    assert counted == []  # the manifest of an unchanged extraction was brought up to date


@pytest.mark.store
def test_a_deleted_note_is_removed_and_a_renamed_one_moves(cli_store, notes):
    run("ingest", notes, "--jobs", "1")
    (notes / "plain-essay.txt").unlink()
    (notes / "en" / "attention.md").rename(notes / "en" / "focus.md")
    result = run("ingest", notes, "--jobs", "1")
    assert "documents: 1 written, 3 unchanged, 2 removed" in result.stderr
    sources = {r["source"] for r in cli_store.read("MATCH (d:Document) RETURN d.source AS source")}
    assert any(s.endswith("en/focus.md") for s in sources)
    assert not any(s.endswith(("plain-essay.txt", "attention.md")) for s in sources)


# -- the compact graph ---------------------------------------------------------------------------
def _networkx_copy(g):
    import networkx as nx

    x = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        x.add_node(n, **d)
    for a, b, k, d in g.edges(data=True, keys=True):
        x.add_edge(a, b, key=k, **d)
    return x


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_compact_graph_iterates_as_networkx_does(seed):
    import random

    import networkx as nx

    from graphmind.graph import MeaningGraph

    g = tricky_graph()
    edges = list(g.edges(data=True, keys=True))
    random.Random(seed).shuffle(edges)
    m, x = MeaningGraph(), nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        m.add_node(n, **d)
        x.add_node(n, **d)
    for a, b, k, d in edges:
        m.add_edge(a, b, key=k, **d)
        x.add_edge(a, b, key=k, **d)
    assert list(m.nodes(data=True)) == list(x.nodes(data=True))
    assert list(m.edges(data=True, keys=True)) == list(x.edges(data=True, keys=True))
    assert all(list(m.successors(n)) == list(x.successors(n)) for n in x)
    assert all(set(m.predecessors(n)) == set(x.predecessors(n)) for n in x)
    assert all(list(m.out_edges(n, data=True)) == list(x.out_edges(n, data=True)) for n in x)
    assert all(sorted(map(repr, m.in_edges(n, data=True))) == sorted(map(repr, x.in_edges(n, data=True))) for n in x)
    keep = list(x)[::2]
    assert list(m.subgraph(keep).copy().edges(data=True)) == list(x.subgraph(keep).copy().edges(data=True))


@pytest.mark.store
def test_dataset_map_and_rdf_from_the_compact_graph_equal_those_from_networkx(store, extractor, tmp_path):
    from graphmind.export import ExportOptions, build_dataset
    from graphmind.extract.rules import extract_paths
    from graphmind.viz import render_map

    store.ingest(extract_paths([EXAMPLES, FIXTURES / "notes"], extractor))
    g = store.load_graph()
    x = _networkx_copy(g)
    for fmt in ("text", "chat"):
        a, b = build_dataset(g, ExportOptions(format=fmt)), build_dataset(x, ExportOptions(format=fmt))
        assert a.train == b.train and a.val == b.val and a.stats == b.stats
    assert render_map(g) == render_map(x)
    rdf.export_file(g, tmp_path / "a.nt")
    rdf.export_file(x, tmp_path / "b.nt")
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()


@pytest.mark.store
def test_a_wikilink_to_a_note_stored_later_is_resolved_when_it_arrives(store, extractor, tmp_path):
    from graphmind.extract.rules import extract_paths

    (tmp_path / "a.md").write_text("# A\n\nReading matters because it trains attention. See [[b]].\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n\nAttention is scarce, so we should protect it.\n", encoding="utf-8")
    store.ingest(extract_paths([tmp_path / "a.md"], extractor))
    assert not store.read("MATCH (:Document)-[l:LINKS_TO]->(:Document) RETURN l")
    store.ingest(extract_paths([tmp_path / "b.md"], extractor))
    rows = store.read("MATCH (a:Document)-[:LINKS_TO]->(b:Document) RETURN a.title AS a, b.title AS b")
    assert rows == [{"a": "A", "b": "B"}]
