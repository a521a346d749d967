"""The store on both servers side by side, in one run: the bundled ArcadeDB and Neo4j 5.

    python benchmarks/store_speed.py [--units 50000] [--row-sample 3000] [--backends arcadedb,neo4j]
                                     [--heap 2g] [--runs 20] [--profile]

Both servers run at once; each step runs on one, then the other, on the same generated graph:
1. the baseline: one write transaction per element (node or relationship) through the same
   driver, on the first documents until ``--row-sample`` elements are written (a full per-row
   run would take hours; the rate is per element either way);
2. GraphMind's batched ingest of the whole graph (elements/s), then the same corpus again
   (re-ingest of unchanged documents);
3. every named query, ``--runs`` times each after one warm-up run: the median latency (a
   query whose runs would take over ``--budget`` seconds gets fewer, at least 3);
4. export's graph read (``GraphStore.load_graph``, the whole graph into networkx).
Prints one table per step with both servers and their ratio. ``--profile`` also prints, for
Neo4j, the ``PROFILE`` plan of the ingest statements and of each query, operators by db hits.

The Neo4j server is the test launcher of ``tests/neo4j`` (``make neo4j-build`` first).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from neo4j.exceptions import Neo4jError  # noqa: E402

from graphmind import queries  # noqa: E402
from graphmind.model import Extraction  # noqa: E402
from graphmind.schema import load_schema  # noqa: E402
from graphmind.store import cypher, server  # noqa: E402
from graphmind.exceptions import StoreError  # noqa: E402
from graphmind.store.store import GraphStore  # noqa: E402
from synthetic import corpus  # noqa: E402

import neo4j_server  # noqa: E402


def per_row(store: GraphStore, docs: list[Extraction], limit: int) -> tuple[int, float]:
    """One write transaction per node and per relationship."""
    schema = load_schema()
    written, t0 = 0, time.perf_counter()

    def one(query: str, **params) -> None:
        nonlocal written
        with store.driver.session(database=store.database) as s:
            s.execute_write(lambda tx: tx.run(query, **params).consume())
        written += 1

    for ex in docs:
        d = ex.document
        one("MERGE (n:Document {id: $id}) SET n.title = $title, n.source = $source", id=d.id, title=d.title, source=d.source)
        prev = None
        for p in ex.paragraphs:
            one("MERGE (n:Paragraph {id: $id}) SET n.text = $text, n.document_id = $doc", id=p.id, text=p.text, doc=d.id)
            one("MATCH (d:Document {id: $d}), (p:Paragraph {id: $p}) MERGE (d)-[:HAS_PARAGRAPH]->(p)", d=d.id, p=p.id)
            if prev:
                one("MATCH (a:Paragraph {id: $a}), (b:Paragraph {id: $b}) MERGE (a)-[:NEXT]->(b)", a=prev, b=p.id)
            prev = p.id
        for u in ex.units:
            label = schema.unit_type(u.type).label
            one(f"MERGE (n:Unit:{label} {{id: $id}}) SET n.text = $text, n.type = $type", id=u.id, text=u.text, type=u.type)
            one("MATCH (p:Paragraph {id: $p}), (u:Unit {id: $u}) MERGE (p)-[:HAS_UNIT]->(u)", p=u.paragraph_id, u=u.id)
        for c in ex.concepts:
            one("MERGE (n:Concept {id: $id}) SET n.label = $label", id=c.id, label=c.label)
            for uid in c.unit_ids:
                one("MATCH (u:Unit {id: $u}), (c:Concept {id: $c}) MERGE (u)-[:MENTIONS]->(c)", u=uid, c=c.id)
        for r in ex.relations:
            rel = schema.relation_type(r.type).rel
            one(f"MATCH (a:Unit {{id: $a}}), (b:Unit {{id: $b}}) MERGE (a)-[:{rel} {{id: $id}}]->(b)",
                a=r.source, b=r.target, id=r.id)
        if written >= limit:
            break
    return written, time.perf_counter() - t0


class TimedStore(GraphStore):
    """GraphMind's store, timing where ingest spends its time: each statement (by its first
    words), the commits, the reads before writing; the rest is GraphMind's own Python."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reset()

    def reset(self) -> None:
        self.statements: dict[str, float] = {}
        self.commits = self.reads = 0.0

    def read(self, query: str, **params):
        t0 = time.perf_counter()
        try:
            return super().read(query, **params)
        finally:
            self.reads += time.perf_counter() - t0

    def write(self, work) -> None:
        spent = []
        statements = self.statements

        class Tx:
            def __init__(self, tx):
                self.tx = tx

            def run(self, query, **params):
                t0 = time.perf_counter()
                result = self.tx.run(query, **params)

                class Timed:
                    def consume(self_inner):
                        summary = result.consume()
                        dt = time.perf_counter() - t0
                        key = statement_name(query)
                        statements[key] = statements.get(key, 0.0) + dt
                        spent.append(dt)
                        return summary

                return Timed()

        t0 = time.perf_counter()
        super().write(lambda tx: work(Tx(tx)))
        self.commits += time.perf_counter() - t0 - sum(spent)


