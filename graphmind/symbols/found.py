"""Symbols found in the graph: communities of units and the concepts they mention
(networkx Louvain with a fixed seed, or label propagation), each with at least ``min_size``
units, become candidate symbols, named after their most mentioned concepts and glossed by
their central claim. Deterministic: the graph is built in sorted order, the seed is fixed,
and networkx's semi-synchronous label propagation has no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


SUPPORT = ("SUPPORTS", "ILLUSTRATES", "CARRIES")
ARGUMENT = ("SUPPORTS", "ATTACKS", "ILLUSTRATES", "CARRIES", "ANSWERS", "FOLLOWS")
MENTION_WEIGHT = 0.5
HUB_SHARE = 0.05  # a concept mentioned by more than this share of units (and 20 units) links nothing


METHODS = ("louvain", "label-propagation")
#: the largest community graph searched by default: about what a 2,000-note vault makes. networkx
#: holds about 1 KB per edge while it searches, and Louvain over two million edges (a 10,000-note
#: vault) held 2.3 GiB and had not finished after 20 CPU minutes (BENCHMARKS.md)
MAX_EDGES = 500_000


class TooLarge(Exception):
    """The community graph has more edges than ``FoundOptions.max_edges``: not searched."""

    def __init__(self, edges: int, limit: int):
        super().__init__(f"{edges:,} edges, more than {limit:,}")
        self.edges = edges
        self.limit = limit


@dataclass(frozen=True)
class FoundOptions:
    min_size: int = 5
    resolution: float = 1.0  # Louvain only
    seed: int = 0  # Louvain only
    method: str = "louvain"  # or "label-propagation": several times faster on large graphs
    max_edges: int = MAX_EDGES  # a larger community graph is not searched (``TooLarge``)


@dataclass
class Community:
    units: list[str]
    concepts: list[str]
    label_concepts: list[str]
    central: str


def communities(units: dict, concepts: dict[str, tuple], arguments: list[tuple[str, str, str]],
                mentions: dict[str, list[str]], order: dict[str, tuple], options: FoundOptions) -> list[Community]:
    """``units``: unit id -> a row with ``central``, ``claim`` (typed claim or conclusion) and
    ``mid_sentence`` (``detect.UnitRow``); ``concepts``: concept id -> (lemma, label);
    ``arguments``: (source, rel, target) between units; ``mentions``: unit -> concepts.
    Raises ``TooLarge`` instead of building a graph of more than ``options.max_edges`` edges."""
    df: dict[str, int] = {}
    for u in units:
        for c in mentions.get(u, ()):
            df[c] = df.get(c, 0) + 1
    hub = max(20, HUB_SHARE * len(units))
    kept = sorted(c for c, n in df.items() if n <= hub and c in concepts)
    keep = set(kept)
    linked: dict[tuple[str, str], float] = {}  # unit pair -> how many arguments join it, first seen first
    for a, _, b in sorted(arguments):
        if a != b and a in units and b in units:
            pair = (a, b) if a < b else (b, a)
            linked[pair] = linked.get(pair, 0.0) + 1.0
    edges = len(linked) + sum(len(keep.intersection(mentions.get(u, ()))) for u in units)
    if edges > options.max_edges:
        raise TooLarge(edges, options.max_edges)
    g = nx.Graph()
    g.add_nodes_from(sorted(units))
    g.add_weighted_edges_from((a, b, w) for (a, b), w in linked.items())
    g.add_nodes_from(kept)
    for u in sorted(units):
        for c in sorted(set(mentions.get(u, ()))):
            if c in keep:
                g.add_edge(u, c, weight=MENTION_WEIGHT)
    g.remove_nodes_from([n for n in sorted(g) if g.degree(n) == 0])
    if not g.number_of_edges():
        return []
    if options.method == "label-propagation":
        parts = [set(c) for c in nx.community.label_propagation_communities(g)]
    else:
        parts = nx.community.louvain_communities(g, weight="weight", resolution=options.resolution, seed=options.seed)
    support_in: dict[str, set[str]] = {}
    for a, rel, b in arguments:
        if rel in SUPPORT:
            support_in.setdefault(b, set()).add(a)
    out = []
    for part in parts:
        members = sorted((n for n in part if n in units), key=lambda u: order[u])
        if len(members) < options.min_size:
            continue
        inside = set(members)
        counts: dict[str, int] = {}
        for u in members:
            for c in set(mentions.get(u, ())):
                if c in keep:
                    counts[c] = counts.get(c, 0) + 1
        label = sorted(counts, key=lambda c: (-counts[c], concepts[c][1] or c, c))[:2]

        def rank(u: str) -> tuple:  # a gloss reads as a whole sentence: a unit cut mid-sentence comes last
            d = units[u]
            return (d.mid_sentence, -len(support_in.get(u, set()) & inside), not d.central, not d.claim, order[u])

        out.append(Community(members, sorted(n for n in part if n in concepts), label, min(members, key=rank)))
    out.sort(key=lambda c: order[c.units[0]])
    return out
