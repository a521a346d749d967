"""`graphmind export` and `graphmind build` through the CLI, against the real local server."""

import json

import pytest
from click.testing import CliRunner

from graphmind.cli import main

from conftest import EXAMPLES

pytestmark = pytest.mark.store


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("export-db"))
    assert run("db", "start", "--data-dir", d).exit_code == 0
    yield d
    run("db", "stop", "--data-dir", d)


def test_build_ingests_and_exports(data_dir, tmp_path):
    out = tmp_path / "out"
    result = run("build", str(EXAMPLES), "--out", str(out), "--seed", "2", "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"train.jsonl", "val.jsonl", "stats.json", "README.md", "graph.ttl", "map.html"}
    assert "wrote" in result.stderr and "documents: 5 written" in result.stderr


def test_export_twice_with_the_same_seed_is_byte_identical(data_dir, tmp_path):
    run("ingest", str(EXAMPLES), "--data-dir", data_dir)
    files = []
    for k in range(2):
        out = tmp_path / str(k)
        result = run("export", "--out", str(out), "--seed", "9", "--order", "shuffle", "--format", "alpaca",
                     "--mix", "micro=0.5,meso=0.3,macro=0.2", "--data-dir", data_dir)
        assert result.exit_code == 0, result.output
        files.append((out / "train.jsonl").read_bytes() + (out / "val.jsonl").read_bytes())
    assert files[0] == files[1] and files[0]


def test_export_one_document(data_dir, tmp_path):
    run("ingest", str(EXAMPLES), "--data-dir", data_dir)
    overview = json.loads(run("query", "document_overview", "--format", "json", "--data-dir", data_dir).output)
    doc = next(r for r in overview if r["source"].endswith("attention.md"))
    out = tmp_path / "one"
    assert run("export", "--out", str(out), "--document", doc["id"], "--val-fraction", "0",
               "--data-dir", data_dir).exit_code == 0
    lines = (out / "train.jsonl").read_text().splitlines()
    assert lines and all(d["id"] == doc["id"] for line in lines for d in json.loads(line)["meta"]["documents"])


def test_export_bad_max_tokens_is_a_clear_error(data_dir, tmp_path):
    result = run("export", "--out", str(tmp_path), "--max-tokens", "micro=lots", "--data-dir", data_dir)
    assert result.exit_code == 1 and "not a number" in result.stderr


def test_export_help_explains_formats():
    assert "alpaca" in run("export", "--help").output


def test_viz_writes_a_map_of_one_document_or_a_query(data_dir, tmp_path):
    run("ingest", str(EXAMPLES), "--data-dir", data_dir)
    overview = json.loads(run("query", "document_overview", "--format", "json", "--data-dir", data_dir).output)
    doc = overview[0]["id"]
    one = tmp_path / "one.html"
    assert run("viz", "--out", str(one), "--document", doc, "--start", "overview", "--data-dir", data_dir).exit_code == 0
    assert doc in one.read_text(encoding="utf-8")
    q = tmp_path / "q.html"
    result = run("viz", "--out", str(q), "--query", "unsupported_claims", "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    assert q.stat().st_size > 0


def test_viz_writes_one_documents_argument_map_as_svg(data_dir, tmp_path):
    import xml.etree.ElementTree as ET

    run("ingest", str(EXAMPLES), "--data-dir", data_dir)
    overview = json.loads(run("query", "document_overview", "--format", "json", "--data-dir", data_dir).output)
    doc = next(r for r in overview if r["source"].endswith("attention.md"))
    out = tmp_path / "attention.svg"
    result = run("viz", "--out", str(out), "--document", doc["id"], "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    units = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if "unit" in (g.get("class") or "").split()]
    assert len(units) == doc["units"] and doc["id"] in result.stderr
    assert "Attention is a garden" in "".join(root.itertext())


def test_viz_of_an_unknown_document_is_a_clear_error(data_dir, tmp_path):
    result = run("viz", "--out", str(tmp_path / "x.html"), "--document", "doc_nope", "--data-dir", data_dir)
    assert result.exit_code == 1 and "no units found" in result.stderr
