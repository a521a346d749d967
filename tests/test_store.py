"""The store contract, against each real backend (see conftest: the bundled server and Neo4j 5)."""

import os
import time

import pytest

from graphmind.exceptions import SchemaError, StoreError
from graphmind.extract.rules import RuleExtractor, extract_paths
from graphmind.model import Relation
from graphmind.store import cypher, server
from graphmind.store.store import GraphStore, safe_uri

from conftest import EXAMPLES
from graphs import debate

pytestmark = pytest.mark.store


def _own(d):
    """A node's properties without ``made_from``: what the CLI records a document was made
    from (graphmind.pipeline), which a library ingest leaves out."""
    return {k: v for k, v in d.items() if k != "made_from"}


def snapshot(store):
    g = store.load_graph()
    return (sorted((n, sorted(_own(d).items(), key=str)) for n, d in g.nodes(data=True)),
            sorted((a, b, sorted(d.items(), key=str)) for a, b, d in g.edges(data=True)))


def extract(path):
    return list(extract_paths([str(path)], RuleExtractor(trained=False)))


def test_ingesting_three_times_changes_nothing_after_the_first(store):
    corpus = extract(EXAMPLES)
    first = store.ingest(corpus)
    before = store.counts(), snapshot(store)
    for _ in range(2):
        again = store.ingest(corpus)
        assert (store.counts(), snapshot(store)) == before
        assert again.counts["units"] == {"written": 0, "unchanged": first.counts["units"]["written"], "removed": 0}
    assert before[0][0] > 0


