"""The two backends side by side: the same notes give the same graph and the same answers on
the bundled ArcadeDB server and on Neo4j 5; the schema as each server shows it; and every
difference that graphmind/store/dialect.py names, checked on the real servers."""

import re

import pytest
from neo4j import READ_ACCESS, WRITE_ACCESS
from neo4j.exceptions import Neo4jError

from graphmind import queries
from graphmind.exceptions import StoreError
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.schema import load_schema
from graphmind.store import dialect

from conftest import BACKENDS, EXAMPLES, ROOT
from graphmind.symbols.run import build_symbols

from graphs import debate, symbolic

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def both(request):
    if set(BACKENDS) != {"arcadedb", "neo4j"}:
        pytest.skip("compares the two backends: GRAPHMIND_TEST_BACKENDS names only one")
    corpus = list(extract_paths([str(EXAMPLES)], RuleExtractor(trained=False))) + debate() + symbolic()
    stores = {}
    for name in ("arcadedb", "neo4j"):
        store = request.getfixturevalue(f"{name}_backend").connect()
        store.apply_schema()
        store.clear()
        store.ingest(corpus)
        build_symbols(store, found=None, use_table=False)
        stores[name] = store
    yield stores, corpus
    for store in stores.values():
        store.clear()
        store.close()


def answers(store, name, corpus):
    q = queries.get(name)
    if name == "argument_tree":
        return {ex.document.id: store.run(q.text, q.bind({"document": ex.document.id})) for ex in corpus}
    params = {"symbol_members": {"symbol": "⟁"}, "document_symbols": {"document": corpus[-1].document.id}}
    return store.run(q.text, q.bind(params.get(name, {})))


def test_same_node_and_relationship_counts(both):
    stores, _ = both
    assert stores["arcadedb"].counts() == stores["neo4j"].counts()


def test_same_graph_read_back_node_for_node(both):
    stores, _ = both
    graphs = {name: store.load_graph() for name, store in stores.items()}
    a, n = graphs["arcadedb"], graphs["neo4j"]
    assert dict(a.nodes(data=True)) == dict(n.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=str) == sorted(n.edges(keys=True, data=True), key=str)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_every_named_query_answers_the_same(both, name):
    stores, corpus = both
    on_arcadedb, on_neo4j = (answers(stores[b], name, corpus) for b in ("arcadedb", "neo4j"))
    assert on_arcadedb == on_neo4j
    rows = [r for _, rs in on_neo4j.values() for r in rs] if name == "argument_tree" else on_neo4j[1]
    assert rows  # the corpus gives every query something to answer


# -- the schema, as Neo4j users expect it (and as the bundled server shows it) ---------------
SCHEMA_FILE = ROOT / "schemas" / "neo4j.cypher"
INDEX = re.compile(r"CREATE INDEX (\w+) IF NOT EXISTS FOR \(n:(\w+)\) ON \(n\.(\w+)\)")
CONSTRAINT = re.compile(r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE")


def shown(store):
    constraints = {(r["name"], r["type"], tuple(r["labelsOrTypes"]), tuple(r["properties"]))
                   for r in store.read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")}
    indexes = {(r["name"], r["type"], r["state"], tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ()))
               for r in store.read("SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties")}
    return constraints, indexes


def test_every_node_kind_has_a_uniqueness_constraint_on_its_id(store):
    store.apply_schema()
    constraints, _ = shown(store)
    for label in load_schema().node_kinds.values():
        assert any(t in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS") and ls == (label,) and ps == ("id",)
                   for _, t, ls, ps in constraints), (label, constraints)


def test_every_index_of_the_schema_file_is_online_and_applying_again_adds_nothing(store):
    store.apply_schema()
    before = shown(store)
    store.apply_schema()
    assert shown(store) == before
    _, indexes = before
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    for name, label, prop in INDEX.findall(text):
        assert (name, "RANGE", "ONLINE", (label,), (prop,)) in indexes
    for name, label, prop in CONSTRAINT.findall(text):  # and the index behind each constraint
        assert (store.dialect.constraint_index_name(name, label, prop), "RANGE", "ONLINE", (label,), (prop,)) in indexes


# -- the dialect: each difference it names is real on the real server --------------------
def test_dialect_is_read_from_the_server(store, backend):
    assert store.dialect.name == backend.name and store.dialect.version[0].isdigit()


def test_agent_strings_name_the_dialect():
    arcade = dialect.detect("Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)")
    assert (arcade.name, arcade.version, arcade.product) == ("arcadedb", "26.10.2", "ArcadeDB 26.10.2")
    assert (dialect.detect("Neo4j/5.26.30").name, dialect.detect("Neo4j/5.26.30").version) == ("neo4j", "5.26.30")
    assert dialect.detect("Memgraph/2.1").name == "neo4j"  # another Bolt server: spoken to as Neo4j


def rolled_back(store, query, read=False):
    """Run ``query`` in a transaction that is rolled back; the error it raised, or None."""
    with store.driver.session(database=store.database,
                              default_access_mode=READ_ACCESS if read else WRITE_ACCESS) as s:
        tx = s.begin_transaction()
        try:
            tx.run(query).consume()
            return None
        except Neo4jError as exc:
            return exc
        finally:
            if not tx.closed():
                tx.rollback()


def test_dialect_says_whether_a_list_may_hold_a_null(store):
    refused = rolled_back(store, "CREATE (:Concept {id: 'probe', aliases: ['a', null]})")
    assert (refused is None) == store.dialect.stores_null_in_lists


def test_no_stored_list_holds_a_null(store):
    a, b = debate()  # b links to a without an alias
    store.ingest([a, b])
    lists = [v for r in store.read("MATCH (n) RETURN properties(n) AS p") for v in r["p"].values() if isinstance(v, list)]
    assert lists and not any(None in v for v in lists)


def test_dialect_says_whether_a_read_transaction_refuses_a_write(store):
    refused = rolled_back(store, "CREATE (:Concept {id: 'probe'})", read=True)
    assert (refused is not None) == store.dialect.refuses_writes_in_read_transactions
    with pytest.raises(StoreError, match="pass --write to allow writes"):  # the same error either way
        store.run("CREATE (:Concept {id: 'probe'})")
    assert store.counts() == (0, 0)


def test_dialect_says_whether_text_indexes_exist(store):
    store.write(lambda tx: tx.run("CREATE TEXT INDEX probe_text IF NOT EXISTS FOR (n:Concept) ON (n.label)").consume())
    try:
        kind = store.read("SHOW INDEXES YIELD name, type WHERE name = 'probe_text' RETURN type")[0]["type"]
    finally:
        store.write(lambda tx: tx.run("DROP INDEX probe_text IF EXISTS").consume())
    assert (kind == "TEXT") == store.dialect.has_text_indexes
