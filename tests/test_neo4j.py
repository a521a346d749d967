"""Neo4j 5 as its users meet it: the schema as they expect it, the errors they run into, and
README's Neo4j section followed literally, against the real Neo4j server of the tests."""

import os
import re
import shlex
import subprocess
import sys

import pytest
import yaml

from graphmind.exceptions import StoreError
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.store import cypher

from conftest import BACKENDS, EXAMPLES, ROOT

pytestmark = [pytest.mark.store,
              pytest.mark.skipif("neo4j" not in BACKENDS, reason="GRAPHMIND_TEST_BACKENDS does not name neo4j")]


@pytest.fixture
def neo4j(neo4j_backend):
    store = neo4j_backend.connect()
    store.apply_schema()
    store.clear()
    yield neo4j_backend, store
    store.close()


@pytest.fixture
def launcher(neo4j_backend):
    """The Neo4j that the tests started, to steer into trouble (not a server at GRAPHMIND_TEST_URI)."""
    if neo4j_backend.neo4j is None:
        pytest.skip("needs the Neo4j started by the tests, not the one at GRAPHMIND_TEST_URI")
    return neo4j_backend.neo4j


@pytest.fixture(scope="module")
def corpus():
    return list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False)))


def snapshot(store):
    g = store.load_graph()
    return sorted(map(str, g.nodes(data=True))), sorted(map(str, g.edges(keys=True, data=True)))


# -- the schema ----------------------------------------------------------------------
def explain(store, text, params):
    with store.driver.session(database=store.database) as s:
        plan = s.run("EXPLAIN " + text, **params).consume().plan
    ops = []

    def walk(p):
        ops.append((p["operatorType"].split("@")[0], str(p.get("args", {}).get("Details", ""))))
        for child in p.get("children", []):
            walk(child)

    walk(plan)
    return ops


WHOLE_GRAPH = {"ALL_NODES", "ALL_EDGES", "COUNT_NODES", "COUNT_RELATIONSHIPS", "ALL_DOCUMENT_SOURCES",
               "ALL_DOCUMENT_IDS", "ALL_SYMBOL_IDS", "RESOLVE_LINKS_TO",  # they read every node (or document) on purpose
               "ANY_SYMBOL"}  # the first symbol of the label's scan, if any


@pytest.mark.parametrize("name", sorted(n for n in dir(cypher) if n.isupper() and isinstance(getattr(cypher, n), str)
                                         and n not in WHOLE_GRAPH)
                         + ["create_units", "create_relations"])
def test_every_lookup_of_ingest_prune_and_one_document_read_is_an_index_seek(neo4j, name):
    _, store = neo4j
    text = getattr(cypher, name)
    if name == "create_units":
        text = text("Claim")
    elif name == "create_relations":
        text = text("SUPPORTS", "Unit")
    params = {"id": "x", "ids": ["x"], "rows": [{"id": "x", "props": {"document_id": "d", "paragraph_id": "p"},
                                       "document_id": "d", "section_id": "s", "source": "a", "target": "b",
                                       "concepts": [], "label": "l", "lemma": "l", "lang": "en", "index": 0}]}
    ops = explain(store, text, params)
    scans = [(op, detail) for op, detail in ops if op in ("NodeByLabelScan", "AllNodesScan")]
    assert not scans, f"{name} scans instead of seeking: {scans}"
    assert any("Index" in op for op, _ in ops), ops


# -- errors ----------------------------------------------------------------------------
def test_unknown_database_is_one_clear_line(neo4j):
    backend, _ = neo4j
    with pytest.raises(StoreError) as err:
        backend.connect(database="nosuchdb")
    message = str(err.value)
    assert "\n" not in message and "'nosuchdb'" in message and "GRAPHMIND_DATABASE" in message
    assert backend.password not in message


def test_database_option_chooses_the_database(neo4j):
    backend, store = neo4j
    ok = backend.cli("ingest", str(EXAMPLES / "plain-essay.txt"), "--database", backend.database)
    assert ok.exit_code == 0, ok.output
    wrong = backend.cli("query", "document_overview", env={"GRAPHMIND_DATABASE": "nosuchdb"})
    assert wrong.exit_code == 1 and wrong.stderr.count("\n") == 1 and "'nosuchdb'" in wrong.stderr
    assert store.counts()[0] > 0


