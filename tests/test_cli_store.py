"""`graphmind db` against the bundled local server; `ingest` and `query` through the CLI against
each real backend (see conftest)."""

import csv
import io
import json
import os
import stat

import pytest
from click.testing import CliRunner

from graphmind.cli import main
from graphmind.store import server

from conftest import EXAMPLES

pytestmark = pytest.mark.store


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-db")
    result = run("db", "start", "--data-dir", str(d))
    assert result.exit_code == 0, result.output
    yield str(d)
    run("db", "stop", "--data-dir", str(d))


def test_db_start_keeps_secrets_owner_only_and_out_of_output(data_dir):
    state = server.read_state(server.data_dir(data_dir).resolve())
    result = run("db", "status", "--data-dir", data_dir)
    assert result.exit_code == 0 and f":{state.bolt_port}" in result.output
    assert state.password not in result.output
    for name in ("server.json", "password"):
        mode = stat.S_IMODE(os.stat(os.path.join(data_dir, name)).st_mode)
        assert mode == 0o600
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700


def test_ingest_prints_a_summary_and_is_idempotent(cli):
    first = cli("ingest", str(EXAMPLES))
    assert first.exit_code == 0, first.output
    second = cli("ingest", str(EXAMPLES))
    assert "documents: 0 written, 5 unchanged, 0 removed" in second.stderr


def test_query_list_names_every_query_with_its_description():
    result = run("query", "--list")
    assert "unsupported_claims" in result.output and "Claims and conclusions" in result.output


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_named_query_in_each_format(cli, fmt):
    cli("ingest", str(EXAMPLES))
    result = cli("query", "document_overview", "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert len(json.loads(result.output)) == 5
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(result.output)))) == 5
    else:
        assert "(5 rows)" in result.output


def strict_json(text: str):
    """JSON as the standard has it: NaN and Infinity are not JSON."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_every_named_query_prints_json(cli):
    from graphmind import queries

    cli("ingest", str(EXAMPLES))
    document = strict_json(cli("query", "document_overview", "--format", "json").stdout)[0]["id"]
    values = {"document": document, "symbol": "river"}
    for q in queries.library().values():
        params = [f"--param={p}={values[p]}" for p, _ in q.params if p in values]
        result = cli("query", q.name, *params, "--format", "json")
        assert result.exit_code == 0, (q.name, result.output)
        assert isinstance(strict_json(result.stdout), list), q.name


def test_query_json_gives_nodes_and_relationships_as_objects(cli):
    cli("ingest", str(EXAMPLES))
    text = "MATCH (d:Document)-[r:HAS_PARAGRAPH]->(p:Paragraph) RETURN d, r, p ORDER BY d.id, p.id LIMIT 1"
    row = strict_json(cli("query", "--cypher", text, "--format", "json").stdout)[0]
    assert set(row["d"]) == {"id", "labels", "properties"} and row["d"]["labels"] == ["Document"]
    assert row["d"]["id"] == row["d"]["properties"]["id"]
    assert set(row["r"]) == {"type", "start", "end", "properties"} and row["r"]["type"] == "HAS_PARAGRAPH"
    assert (row["r"]["start"], row["r"]["end"]) == (row["d"]["id"], row["p"]["id"])


def test_query_json_gives_non_finite_floats_as_strings(cli):
    result = cli("query", "--cypher", "RETURN $a AS a, $b AS b, $c AS c, $d AS d", "--param", "a=NaN",
                 "--param", "b=Infinity", "--param", "c=-Infinity", "--param", "d=1.5", "--format", "json")
    assert result.exit_code == 0, result.output
    assert strict_json(result.stdout) == [{"a": "NaN", "b": "Infinity", "c": "-Infinity", "d": 1.5}]


def test_ad_hoc_query_is_read_only_unless_write(cli):
    denied = cli("query", "--cypher", "CREATE (:Concept {id: 'adhoc'})")
    assert denied.exit_code == 1 and "--write" in denied.stderr
    count = "MATCH (c:Concept {id: 'adhoc'}) RETURN count(c) AS n"
    assert json.loads(cli("query", "--cypher", count, "--format", "json").output) == [{"n": 0}]
    allowed = cli("query", "--cypher", "CREATE (:Concept {id: 'adhoc'})", "--write")
    assert allowed.exit_code == 0
    assert json.loads(cli("query", "--cypher", count, "--format", "json").output) == [{"n": 1}]
    cli("query", "--cypher", "MATCH (c:Concept {id: 'adhoc'}) DELETE c", "--write")


def test_unknown_query_is_a_one_line_error(cli):
    result = cli("query", "no_such_query")
    assert result.exit_code == 1 and "graphmind query --list" in result.stderr


def test_uri_with_nothing_listening_is_one_line_error():
    port = server.free_port()
    result = run("query", "document_overview", "--uri", f"bolt://127.0.0.1:{port}",
                 env={"GRAPHMIND_PASSWORD": "topsecret"})
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "topsecret" not in result.stderr


def test_command_starts_a_server_for_itself_and_stops_it(tmp_path):
    d = str(tmp_path / "auto")
    result = run("ingest", str(EXAMPLES / "plain-essay.txt"), "--data-dir", d)
    assert result.exit_code == 0, result.output
    assert "1 written" in result.stderr
    assert server.running_state(server.data_dir(d).resolve()) is None
    assert run("db", "status", "--data-dir", d).exit_code == 3
