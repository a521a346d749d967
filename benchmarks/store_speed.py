"""Write a generated meaning graph into the bundled local server two ways, in one run.

    python benchmarks/store_speed.py [--units 50000] [--row-sample 3000]

1. GraphMind's batched ingest (UNWIND ... MERGE in managed write transactions) of the
   whole graph; then the same corpus again (re-ingest of unchanged documents).
2. The baseline: one write transaction per element (node or relationship) through the
   same driver, on the first documents of the same corpus until ``--row-sample`` elements
   are written (a full per-row run of 50,000 units takes far too long to wait for; the
   rate is per element either way).
Prints elements/s for both and their ratio (target >= 10x), and first ingest time /
re-ingest time (target >= 3x).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphmind.model import Extraction  # noqa: E402
from graphmind.schema import load_schema  # noqa: E402
from graphmind.store import server  # noqa: E402
from graphmind.store.store import GraphStore  # noqa: E402
from synthetic import corpus  # noqa: E402

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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50000)
    ap.add_argument("--row-sample", type=int, default=3000, help="elements written one transaction each")
    ap.add_argument("--heap", default="2g")
    args = ap.parse_args(argv)
    docs = corpus(args.units)
    total_units = sum(len(e.units) for e in docs)
    with tempfile.TemporaryDirectory() as tmp:
        state, _ = server.start(tmp, heap=args.heap)
        try:
            store = GraphStore(state.uri, state.user, state.password, state.database)
            store.apply_schema()
            n, row_time = per_row(store, docs, args.row_sample)
            store.clear()
            t0 = time.perf_counter()
            store.ingest(docs)
            batch_time = time.perf_counter() - t0
            nodes, rels = store.counts()
            t0 = time.perf_counter()
            summary = store.ingest(docs)
            again_time = time.perf_counter() - t0
            assert summary.counts["units"]["written"] == 0
            store.close()
        finally:
            server.stop(tmp)
    batch_rate, row_rate = (nodes + rels) / batch_time, n / row_time
    print(f"graph: {len(docs)} documents, {total_units} units, {nodes} nodes + {rels} relationships")
    print()
    print("| method | elements | seconds | elements/s |")
    print("|---|---|---|---|")
    print(f"| one transaction per element (sample) | {n} | {row_time:.1f} | {row_rate:,.0f} |")
    print(f"| GraphMind batched ingest | {nodes + rels} | {batch_time:.1f} | {batch_rate:,.0f} |")
    print(f"| GraphMind re-ingest, unchanged | {nodes + rels} | {again_time:.1f} | {(nodes + rels) / again_time:,.0f} |")
    print()
    print(f"batched / per-row: {batch_rate / row_rate:.1f}x (target >= 10x)")
    print(f"first ingest / re-ingest: {batch_time / again_time:.1f}x (target >= 3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
