"""`graphmind export`, `build` and `viz` through the CLI, against each real backend (see conftest)."""

import json
import re

import pytest
from click.testing import CliRunner

from graphmind.cli import main

from conftest import EXAMPLES

pytestmark = pytest.mark.store


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_ingests_and_exports(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("build", str(EXAMPLES), "--out", str(out), "--seed", "2")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"train.jsonl", "val.jsonl", "stats.json", "README.md", "graph.ttl", "map.html"}
    assert "wrote" in result.stderr and "documents: 5 written" in result.stderr
    # each step after the reads is shown as it goes, with what it counted (plain lines: not a terminal)
    for step, count in (("export: walks and links", r"\d+ groups of documents"),
                        ("export: duplicates and filters", r"[\d,]+ examples"), ("export: writing", r"[\d,]+ examples")):
        assert f"graphmind: {step}: started" in result.stderr, result.stderr
        assert re.search(f"graphmind: {step}: {count} in ", result.stderr), result.stderr


def test_build_writes_the_map_and_the_rdf_from_one_read_of_the_store(cli, tmp_path):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    out = tmp_path / "out"
    result = cli("build", str(EXAMPLES), "--out", str(out), "--all")
    assert result.exit_code == 0, result.output
    assert re.search(r"graphmind: map and rdf: \d+ documents in .*[\d,]+ units, [\d,]+ triples", result.stderr), \
        result.stderr
    assert "graphmind: rdf: started" not in result.stderr  # no second read for the RDF
    exported = tmp_path / "all.ttl"
    assert cli("rdf", "export", "--out", str(exported)).exit_code == 0
    assert isomorphic(Graph().parse(out / "graph.ttl"), Graph().parse(exported))


@pytest.fixture
def other_notes(cli, tmp_path_factory):
    """A note stored from another folder before the build."""
    folder = tmp_path_factory.mktemp("other-notes")
    (folder / "cycling.md").write_text("# Cycling\n\nCities should build bike lanes, because cycling is "
                                       "cheap. Therefore the budget should favour lanes.\n", encoding="utf-8")
    assert cli("ingest", str(folder)).exit_code == 0
    return folder


def sources_in(out):
    return {d["source"] for name in ("train.jsonl", "val.jsonl")
            for line in (out / name).read_text().splitlines() for d in json.loads(line)["meta"]["documents"]}


def test_build_exports_only_the_documents_under_its_paths_and_says_so(cli, other_notes, tmp_path):
    result = cli("build", str(EXAMPLES), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "exporting the 5 document(s) read from" in result.stderr and "--all exports them all" in result.stderr
    sources = sources_in(tmp_path)
    assert sources and all(s.startswith(str(EXAMPLES)) for s in sources)


def test_build_all_exports_the_whole_store(cli, other_notes, tmp_path):
    result = cli("build", str(EXAMPLES), "--all", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert any(s.startswith(str(other_notes)) for s in sources_in(tmp_path))


def test_export_source_prefix_selects_documents(cli, other_notes, tmp_path):
    result = cli("export", "--out", str(tmp_path), "--source-prefix", str(other_notes), "--val-fraction", "0")
    assert result.exit_code == 0, result.output
    assert sources_in(tmp_path) == {str(other_notes / "cycling.md")}


def test_export_unpacked_chat_is_refused_in_one_line(cli, tmp_path):
    result = cli("export", "--out", str(tmp_path), "--format", "chat", "--unpacked")
    assert result.exit_code == 1 and "--unpacked is for --format text" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_over_a_tiny_budget_warns_with_counts(cli, tmp_path):
    cli("ingest", str(EXAMPLES))
    result = cli("export", "--out", str(tmp_path), "--max-tokens", "micro=10", "--levels", "micro")
    assert result.exit_code == 0, result.output
    assert re.search(r"graphmind: warning: micro: (\d+) of \1 examples dropped \(.*unit too long", result.stderr)


def test_export_check_against_reports_overlap(cli, tmp_path):
    cli("ingest", str(EXAMPLES))
    result = cli("export", "--out", str(tmp_path / "out"), "--check-against", str(EXAMPLES / "en" / "attention.md"))
    assert result.exit_code == 0, result.output
    assert re.search(r"contamination: [1-9]\d* of \d+ examples share a 13-gram with .*attention\.md", result.stderr)


def test_export_twice_with_the_same_seed_is_byte_identical(cli, tmp_path):
    cli("ingest", str(EXAMPLES))
    files = []
    for k in range(2):
        out = tmp_path / str(k)
        result = cli("export", "--out", str(out), "--seed", "9", "--order", "shuffle", "--format", "alpaca",
                     "--mix", "micro=0.5,meso=0.3,macro=0.2")
        assert result.exit_code == 0, result.output
        files.append((out / "train.jsonl").read_bytes() + (out / "val.jsonl").read_bytes())
    assert files[0] == files[1] and files[0]


def test_export_one_document(cli, tmp_path):
    cli("ingest", str(EXAMPLES))
    overview = json.loads(cli("query", "document_overview", "--format", "json").output)
    doc = next(r for r in overview if r["source"].endswith("attention.md"))
    out = tmp_path / "one"
    assert cli("export", "--out", str(out), "--document", doc["id"], "--val-fraction", "0").exit_code == 0
    lines = (out / "train.jsonl").read_text().splitlines()
    assert lines and all(d["id"] == doc["id"] for line in lines for d in json.loads(line)["meta"]["documents"])


def test_export_bad_max_tokens_is_a_clear_error(cli, tmp_path):
    result = cli("export", "--out", str(tmp_path), "--max-tokens", "micro=lots")
    assert result.exit_code == 1 and "not a number" in result.stderr


def test_export_help_explains_formats():
    output = run("export", "--help").output
    assert "alpaca" in output and "dpo" in output and "--min-confidence" in output


def test_viz_writes_a_map_of_one_document_or_a_query(cli, tmp_path):
    cli("ingest", str(EXAMPLES))
    overview = json.loads(cli("query", "document_overview", "--format", "json").output)
    doc = overview[0]["id"]
    one = tmp_path / "one.html"
    assert cli("viz", "--out", str(one), "--document", doc, "--start", "overview").exit_code == 0
    assert doc in one.read_text(encoding="utf-8")
    q = tmp_path / "q.html"
    result = cli("viz", "--out", str(q), "--query", "unsupported_claims")
    assert result.exit_code == 0, result.output
    assert q.stat().st_size > 0


def test_viz_writes_one_documents_argument_map_as_svg(cli, tmp_path):
    import xml.etree.ElementTree as ET

    cli("ingest", str(EXAMPLES))
    overview = json.loads(cli("query", "document_overview", "--format", "json").output)
    doc = next(r for r in overview if r["source"].endswith("attention.md"))
    out = tmp_path / "attention.svg"
    result = cli("viz", "--out", str(out), "--document", doc["id"])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    units = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "unit" in (g.get("class") or "").split()]
    assert len(units) == doc["units"] and doc["id"] in result.stderr
    assert "Attention is a garden" in "".join(root.itertext())


def test_viz_of_an_unknown_document_is_a_clear_error(cli, tmp_path):
    result = cli("viz", "--out", str(tmp_path / "x.html"), "--document", "doc_nope")
    assert result.exit_code == 1 and "no units found" in result.stderr
