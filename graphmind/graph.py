"""A compact, read-only multigraph for the meaning graph read back from the store.

``networkx.MultiDiGraph`` keeps three dicts per edge (about 0.8 KB each); a vault's graph is
mostly edges (a unit mentions several concepts), so reading 100,000 units into networkx took
gigabytes. ``MeaningGraph`` keeps each edge as one tuple, shares the attribute dict of edges
that carry no property but their type, and offers the part of networkx's interface the
export, the maps and the RDF writer use — ``nodes(data=True)``, ``nodes[n]``, ``n in g``,
``edges(data=True, keys=True)``, ``successors``, ``predecessors``, ``out_edges``, ``in_edges``, ``subgraph(...).copy()`` — iterating in the
order networkx would (nodes in insertion order; edges by source, then by target in order of
first appearance, then by insertion), so every output is the same as from networkx.
Attribute dicts are shared: treat them as read-only.
"""

from __future__ import annotations

from typing import Iterable, Iterator


class _NodeView:
    def __init__(self, graph: "MeaningGraph"):
        self._g = graph

    def __call__(self, data: bool = False):
        return iter(self._g._nodes.items()) if data else iter(self._g._nodes)

    def __getitem__(self, node):
        return self._g._nodes[node]

    def __iter__(self):
        return iter(self._g._nodes)

    def __len__(self) -> int:
        return len(self._g._nodes)

    def __contains__(self, node) -> bool:
        return node in self._g._nodes


class MeaningGraph:
    def __init__(self):
        self._nodes: dict = {}
        self._edges: list[tuple] = []  # (source, target, key, attrs), in networkx's iteration order once sealed
        self._shared: dict[str, dict] = {}
        self._succ: dict | None = None
        self._pred: dict | None = None
        self._out: dict | None = None
        self._in: dict | None = None
        self._sealed = True

    # -- building -------------------------------------------------------------------------
    def add_node(self, node, **attrs) -> None:
        found = self._nodes.get(node)
        if found is None:
            self._nodes[node] = attrs
        else:
            found.update(attrs)

    def add_edge(self, source, target, key=None, **attrs) -> None:
        for n in (source, target):
            if n not in self._nodes:
                self._nodes[n] = {}
        if len(attrs) == 1 and "rel" in attrs:  # an edge with no property but its type: one dict per type
            attrs = self._shared.setdefault(attrs["rel"], attrs)
        self._edges.append((source, target, key, attrs))
        self._sealed = False
        self._succ = self._pred = self._out = self._in = None

    def _seal(self) -> None:
        """Order the edges as networkx iterates them: sources in node order, then each source's
        targets in order of first appearance, then insertion order."""
        if self._sealed:
            return
        rank = {n: k for k, n in enumerate(self._nodes)}
        edges = self._edges
        edges.sort(key=lambda e: rank[e[0]])  # stable: insertion order within a source
        out: list[tuple] = []
        i, n = 0, len(edges)
        while i < n:
            j, source = i, edges[i][0]
            while j < n and edges[j][0] == source:
                j += 1
            groups: dict = {}
            for e in edges[i:j]:
                groups.setdefault(e[1], []).append(e)
            for group in groups.values():
                out.extend(group)
            i = j
        self._edges = out
        self._sealed = True

    # -- the networkx interface the readers use ----------------------------------------------------
    @property
    def nodes(self) -> _NodeView:
        return _NodeView(self)

    def __contains__(self, node) -> bool:
        return node in self._nodes

    def __iter__(self):
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def number_of_nodes(self) -> int:
        return len(self._nodes)

    def number_of_edges(self) -> int:
        return len(self._edges)

    def edges(self, data: bool = False, keys: bool = False) -> Iterator[tuple]:
        self._seal()
        for a, b, k, d in self._edges:
            if keys:
                yield (a, b, k, d) if data else (a, b, k)
            else:
                yield (a, b, d) if data else (a, b)

    def successors(self, node) -> Iterator:
        if self._succ is None:
            self._seal()
            succ: dict = {}
            for a, b, _, _ in self._edges:
                targets = succ.setdefault(a, {})
                targets[b] = None
            self._succ = succ
        return iter(self._succ.get(node, ()))

    def predecessors(self, node) -> Iterator:
        """The nodes with an edge to ``node`` (each once; in edge order, which may differ from
        networkx's: the callers collect them into sets)."""
        if self._pred is None:
            self._seal()
            pred: dict = {}
            for a, b, _, _ in self._edges:
                pred.setdefault(b, {})[a] = None
            self._pred = pred
        return iter(self._pred.get(node, ()))

    def out_edges(self, node, data: bool = False) -> Iterator[tuple]:
        """The edges leaving ``node``, in networkx's order."""
        self._index()
        for e in self._out.get(node, ()):
            yield (e[0], e[1], e[3]) if data else (e[0], e[1])

    def in_edges(self, node, data: bool = False) -> Iterator[tuple]:
        """The edges into ``node`` (in edge order, which may differ from networkx's)."""
        self._index()
        for e in self._in.get(node, ()):
            yield (e[0], e[1], e[3]) if data else (e[0], e[1])

    def _index(self) -> None:
        self._seal()
        if self._out is None:
            out: dict = {}
            into: dict = {}
            for e in self._edges:
                out.setdefault(e[0], []).append(e)
                into.setdefault(e[1], []).append(e)
            self._out, self._in = out, into

    def subgraph(self, nodes: Iterable) -> "MeaningGraph":
        """A new graph of these nodes and the edges among them (``.copy()`` returns it)."""
        keep = set(nodes)
        out = MeaningGraph()
        out._nodes = {n: d for n, d in self._nodes.items() if n in keep}
        self._seal()
        out._edges = [e for e in self._edges if e[0] in keep and e[1] in keep]
        out._shared = self._shared
        return out

    def copy(self) -> "MeaningGraph":
        out = MeaningGraph()
        out._nodes = dict(self._nodes)
        self._seal()
        out._edges = list(self._edges)
        out._shared = self._shared
        return out
