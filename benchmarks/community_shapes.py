"""Shapes of graph for finding symbols as communities, measured on a stored vault (issue 17).

    python benchmarks/community_shapes.py --data-dir DIR [--resolutions 1,3,8]

Reads what the symbol stage reads (``StoreSource``, the graph server of ``DIR`` must be
running: ``graphmind db start --data-dir DIR``) and reports, for the graph the stage searches
today (units and the concepts they mention, argument edges between units), the size of that
graph, of the same graph with each paragraph's units merged into one node, and of the concept
graph alone (two concepts linked when one unit mentions both, or when an argument joins units
that mention them; a link seen at least twice, weighted by count / sqrt(df a · df b)). On the
concept graph it runs networkx Louvain (seed 0) at each resolution and assigns every unit to
the community of most of its concepts: seconds, peak memory, and the sizes of the largest
communities in units.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    import networkx as nx

    from graphmind.progress import Progress
    from graphmind.store.store import open_store
    from graphmind.symbols.detect import _Index
    from graphmind.symbols.found import HUB_SHARE
    from graphmind.symbols.source import StoreSource

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--resolutions", default="1,3,8")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with open_store(None, args.data_dir) as store:
        idx = _Index(StoreSource(store), None, set(), arguments=True, progress=Progress(quiet=True))
    units, mentions, arguments = idx.units, idx.mentions, idx.arguments
    print(f"read: {len(units):,} units, {len(idx.concepts):,} concepts, {len(arguments):,} argument edges, "
          f"{sum(map(len, mentions.values())):,} mentions in {time.perf_counter() - t0:.1f} s, peak {peak_mib()} MiB")
    df = Counter(c for cs in mentions.values() for c in set(cs))
    hub = max(20, HUB_SHARE * len(units))
    keep = {c for c, n in df.items() if n <= hub}
    of = {u: sorted({c for c in cs if c in keep}) for u, cs in mentions.items()}
    unit_edges = sum(map(len, of.values())) + len(arguments)
    by_par: dict[str, set] = defaultdict(set)
    for u, cs in of.items():
        by_par[units[u].paragraph_id].update(cs)
    cross = sum(1 for a, _, b in arguments if units[a].paragraph_id != units[b].paragraph_id)
    print(f"units + concepts (today): {len(units) + len(keep):,} nodes, {unit_edges:,} edges")
    print(f"paragraphs + concepts: {len(by_par) + len(keep):,} nodes, {sum(map(len, by_par.values())) + cross:,} edges")
    t0 = time.perf_counter()
    w: Counter = Counter()
    for cs in of.values():
        for i in range(len(cs)):
            for j in range(i + 1, len(cs)):
                w[(cs[i], cs[j])] += 1.0
    for a, _, b in arguments:
        for x in of.get(a, ()):
            for y in of.get(b, ()):
                if x != y:
                    w[(min(x, y), max(x, y))] += 0.5
    g = nx.Graph()
    g.add_nodes_from(sorted(keep))
    g.add_weighted_edges_from((a, b, n / math.sqrt(df[a] * df[b])) for (a, b), n in sorted(w.items()) if n >= 2)
    print(f"concepts alone: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, built in "
          f"{time.perf_counter() - t0:.1f} s, peak {peak_mib()} MiB")
    for res in (float(x) for x in args.resolutions.split(",")):
        t0 = time.perf_counter()
        parts = nx.community.louvain_communities(g, weight="weight", seed=0, resolution=res)
        com_of = {c: k for k, p in enumerate(parts) for c in p}
        size: Counter = Counter()
        for cs in of.values():
            if cs:
                votes = Counter(com_of[c] for c in cs)
                size[min(votes, key=lambda k: (-votes[k], k))] += 1
        top = sorted(size.values(), reverse=True)
        print(f"  resolution {res:g}: {len(parts)} concept communities, {sum(v >= 5 for v in top)} with >= 5 units, "
              f"largest {top[:5]} of {sum(top):,} units; {time.perf_counter() - t0:.1f} s, peak {peak_mib()} MiB")


if __name__ == "__main__":
    main()