def statement_name(query: str) -> str:
    """The name of a statement in graphmind.store.cypher (or the unit/relation label it writes)."""
    for name in dir(cypher):
        if name.isupper() and getattr(cypher, name) == query:
            return name
    m = re.search(r"CREATE \(u:Unit:(\w+)\)", query) or re.search(r"CREATE \(a\)-\[x:(\w+)\]", query)
    return ("create_units" if "u:Unit:" in query else "create_relations") + f"({m.group(1)})" if m else query[:40]


def query_params(name: str, docs: list[Extraction]) -> dict:
    return queries.get(name).bind({"document": docs[len(docs) // 2].document.id} if name == "argument_tree" else {})


def profile_lines(store: GraphStore, text: str, params: dict, top: int = 4) -> list[str]:
    """The operators of a PROFILE plan with the most db hits (rolled back: nothing is kept)."""
    with store.driver.session(database=store.database) as s:
        tx = s.begin_transaction()
        try:
            result = tx.run("PROFILE " + text, **params)
            for _ in result:  # a plan with a UNION subquery has its figures only once every row is read
                pass
            plan = result.consume().profile
        except Neo4jError as exc:
            return [f"    (no PROFILE: {' '.join(str(exc.message).split())[:120]})"]
        finally:
            tx.rollback()
    ops = []

    def walk(p, depth=0):
        args = p.get("args", {})
        detail = " ".join(str(args.get("Details", "")).split())[:100]
        ops.append((p.get("dbHits", 0), p.get("rows", 0), depth, p["operatorType"].split("@")[0], detail))
        for child in p.get("children", []):
            walk(child, depth + 1)

    walk(plan)
    total = sum(o[0] for o in ops)
    lines = [f"    {total:,} db hits in {len(ops)} operators; the most:"]
    for hits, rows, _, op, detail in sorted(ops, reverse=True)[:top]:
        lines.append(f"      {hits:>11,} hits {rows:>9,} rows  {op}  {detail}")
    return lines


def read_split(store: GraphStore) -> tuple[float, float, float]:
    """Export's two reads once more: (the server's own time as it reports it, the time until
    every record has arrived in Python, networkx building) in seconds."""
    server_ms, fetched = 0, 0.0
    rows = {}
    for name, query in (("nodes", cypher.ALL_NODES), ("edges", cypher.ALL_EDGES)):
        t0 = time.perf_counter()
        with store.driver.session(database=store.database) as s:
            result = s.run(query)
            rows[name] = [r.data() for r in result]
            summary = result.consume()
        fetched += time.perf_counter() - t0
        server_ms += (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
    t0 = time.perf_counter()
    import networkx as nx

    g = nx.MultiDiGraph()
    for n in rows["nodes"]:
        g.add_node(n["id"], **dict(n["props"]), labels=sorted(n["labels"]))
    for e in rows["edges"]:
        g.add_edge(e["source"], e["target"], key=e["props"].get("id") or e["type"], **dict(e["props"]), rel=e["type"])
    return server_ms / 1000, fetched, time.perf_counter() - t0


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(stores: dict[str, GraphStore], docs: list[Extraction], args) -> dict:
    """Each step on every server before the next step, so that a busy moment on this shared
    machine falls on both alike; query runs alternate between the servers."""
    out: dict = {name: {"queries": {}} for name in stores}
    for name, store in stores.items():
        store.apply_schema()
        store.clear()
        out[name]["per_row"] = per_row(store, docs, args.row_sample)
        store.clear()
    for name, store in stores.items():
        store.reset()
        out[name]["ingest"] = timed(lambda: store.ingest(docs))
        out[name]["breakdown"] = (dict(store.statements), store.commits, store.reads)
        out[name]["nodes"], out[name]["rels"] = store.counts()
    for name, store in stores.items():
        summaries = []
        out[name]["again"] = timed(lambda: summaries.append(store.ingest(docs)))
        assert summaries[0].counts["units"]["written"] == 0
    for qname, q in sorted(queries.library().items()):
        params = query_params(qname, docs)
        times: dict[str, list[float]] = {name: [] for name in stores}
        rows: dict[str, object] = {}
        for name, store in stores.items():  # warm-up: plan cache, page cache
            try:
                rows[name] = len(store.run(q.text, params)[1])
            except StoreError as exc:
                rows[name] = str(exc)
        live = [name for name in stores if isinstance(rows[name], int)]
        while live:
            for name in list(live):
                t0 = time.perf_counter()
                stores[name].run(q.text, params)
                times[name].append(time.perf_counter() - t0)
                n = len(times[name])
                if n >= args.runs or (sum(times[name]) >= args.budget and n >= 3):
                    live.remove(name)
        for name in stores:
            t = times[name]
            out[name]["queries"][qname] = (statistics.median(t) if t else None, rows[name], len(t))
    for name, store in stores.items():
        graphs = []
        out[name]["read"] = timed(lambda: graphs.append(store.load_graph()))
        assert graphs[0].number_of_nodes() == out[name]["nodes"]
        out[name]["read_split"] = read_split(store)
    if args.profile and "neo4j" in stores:
        store = stores["neo4j"]
        print("PROFILE on Neo4j")
        for qname, q in sorted(queries.library().items()):
            print(f"  query {qname}:")
            print("\n".join(profile_lines(store, q.text, query_params(qname, docs))))
        print("  graph read:")
        print("\n".join(profile_lines(store, cypher.ALL_NODES, {})))
        print("\n".join(profile_lines(store, cypher.ALL_EDGES, {})))
        print("  ingest (one batch of 100 documents into an empty graph, each statement; rolled back):")
        profile_ingest(store, docs[:100])
    return out


def profile_ingest(store: GraphStore, docs: list[Extraction]) -> None:
    """PROFILE each write statement of one batch, in a transaction that is rolled back."""
    store.clear()
    plan_holder = {}

    class Recorder:
        """Stands in for the transaction: records each statement with its rows."""

        def run(self, query, **params):
            plan_holder.setdefault(query, []).append(params)

            class Done:
                def consume(self_inner):
                    return None

            return Done()

    from graphmind.store.store import IngestSummary, _Plan  # noqa: F401  (the store's own planner)

    batch, summary = docs, IngestSummary()
    prepared = [(ex, store._prepare(ex)) for ex in batch]
    plan = _Plan()
    for ex, prep in prepared:
        store._plan_document(ex, prep, {}, plan, summary)
    store._execute(Recorder(), plan)
    with store.driver.session(database=store.database) as s:
        tx = s.begin_transaction()
        try:
            for query, param_list in plan_holder.items():
                hits = 0
                t0 = time.perf_counter()
                for params in param_list:
                    prof = tx.run("PROFILE " + query, **params).consume().profile

                    def total(p):
                        return p.get("dbHits", 0) + sum(total(c) for c in p.get("children", []))

                    hits += total(prof)
                spent = time.perf_counter() - t0
                print(f"    {spent * 1000:8.1f} ms {hits:>10,} db hits  {query[:110]}")
        finally:
            tx.rollback()


def start(name: str, tmp: str, heap: str):
    if name == "arcadedb":
        state, _ = server.start(Path(tmp) / "arcadedb", heap=heap)
        store = TimedStore(state.uri, state.user, state.password, state.database)
        return store, lambda: server.stop(Path(tmp) / "arcadedb"), "ArcadeDB (bundled)"
    neo = neo4j_server.start(Path(tmp) / "neo4j", heap=heap)
    store = TimedStore(neo.uri, neo.user, neo.password, neo.database)
    return store, neo.stop, f"Neo4j {neo.version} Community"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50000)
    ap.add_argument("--row-sample", type=int, default=3000, help="elements written one transaction each")
    ap.add_argument("--backends", default="arcadedb,neo4j")
    ap.add_argument("--heap", default="2g", help="JVM heap of each server")
    ap.add_argument("--runs", type=int, default=20, help="timed runs of each named query")
    ap.add_argument("--budget", type=float, default=60.0,
                    help="seconds of timed runs per query and server: a slower query gets fewer runs (at least 3)")
    ap.add_argument("--profile", action="store_true", help="print Neo4j's PROFILE of the ingest statements and queries")
    args = ap.parse_args(argv)
    docs = corpus(args.units)
    total_units = sum(len(e.units) for e in docs)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    labels, stores, stops = {}, {}, []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for name in backends:
                stores[name], stop, labels[name] = start(name, tmp, args.heap)
                stops.append(stop)
            results = measure(stores, docs, args)
        finally:
            for store in stores.values():
                store.close()
            for stop in stops:
                stop()
    first = results[backends[0]]
    print(f"graph: {len(docs)} documents, {total_units} units, {first['nodes']} nodes + {first['rels']} relationships;"
          f" heap {args.heap} each; servers: " + ", ".join(labels[b] for b in backends))
    print()
    head = " | ".join(labels[b] for b in backends)
    print(f"| step | {head} |" + (" ratio |" if len(backends) == 2 else ""))
    print("|---|" + "---|" * len(backends) + ("---|" if len(backends) == 2 else ""))

    def row(label, values, fmt, ratio=None):
        cells = " | ".join(fmt(v) for v in values)
        tail = f" {ratio:.2f} |" if ratio is not None else ""
        print(f"| {label} | {cells} |{tail}")

    rates = [results[b]["per_row"][0] / results[b]["per_row"][1] for b in backends]
    two = len(backends) == 2
    row("one transaction per element, elements/s", rates, lambda v: f"{v:,.0f}", rates[1] / rates[0] if two else None)
    elements = [results[b]["nodes"] + results[b]["rels"] for b in backends]
    ingest = [e / results[b]["ingest"] for e, b in zip(elements, backends)]
    row("batched ingest, elements/s", ingest, lambda v: f"{v:,.0f}", ingest[1] / ingest[0] if two else None)
    row("batched ingest, s", [results[b]["ingest"] for b in backends], lambda v: f"{v:.1f}",
        results[backends[1]]["ingest"] / results[backends[0]]["ingest"] if two else None)
    row("re-ingest unchanged, s", [results[b]["again"] for b in backends], lambda v: f"{v:.2f}",
        results[backends[1]]["again"] / results[backends[0]]["again"] if two else None)
    row("batched / per-row", [i / r for i, r in zip(ingest, rates)], lambda v: f"{v:.1f}x")
    row("first ingest / re-ingest", [results[b]["ingest"] / results[b]["again"] for b in backends], lambda v: f"{v:.1f}x")
    row("graph read (load_graph), s", [results[b]["read"] for b in backends], lambda v: f"{v:.2f}",
        results[backends[1]]["read"] / results[backends[0]]["read"] if two else None)
    splits = [results[b]["read_split"] for b in backends]
    row("graph read again: server's own time, s", [x[0] for x in splits], lambda v: f"{v:.2f}")
    row("graph read again: until every record is in Python, s", [x[1] for x in splits], lambda v: f"{v:.2f}")
    row("graph read again: building the networkx graph, s", [x[2] for x in splits], lambda v: f"{v:.2f}")
    print()
    print("where the first ingest spends its time (s):")
    print()
    print(f"| part | {head} |")
    print("|---|" + "---|" * len(backends))
    parts: dict[str, list[float]] = {}
    for k, b in enumerate(backends):
        statements, commits, reads = results[b]["breakdown"]
        own = results[b]["ingest"] - commits - reads - sum(statements.values())
        for key, value in list(statements.items()) + [("commits", commits), ("reads before writing", reads),
                                                      ("GraphMind's own Python (hashing, planning)", own)]:
            parts.setdefault(key, [0.0] * len(backends))[k] = value
    for key, values in sorted(parts.items(), key=lambda kv: -max(kv[1])):
        print(f"| {key} | " + " | ".join(f"{v:.2f}" for v in values) + " |")
    print()
    print(f"named queries, median of {args.runs} runs (ms; rows returned; fewer runs where {args.runs} would "
          f"take over {args.budget:.0f} s):")
    print()
    print(f"| query | {head} |" + (" ratio |" if two else ""))
    print("|---|" + "---|" * len(backends) + ("---|" if two else ""))
    for qname in sorted(queries.library()):
        vals = [results[b]["queries"][qname] for b in backends]
        cells = " | ".join(f"{t * 1000:,.1f} ({n:,} rows{'' if k == args.runs else f'; {k} runs'})" if t is not None
                           else f"failed: {n}" for t, n, k in vals)
        ok = two and all(v[0] is not None for v in vals)
        tail = (f" {vals[1][0] / vals[0][0]:.2f} |" if ok else " - |") if two else ""
        print(f"| {qname} | {cells} |{tail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