def test_edited_paragraph_is_replaced_without_orphans(store, tmp_path):
    note = tmp_path / "note.md"
    keep = "Sleep matters. Therefore we should protect it, because rest heals."
    note.write_text(f"Cities should plant trees, because trees cool the streets.\n\n{keep}\n", encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text("Reading is a habit. Therefore we should read daily.\n", encoding="utf-8")
    store.ingest(extract(tmp_path))
    other_doc = extract(other)[0].document.id
    other_before = store.load_graph(other_doc)
    note.write_text(f"Cities should build parks, since parks are quiet.\n\n{keep}\n", encoding="utf-8")
    summary = store.ingest(extract(note))
    assert summary.counts["paragraphs"] == {"written": 1, "unchanged": 1, "removed": 1}
    texts = {r["t"] for r in store.read("MATCH (u:Unit) RETURN u.text AS t")}
    assert not any("trees" in t for t in texts) and any("parks" in t for t in texts)
    assert store.read("MATCH (u:Unit) WHERE NOT EXISTS { MATCH (:Paragraph)-[:HAS_UNIT]->(u) } RETURN count(u) AS n")[0]["n"] == 0
    assert store.read("MATCH (c:Concept) WHERE NOT EXISTS { MATCH (c)<-[:MENTIONS|DEFINES]-() } RETURN count(c) AS n")[0]["n"] == 0
    assert store.read("MATCH (c:Concept {lemma: 'tree'}) RETURN count(c) AS n")[0]["n"] == 0
    after = store.load_graph(other_doc)
    assert sorted(after.nodes(data=True)) == sorted(other_before.nodes(data=True))


def test_hostile_text_is_stored_verbatim_and_touches_nothing_else(store, tmp_path):
    hostile = ["x' }) MATCH (n) DETACH DELETE n //", "A`B", '"}) RETURN 1 //']
    (tmp_path / "evil.md").write_text("\n\n".join(f"{h} is what we store." for h in hostile), encoding="utf-8")
    store.ingest(debate())
    nodes_before = store.counts()[0]
    store.ingest(extract(tmp_path))
    stored = [r["t"] for r in store.read("MATCH (p:Paragraph {source: $s}) RETURN p.text AS t ORDER BY p.index",
                                           s=extract(tmp_path)[0].document.source)]
    assert stored == [f"{h} is what we store." for h in hostile]
    assert store.counts()[0] > nodes_before
    assert store.read("MATCH (d:Document) RETURN count(d) AS n")[0]["n"] == 3


def test_unknown_relation_type_is_rejected_before_any_query(store):
    a, _ = debate()
    u, v = a.units[0], a.units[1]
    a.relations.append(Relation("rel_bad", u.id, v.id, "destroys", "attack", "", 0.5))
    sent = []
    original = store.read
    store.read = lambda *args, **kw: sent.append(args) or original(*args, **kw)
    try:
        with pytest.raises(SchemaError, match="unknown relation type 'destroys'"):
            store.ingest([a])
    finally:
        del store.read
    assert sent == []
    assert store.counts() == (0, 0)


def test_labels_and_types_outside_the_schema_never_reach_a_query():
    with pytest.raises(SchemaError):
        cypher.checked_rel("SUPPORTS]->() DETACH DELETE n //")
    with pytest.raises(SchemaError):
        cypher.create_units("Claim:Admin")


def test_prune_removes_documents_whose_files_are_gone(store, tmp_path):
    (tmp_path / "a.md").write_text("We should walk, because walking is free.", encoding="utf-8")
    (tmp_path / "b.md").write_text("We should swim, because water is calm.", encoding="utf-8")
    store.ingest(extract(tmp_path))
    (tmp_path / "b.md").unlink()
    summary = store.prune()
    assert summary.counts["documents"]["removed"] == 1
    assert [r["s"].split("/")[-1] for r in store.read("MATCH (d:Document) RETURN d.source AS s")] == ["a.md"]
    assert store.read("MATCH (u:Unit) WHERE u.text CONTAINS 'swim' RETURN count(u) AS n")[0]["n"] == 0


def test_load_graph_of_one_document_has_only_its_nodes(store):
    a, b = debate()
    store.ingest([a, b])
    g = store.load_graph(a.document.id)
    unit_ids = {n for n, d in g.nodes(data=True) if "Unit" in d["labels"]}
    assert unit_ids == {u.id for u in a.units}
    assert {d["lemma"] for _, d in g.nodes(data=True) if "Concept" in d["labels"]} == {"attention", "mind", "read"}
    supports = [(g.nodes[s]["text"], g.nodes[t]["text"]) for s, t, d in g.edges(data=True) if d["rel"] == "SUPPORTS"]
    assert ("Reading trains attention.", "We should read every day.") in supports
    assert g.nodes[a.units[0].id]["start"] == 0 and g.nodes[a.units[0].id]["source"] == "notes/reading.md"


def test_links_resolve_by_title_or_file_name(store):
    a, b = debate()
    store.ingest([a, b])
    rows = store.read("MATCH (a:Document)-[l:LINKS_TO]->(b:Document) RETURN a.title AS a, b.title AS b, l.alias AS alias")
    assert sorted((r["a"], r["b"], r["alias"]) for r in rows) == [("Reading", "Writing", "on writing"), ("Writing", "Reading", None)]


def test_read_only_query_cannot_write(store):
    with pytest.raises(StoreError):
        store.run("CREATE (:Concept {id: 'x'})", write=False)
    assert store.counts() == (0, 0)


def test_nothing_listening_is_a_clear_error_within_two_seconds():
    port = server.free_port()
    started = time.monotonic()
    with pytest.raises(StoreError) as err:
        GraphStore(f"bolt://127.0.0.1:{port}", "neo4j", "secret-pw")
    assert time.monotonic() - started < 2.0
    message = str(err.value)
    assert "\n" not in message and "nothing answers" in message and "secret-pw" not in message


def test_wrong_password_is_a_clear_error_without_the_password(backend):
    with pytest.raises(StoreError) as err:
        GraphStore(backend.uri, backend.user, "definitely-wrong-pw")
    message = str(err.value)
    assert "credentials" in message and "definitely-wrong-pw" not in message and "\n" not in message


def test_credentials_in_a_uri_never_reach_messages():
    assert safe_uri("neo4j+s://alice:hunter2@db.example:7687/x") == "neo4j+s://alice:***@db.example:7687/x"


def documents_of(g):
    """Each stored document's own nodes and edges, by document id."""
    out = {}
    for doc in (n for n, d in g.nodes(data=True) if "Document" in d["labels"]):
        mine = {n for n, d in g.nodes(data=True) if n == doc or d.get("document_id") == doc}
        out[doc] = (sorted(str((n, sorted(_own(g.nodes[n]).items()))) for n in mine),
                    sorted(str((a, b, sorted(d.items()))) for a, b, d in g.edges(data=True) if a in mine))
    return out


def test_connection_lost_mid_ingest_is_one_line_keeps_whole_documents_and_rerun_converges(store, backend,
                                                                                         monkeypatch):
    from graphmind.store import store as store_module
    from graphs import many
    from tcp_proxy import Proxy

    monkeypatch.setattr(store_module, "BATCH_DOCUMENTS", 10)
    docs = many(30)  # three write transactions of 10 documents
    store.ingest(docs)
    reference = snapshot(store)
    whole = documents_of(store.load_graph())
    store.clear()
    port = int(backend.uri.rsplit(":", 1)[1])
    with Proxy(port) as measuring:
        backend.connect(uri=f"bolt://127.0.0.1:{measuring.port}").ingest(docs)
    total = measuring.sent
    store.clear()
    with Proxy(port, cut_after=total // 2) as proxy:
        cut = backend.connect(uri=f"bolt://127.0.0.1:{proxy.port}", retry_seconds=0.5)
        with pytest.raises(StoreError) as err:
            cut.ingest(docs)
        cut.driver.close()
    message = str(err.value)
    assert "\n" not in message and "lost the connection" in message and "run the same command again" in message
    assert backend.password not in message
    stored = documents_of(store.load_graph())
    assert 0 < len(stored) < len(docs)
    assert all(stored[doc] == whole[doc] for doc in stored)  # nothing half-written
    store.ingest(docs)
    assert snapshot(store) == reference


def test_ingest_killed_mid_way_leaves_whole_documents_and_rerun_converges(store, backend, tmp_path):
    """kill -9 of `graphmind ingest` after its first write transaction: every stored document
    is whole, and the same command again gives the graph of an uninterrupted ingest."""
    import signal
    import subprocess
    import sys

    notes = tmp_path / "notes"
    notes.mkdir()
    for d in range(250):  # three write transactions of 100 documents
        (notes / f"note{d:03d}.md").write_text("\n\n".join(
            f"We should keep note {d}.{p}, because note {d}.{p} holds topic{d % 13}." for p in range(2)),
            encoding="utf-8")
    store.ingest(extract(notes))
    reference = snapshot(store)
    whole = documents_of(store.load_graph())
    store.clear()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMIND_")}
    env.update({k: v for k, v in backend.env().items() if v is not None})
    command = [sys.executable, "-m", "graphmind.cli", "ingest", str(notes)]
    ingest = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while ingest.poll() is None and time.monotonic() < deadline:
            if store.read("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]:
                break
            time.sleep(0.02)
        ingest.send_signal(signal.SIGKILL)
    finally:
        ingest.wait()
    assert ingest.returncode == -signal.SIGKILL
    stored = documents_of(store.load_graph())
    assert 0 < len(stored) < len(whole)
    assert all(stored[doc] == whole[doc] for doc in stored)
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert snapshot(store) == reference


def test_two_ingests_at_once_both_finish_with_the_sequential_graph(store, backend, tmp_path):
    """Two `graphmind ingest` processes on one store at the same time, over notes that share
    their concepts: both end well and the graph is the one the two ingests give one after the
    other."""
    import subprocess
    import sys

    folders = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        for d in range(60):
            (folder / f"{name}{d:02d}.md").write_text(
                f"We should keep note {name}{d}, because topic{d % 7} holds memory{d % 5}.", encoding="utf-8")
        folders.append(folder)
    for folder in folders:
        store.ingest(extract(folder))
    reference = snapshot(store)
    store.clear()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHMIND_")}
    env.update({k: v for k, v in backend.env().items() if v is not None})
    runs = [subprocess.Popen([sys.executable, "-m", "graphmind.cli", "ingest", str(folder), "--quiet"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in folders]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    assert not any("Traceback" in err for _, err in outputs)
    assert snapshot(store) == reference