def test_database_still_starting_is_one_clear_line_and_then_works(neo4j, launcher, corpus):
    backend, store = neo4j
    launcher.control("starting")
    try:
        with pytest.raises(StoreError) as err:
            backend.connect()
        message = str(err.value)
        assert "\n" not in message and "not available" in message and "run the command again" in message
    finally:
        launcher.control("started")
    again = backend.connect()
    again.ingest(corpus)
    assert again.counts()[0] > 0
    again.close()


def test_read_only_database_writes_nothing_and_rerun_converges(neo4j, launcher, corpus):
    backend, store = neo4j
    store.ingest(corpus[:2])
    before = snapshot(store)
    launcher.control("read-only")
    try:
        quick = backend.connect(retry_seconds=0.5)  # the server calls this a transient error: don't wait 15 s
        with pytest.raises(StoreError) as err:
            quick.ingest(corpus)
        quick.close()
        message = str(err.value)
        assert "\n" not in message and "read-only" in message and "refused and rolled back" in message
        assert snapshot(store) == before
        assert store.run("MATCH (d:Document) RETURN count(d)")[1] == [[2]]  # reads still work
    finally:
        launcher.control("read-write")
    store.ingest(corpus)
    converged = snapshot(store)
    store.clear()
    store.ingest(corpus)
    assert snapshot(store) == converged


# -- README, followed literally ----------------------------------------------------------
def readme_neo4j_commands() -> list[str]:
    """The shell commands of README's Neo4j section that point GraphMind at a server."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Against Neo4j 5", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, re.S)
    commands = [c.replace("\\\n", " ") for block in blocks for c in block.replace("\\\n", " ").splitlines()]
    return [c.strip() for c in commands if "GRAPHMIND_URI=" in c]


def test_readme_neo4j_section_names_both_uri_forms():
    commands = readme_neo4j_commands()
    assert any("bolt://" in c for c in commands) and any("neo4j://" in c for c in commands)


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_readme_neo4j_commands_work_as_written(neo4j, scheme, tmp_path):
    """Each README command, run by the shell with only the host, port and password put in."""
    backend, store = neo4j
    store.ingest(list(extract_paths([str(EXAMPLES / "plain-essay.txt")], RuleExtractor(trained=False))))
    title = store.run("MATCH (d:Document) RETURN d.title")[1][0][0]
    port = backend.uri.rsplit(":", 1)[1]
    command = next(c for c in readme_neo4j_commands() if f"{scheme}://" in c)
    command = re.sub(r"(bolt|neo4j)://localhost:7687", rf"\1://127.0.0.1:{port}", command)
    command = command.replace("change-me", shlex.quote(backend.password))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMIND_")}
    env["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert backend.password not in done.stdout + done.stderr
    if " ingest " in command:
        assert "documents: 5 written" in done.stderr
        assert store.run("MATCH (d:Document) RETURN count(d)")[1][0][0] == 6  # the 5 examples, and ours
    else:
        assert title in done.stdout


def test_compose_file_runs_neo4j_5_the_way_graphmind_reaches_it(neo4j):
    """docker/compose.yaml: Neo4j 5.26 LTS, its settings known to that Neo4j, and the
    graphmind service pointed at it with the environment README names."""
    backend, store = neo4j
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text(encoding="utf-8"))
    neo, gm = compose["services"]["neo4j"], compose["services"]["graphmind"]
    assert neo["image"].startswith("neo4j:5.26")
    settings = {r[0] for r in store.run("SHOW SETTINGS YIELD name RETURN name")[1]}
    for key in neo["environment"]:
        if key.startswith("NEO4J_") and key != "NEO4J_AUTH":  # NEO4J_a_b__c is setting a.b_c
            name = key[len("NEO4J_"):].replace("__", "\0").replace("_", ".").replace("\0", "_")
            assert name in settings, f"{key} sets {name}, which this Neo4j does not know"
    user, _, _ = neo["environment"]["NEO4J_AUTH"].partition("/")
    assert gm["environment"]["GRAPHMIND_USER"] == user
    assert gm["environment"]["GRAPHMIND_URI"] == "bolt://neo4j:7687"
    assert any(p.endswith(":7687") for p in neo["ports"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(k in readme for k in gm["environment"])
