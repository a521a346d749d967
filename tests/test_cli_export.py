"""`graphmind export`, `build` and `viz` through the CLI, against each real backend (see conftest)."""

import json

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
    assert "alpaca" in run("export", "--help").output


def test_viz_writes_a_map_of_one_document_or_a_query(cli, tmp_path):
    cli("ingest", str(EXAMPLES))
    overview = json.loads(cli("query", "document_overview", "--format", "json").output)
    doc = overview[0]["id"]
    one = tmp_path / "one.html"
    assert cli("viz", "--out", str(one), "--document", doc, "--layout", "hierarchical").exit_code == 0
    assert doc in one.read_text(encoding="utf-8")
    q = tmp_path / "q.html"
    result = cli("viz", "--out", str(q), "--query", "unsupported_claims", "--concepts")
    assert result.exit_code == 0, result.output
    assert q.stat().st_size > 0


def test_viz_of_an_unknown_document_is_a_clear_error(cli, tmp_path):
    result = cli("viz", "--out", str(tmp_path / "x.html"), "--document", "doc_nope")
    assert result.exit_code == 1 and "no units found" in result.stderr
