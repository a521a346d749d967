"""Export a 50,000-unit meaning graph to RDF and import it back into the local server.

    python benchmarks/rdf_speed.py [--units 50000] [--format turtle]

Export = graph → rdflib triples → serialized file; import = parse → extractions → ingest
into an empty bundled local server. Prints triples/s both ways (parse and ingest also
separately).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphmind import rdf  # noqa: E402
from graphmind.store import server  # noqa: E402
from graphmind.store.store import GraphStore  # noqa: E402
from graphmind.walk.memory import to_networkx  # noqa: E402
from synthetic import corpus  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50000)
    ap.add_argument("--format", default="turtle", choices=["turtle", "nt", "json-ld", "xml"])
    args = ap.parse_args(argv)
    g = to_networkx(corpus(args.units))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"graph.{ {'turtle': 'ttl', 'json-ld': 'jsonld', 'xml': 'rdf'}.get(args.format, args.format)}"
        t0 = time.perf_counter()
        triples = rdf.export_file(g, path, args.format)
        export_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        parsed = rdf.parse_file(path, args.format)
        extractions = rdf.from_rdf(parsed)
        parse_s = time.perf_counter() - t0
        state, _ = server.start(Path(tmp) / "db", heap="2g")
        try:
            store = GraphStore(state.uri, state.user, state.password, state.database)
            store.apply_schema()
            t0 = time.perf_counter()
            store.ingest(extractions)
            ingest_s = time.perf_counter() - t0
            store.close()
        finally:
            server.stop(Path(tmp) / "db")
        size = path.stat().st_size / 2**20
    print(f"{args.units} units, {triples} triples, {args.format} file {size:.1f} MiB")
    print()
    print("| step | seconds | triples/s |")
    print("|---|---|---|")
    print(f"| export (graph → {args.format} file) | {export_s:.1f} | {triples / export_s:,.0f} |")
    print(f"| import: parse + rebuild | {parse_s:.1f} | {triples / parse_s:,.0f} |")
    print(f"| import: ingest into the local server | {ingest_s:.1f} | {triples / ingest_s:,.0f} |")
    print(f"| import, whole | {parse_s + ingest_s:.1f} | {triples / (parse_s + ingest_s):,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
