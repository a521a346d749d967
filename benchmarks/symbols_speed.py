"""`graphmind symbols build` on the generated 50,000-unit graph, in the bundled local server.

    python benchmarks/symbols_speed.py [--units 50000] [--heap 2g] [--old WORKTREE]

The corpus is ``synthetic.corpus`` with a glyph declared every 25 documents (116 alchemical
glyphs) and a glyph written in every seventh document. After ingest, each measured step runs
in a fresh process (peak resident memory, VmHWM, is that process's own):
1. baseline: ``GraphStore.load_graph()`` alone (reading the graph back is the floor any
   symbol stage pays);
2. ``build_symbols`` without found symbols (declared + used), first run;
3. ``build_symbols`` with found symbols (networkx Louvain, seed 0, min size 5), first run;
4. the same again (nothing changed: idempotent, nothing written);
5. with found symbols by label propagation instead (replacing the Louvain ones).
Prints seconds, peak memory and the ratio to the baseline. With ``--old WORKTREE`` (another
checkout, e.g. ``git worktree add --detach ../gm-old <commit>``) steps 2-5 run first under that
version and then under this one, so each row has both (this version's first run then finds
the old one's symbols already written: the same symbols, written or unchanged).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from graphmind.store.store import GraphStore
from graphmind.symbols import FoundOptions
from graphmind.symbols.run import build_symbols
from synthetic import peak_rss_mib
step = sys.argv[1]
store = GraphStore(sys.argv[2], sys.argv[3], sys.argv[4])
t0 = time.perf_counter()
if step == "load":
    g = store.load_graph()
    out = {{"nodes": g.number_of_nodes()}}
else:
    found = None if step == "declared" else FoundOptions(method="label-propagation" if step == "lpa" else "louvain")
    r = build_symbols(store, found=found, use_table=False)
    by = {{}}
    for s in r.detected.symbols:
        by[s.origin] = by.get(s.origin, 0) + 1
    out = {{"symbols": by, "written": r.summary.written, "unchanged": r.summary.unchanged,
           "removed": r.summary.removed}}
out["seconds"] = time.perf_counter() - t0
out["peak_mib"] = peak_rss_mib()
print(json.dumps(out))
"""


def step(name: str, state, root: Path = ROOT) -> dict:
    code = CHILD.format(root=str(root), bench=str(Path(__file__).resolve().parent))
    done = subprocess.run([sys.executable, "-c", code, name, state.uri, state.user, state.password],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    from graphmind.store import server
    from graphmind.store.store import GraphStore
    from synthetic import corpus

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50000)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--old", help="another GraphMind checkout whose symbol build runs beside this one")
    args = ap.parse_args(argv)
    docs = corpus(args.units, symbols_every=25)
    with tempfile.TemporaryDirectory() as tmp:
        state, _ = server.start(tmp, heap=args.heap)
        try:
            store = GraphStore(state.uri, state.user, state.password, state.database)
            store.apply_schema()
            t0 = time.perf_counter()
            store.ingest(docs)
            ingest = time.perf_counter() - t0
            nodes, rels = store.counts()
            store.close()
            del docs
            results = {}
            for name in ("load", "declared", "found", "again", "lpa"):
                if args.old and name != "load":
                    results["old " + name] = step(name, state, Path(args.old).resolve())
                results[name] = step(name, state)
        finally:
            server.stop(tmp)
    base = results["load"]["seconds"]
    print(f"graph: {args.units} units, {nodes} nodes + {rels} relationships (ingest {ingest:.1f} s)")
    print()
    print("| step | seconds | × load_graph | peak memory | symbols | written / unchanged |")
    print("|---|---|---|---|---|---|")
    names = {"load": "baseline: load_graph() alone", "declared": "symbols build --no-found (declared + used)",
             "found": "symbols build (+ found, Louvain)", "again": "symbols build again, nothing changed",
             "lpa": "symbols build --method label-propagation"}
    for name, r in results.items():
        label = ("old: " + names[name[4:]]) if name.startswith("old ") else names[name]
        syms = ", ".join(f"{n} {o}" for o, n in sorted(r.get("symbols", {}).items()))
        wr = f"{r['written']} / {r['unchanged']}" if "written" in r else ""
        print(f"| {label} | {r['seconds']:.1f} | {r['seconds'] / base:.2f} | {r['peak_mib']:.0f} MiB | {syms} | {wr} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
