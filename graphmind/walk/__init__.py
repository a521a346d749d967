"""Walk stage: the meaning graph (a networkx graph read back from the store) → walks.

- micro: one argument relation with its two units;
- meso: from each conclusion or top claim backwards along incoming argument edges to the
  leaf premises, with the examples, metaphors, analogies and attacks attached on the way;
- macro: a whole document (or section) as theme → anchor → claims → supports, and
  cross-document walks along wikilinks and shared concepts;
- seeded random walks over argument edges.

``GraphView`` also knows each unit's dialectical role (``pro``: the author's own view;
``opp``: an opposing voice the author reports): the stored ``role`` property, which the
export may replace with roles derived from the attack structure (``graphmind.export.roles``).

Everything is deterministic: nodes and edges are visited in sorted reading order and
randomness comes only from ``random.Random(seed)``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import networkx as nx

from ..schema import load_schema

TREE_RELATIONS = ("supports", "attacks", "illustrates", "carries", "answers")
SUPPORT_RELATIONS = ("supports", "illustrates", "carries")
MAX_DEPTH = 24


@dataclass
class Tree:
    """A unit and what attaches to it; ``rel`` is how it attaches to its parent."""

    unit: str
    rel: str | None = None
    children: list["Tree"] = field(default_factory=list)

    def units(self) -> list[str]:
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            out.append(node.unit)
            stack.extend(reversed(node.children))
        return out

    def size(self) -> int:
        return len(self.units())

    def depth(self) -> int:
        """Steps from this unit to its farthest descendant (0 for a lone unit)."""
        return max((1 + c.depth() for c in self.children), default=0)

    def edges(self) -> list[tuple[str, str, str]]:
        """(source, relation, target) of every attachment in the tree, parents first."""
        out, stack = [], [self]
        while stack:
            node = stack.pop()
            out.extend((c.unit, c.rel, node.unit) for c in node.children)
            stack.extend(reversed(node.children))
        return out

    def support_size(self) -> int:
        """Units that reach this one through support-family edges only."""
        return sum(1 + c.support_size() for c in self.children if c.rel in SUPPORT_RELATIONS)


class GraphView:
    """Read-only indexes over a meaning graph from ``GraphStore.load_graph``.

    ``min_confidence``: argument relations below it are left out of every index (counted
    in ``excluded``)."""

    def __init__(self, g: nx.MultiDiGraph, min_confidence: float = 0.0):
        schema = load_schema()
        rel_name = {r.rel: name for name, r in schema.relation_types.items()}
        self.units: dict[str, dict] = {}
        self.paragraphs: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self.symbols: dict[str, dict] = {}
        for node, data in g.nodes(data=True):
            labels = set(data.get("labels", ()))
            if "Unit" in labels:
                self.units[node] = data
            elif "Symbol" in labels:
                self.symbols[node] = data
            elif "Paragraph" in labels:
                self.paragraphs[node] = data
            elif "Document" in labels:
                self.documents[node] = data
        self.incoming: dict[str, list[tuple[str, str]]] = {u: [] for u in self.units}
        self.outgoing: dict[str, list[tuple[str, str]]] = {u: [] for u in self.units}
        self.links: dict[str, list[tuple[str, str]]] = {d: [] for d in self.documents}
        self.concepts: dict[str, set[str]] = {u: set() for u in self.units}
        # (source, target, relation) -> the relation's (id, cue, confidence)
        self.rel_data: dict[tuple[str, str, str], tuple] = {}
        self.excluded = 0
        self.symbol_members: dict[str, list[tuple[str, str]]] = {sym: [] for sym in self.symbols}
        self.symbol_uses: dict[str, list[tuple[str, str]]] = {sym: [] for sym in self.symbols}
        for a, b, data in g.edges(data=True):
            name = rel_name.get(data.get("rel"))
            if name in TREE_RELATIONS and a in self.units and b in self.units:
                confidence = float(data.get("confidence") if data.get("confidence") is not None else 1.0)
                if confidence < min_confidence:
                    self.excluded += 1
                    continue
                self.rel_data[(a, b, name)] = (data.get("id"), data.get("cue") or "", confidence)
                self.incoming[b].append((name, a))
                self.outgoing[a].append((name, b))
            elif name == "links_to" and a in self.documents and b in self.documents:
                self.links[a].append((b, data.get("alias") or ""))
            elif name == "mentions" and a in self.units:
                self.concepts[a].add(b)
            elif name == "symbolizes" and a in self.symbols:
                self.symbol_members[a].append((b, data.get("via") or ""))
            elif name in ("uses", "evokes") and b in self.symbols and a in self.units:
                self.symbol_uses[b].append((a, name))
        self._order: dict[str, tuple] = {}
        for unit, u in self.units.items():
            par = self.paragraphs.get(u.get("paragraph_id"), {})
            doc = self.documents.get(u.get("document_id"), {})
            self._order[unit] = (doc.get("source", ""), par.get("index", 0), u.get("start", 0), unit)
        key = self.order_key
        for table in (self.incoming, self.outgoing):
            for u in table:
                table[u] = sorted(set(table[u]), key=lambda e: (key(e[1]), e[0]))
        for d in self.links:
            self.links[d] = sorted(set(self.links[d]))
        self.doc_units: dict[str, list[str]] = {d: [] for d in self.documents}
        self.par_units: dict[str, list[str]] = {}
        for u in sorted(self.units, key=key):
            doc = self.units[u].get("document_id")
            if doc in self.doc_units:
                self.doc_units[doc].append(u)
            self.par_units.setdefault(self.units[u].get("paragraph_id"), []).append(u)
        self.doc_paragraphs: dict[str, list[str]] = {d: [] for d in self.documents}
        for p in sorted(self.paragraphs, key=lambda p: (self.paragraphs[p].get("index", 0), p)):
            doc = self.paragraphs[p].get("document_id")
            if doc in self.doc_paragraphs:
                self.doc_paragraphs[doc].append(p)
        # the author's own view (pro) or an opposing voice (opp); the export may derive them
        self.roles: dict[str, str] = {u: ("opp" if d.get("role") == "opp" else "pro") for u, d in self.units.items()}
        self.concessive: set[str] = set()  # opposing units the author grants (set by the export)

    @classmethod
    def union(cls, views: list["GraphView"]) -> "GraphView":
        """One view of several disjoint parts of a graph (the documents of different sources,
        which no argument relation joins), from their views: the indexes merged, each in the
        order one view built from all their rows would have (nodes by id). A link between two
        parts is in neither part's graph, so ``links`` holds only the links within a part."""
        if len(views) == 1:
            return views[0]
        out = cls.__new__(cls)

        def merged(name: str, ordered: bool = True) -> dict:
            both: dict = {}
            for v in views:
                both.update(getattr(v, name))
            return dict(sorted(both.items())) if ordered else both

        for name in ("units", "paragraphs", "documents", "symbols", "incoming", "outgoing", "links",
                     "concepts", "symbol_members", "symbol_uses", "_order", "doc_units", "doc_paragraphs",
                     "roles"):  # keyed by node id, walked in that order
            setattr(out, name, merged(name))
        for name in ("par_units", "rel_data"):  # only looked up
            setattr(out, name, merged(name, ordered=False))
        out.excluded = sum(v.excluded for v in views)
        out.concessive = set().union(*(v.concessive for v in views))
        return out

    def units_of_paragraph(self, paragraph: str) -> list[str]:
        return self.par_units.get(paragraph, [])

    def role(self, unit: str) -> str:
        return self.roles.get(unit, "pro")

    def relation(self, source: str, target: str, rel: str) -> dict:
        """The stored id, cue and confidence of an argument relation."""
        rid, cue, confidence = self.rel_data.get((source, target, rel), (None, "", 1.0))
        return {"id": rid, "cue": cue, "confidence": confidence}

    def order_key(self, unit: str) -> tuple:
        """Reading order: document source, paragraph index, offset."""
        return self._order[unit]

    def text(self, unit: str) -> str:
        return self.units[unit]["text"]

    def argument_units(self) -> list[str]:
        return sorted((u for u in self.units if self.incoming[u] or self.outgoing[u]), key=self.order_key)


# -- micro ----------------------------------------------------------------------
def micro_walks(view: GraphView) -> list[Tree]:
    """One tree per argument relation: the target with the source attached."""
    out = []
    for target in sorted(view.units, key=view.order_key):
        for rel, source in view.incoming[target]:
            out.append(Tree(target, None, [Tree(source, rel)]))
    return out


# -- meso -----------------------------------------------------------------------
def reasoning_tree(view: GraphView, root: str, visited: set[str] | None = None, depth: int = 0,
                   allowed: set[str] | None = None) -> Tree:
    """Everything that leads into ``root`` along argument edges, each unit once (so a
    support cycle ends where it comes back); only units in ``allowed`` when given."""
    if root not in view.units:
        raise KeyError(f"unknown unit {root!r}")
    visited = visited if visited is not None else {root}
    tree = Tree(root)
    if depth >= MAX_DEPTH:
        return tree
    for rel, source in view.incoming[root]:
        if source in visited or (allowed is not None and source not in allowed):
            continue
        visited.add(source)
        child = reasoning_tree(view, source, visited, depth + 1, allowed)
        child.rel = rel
        tree.children.append(child)
    return tree


def meso_roots(view: GraphView) -> list[str]:
    """Conclusions and top claims: units with reasons attached that support nothing
    further (or are the central unit of their paragraph)."""
    roots = []
    for u in sorted(view.units, key=view.order_key):
        if not view.incoming[u]:
            continue
        forward = [r for r, _ in view.outgoing[u] if r in ("supports", "attacks")]
        if not forward or view.units[u].get("central") or view.units[u].get("type") == "conclusion":
            roots.append(u)
    return roots


def meso_walks(view: GraphView, min_units: int = 3) -> list[Tree]:
    trees = (reasoning_tree(view, r) for r in meso_roots(view))
    return [t for t in trees if t.size() >= min_units]


# -- macro ----------------------------------------------------------------------
@dataclass
class Macro:
    kind: str  # document | section | window | cross_document
    documents: list[str]
    section: tuple[str, ...]  # the headings above the section ((): the whole document)
    anchor: Tree
    claims: list[Tree]
    paragraphs: list[str] = field(default_factory=list)  # the text the walk covers, in reading order
    links: list[tuple[str, str, Tree]] = field(default_factory=list)  # (via, label, anchor of linked doc)

    def trees(self) -> list[Tree]:
        return [self.anchor, *self.claims, *(t for _, _, t in self.links)]

    def units(self) -> list[str]:
        return [u for t in self.trees() for u in t.units()]


def section_of(view: GraphView, paragraph: str) -> tuple[str, ...]:
    """The headings above a paragraph (the stored ``section`` is them joined with ' / ')."""
    text = view.paragraphs.get(paragraph, {}).get("section") or ""
    return tuple(h for h in text.split(" / ") if h)


def _anchor_and_claims(view: GraphView, units: list[str]) -> tuple[Tree, list[Tree]] | None:
    """The anchor (the author's central unit with the most support under it) and the other
    paragraph centres, in reading order, each unit used once; only ``units`` take part."""
    allowed = set(units)
    centres = [u for u in units if view.units[u].get("central")] or units[:1]
    if not centres:
        return None
    doc = view.units[centres[0]].get("document_id")
    root = view.documents.get(doc, {}).get("central")  # the root of the document's argument tree
    trees = {c: reasoning_tree(view, c, allowed=allowed) for c in centres}
    anchor_id = root if root in trees else max(
        centres, key=lambda c: (view.role(c) == "pro", trees[c].support_size(), trees[c].size(), -centres.index(c)))
    visited = {anchor_id}
    anchor = reasoning_tree(view, anchor_id, visited, allowed=allowed)
    claims = []
    for c in centres:
        if c in visited:
            continue
        visited.add(c)
        claims.append(reasoning_tree(view, c, visited, allowed=allowed))
    return anchor, claims


def macro_of(view: GraphView, doc: str, paragraphs: list[str], kind: str,
             section: tuple[str, ...] = (), exclude: set[str] | frozenset = frozenset()) -> Macro | None:
    """The macro walk of some paragraphs of one document (all of them, a section, or a
    window of consecutive paragraphs): only relations among their units (less ``exclude``)
    take part."""
    chosen = set(paragraphs)
    units = [u for u in view.doc_units.get(doc, [])
             if view.units[u].get("paragraph_id") in chosen and u not in exclude]
    found = _anchor_and_claims(view, units)
    if not found:
        return None
    return Macro(kind, [doc], section, found[0], found[1], list(paragraphs))


def macro_walks(view: GraphView, cross_document: bool = True, min_shared: int = 2) -> list[Macro]:
    out: list[Macro] = []
    whole: dict[str, Macro] = {}
    for doc in sorted(view.documents, key=lambda d: view.documents[d].get("source", "")):
        pars = view.doc_paragraphs.get(doc, [])
        macro = macro_of(view, doc, pars, "document")
        if not macro:
            continue
        whole[doc] = macro
        out.append(macro)
        by_section: dict[tuple[str, ...], list[str]] = {}
        for p in pars:
            by_section.setdefault(section_of(view, p), []).append(p)
        if len(by_section) > 1:
            for section, spars in by_section.items():
                with_units = {view.units[u]["paragraph_id"] for u in view.doc_units[doc]} & set(spars)
                if not section or len(with_units) < 2:
                    continue
                smacro = macro_of(view, doc, spars, "section", section)
                if smacro:
                    out.append(smacro)
    if cross_document:
        shared = _shared_concepts(view, min_shared)
        for doc in sorted(whole, key=lambda d: view.documents[d].get("source", "")):
            for target, via, label in cross_targets(doc, view.links.get(doc, []), shared.get(doc, []), whole):
                out.append(cross_macro(view, doc, target, via, label, whole[doc].anchor, whole[target].anchor))
    return out


def cross_targets(doc: str, links: list[tuple[str, str]], shared: list[tuple[str, int]],
                  whole) -> list[tuple[str, str, str]]:
    """The documents a cross-document walk from ``doc`` goes to, as (target, via, label): its
    wikilinks (``links``: (target, alias)), then the documents sharing concepts with it
    (``shared``: (target, how many)), each once, only those in ``whole`` (the documents with
    a macro walk)."""
    targets = [(t, "wikilink", alias) for t, alias in links]
    targets += [(t, "shared concepts", str(n)) for t, n in shared]
    seen, out = set(), []
    for target, via, label in targets:
        if target not in whole or target in seen or target == doc:
            continue
        seen.add(target)
        out.append((target, via, label))
    return out


def cross_macro(view: GraphView, doc: str, target: str, via: str, label: str, first: Tree, second: Tree) -> Macro:
    """The cross-document walk from ``doc`` (anchor ``first``) to ``target`` (anchor ``second``)."""
    pars = sorted({view.units[u]["paragraph_id"] for u in first.units() + second.units()},
                  key=lambda p: (view.documents[view.paragraphs[p]["document_id"]].get("source", "")
                                 != view.documents[doc].get("source", ""),
                                 view.paragraphs[p].get("index", 0)))
    return Macro("cross_document", [doc, target], (), first, [], pars, [(via, label, second)])


def _shared_concepts(view: GraphView, min_shared: int, partners: int = 3, rare: int = 4,
                     candidates: int = 16) -> dict[str, list[tuple[str, int]]]:
    by_doc: dict[str, set[str]] = {}
    for u, concepts in view.concepts.items():
        doc = view.units[u].get("document_id")
        if doc in view.documents:
            by_doc.setdefault(doc, set()).update(concepts)
    return shared_concepts(by_doc, min_shared, partners, rare, candidates)


def shared_concepts(by_doc: dict[str, set], min_shared: int, partners: int = 3, rare: int = 4,
                    candidates: int = 16) -> dict[str, list[tuple[str, int]]]:
    """For each document, up to ``partners`` other documents sharing at least
    ``min_shared`` concepts, most shared first (``by_doc``: the concepts each document's
    units mention; a document that mentions none is left out). Candidates come from each
    document's rarest concepts (ubiquitous words link everything to everything and say
    nothing), so the cost stays linear in the number of documents."""
    docs_of: dict[str, list[str]] = {}
    for doc in sorted(by_doc):
        for c in by_doc[doc]:
            docs_of.setdefault(c, []).append(doc)
    out: dict[str, list[tuple[str, int]]] = {}
    for a in sorted(by_doc):
        seeds = sorted(by_doc[a], key=lambda c: (len(docs_of[c]), c))[:rare]
        pool = {b for c in seeds for b in docs_of[c][:candidates]} - {a}
        scored = sorted(((len(by_doc[a] & by_doc[b]), b) for b in pool), key=lambda t: (-t[0], t[1]))
        kept = [(b, n) for n, b in scored if n >= min_shared][:partners]
        if kept:
            out[a] = kept
    return out


# -- random walks -----------------------------------------------------------------
# A step is (relation, forward): forward when the unit before the step is the source of the
# relation (it supports / attacks / ... the unit the step arrives at), backward when the
# unit the step arrives at is the source.
Step = tuple[str, bool]


def random_walk(view: GraphView, start: str, length: int, seed: int) -> list[tuple[Step | None, str]]:
    """A walk of at most ``length`` units over argument edges in either direction, never
    revisiting a unit; stops at a dead end. Returns [(step or None, unit)]."""
    if start not in view.units:
        raise KeyError(f"unknown unit {start!r}")
    rng = random.Random(seed)
    walk: list[tuple[Step | None, str]] = [(None, start)]
    seen = {start}
    current = start
    while len(walk) < length:
        steps = [((rel, True), t) for rel, t in view.outgoing[current] if t not in seen]
        steps += [((rel, False), s) for rel, s in view.incoming[current] if s not in seen]
        if not steps:
            break
        step, current = rng.choice(steps)
        seen.add(current)
        walk.append((step, current))
    return walk


def random_walks(view: GraphView, count: int, length: int, seed: int) -> list[list[tuple[Step | None, str]]]:
    starts = view.argument_units()
    if not starts:
        return []
    rng = random.Random(seed)
    walks = []
    for k in range(count):
        walk = random_walk(view, rng.choice(starts), length, rng.randrange(2**32))
        if len(walk) >= 3:
            walks.append(walk)
    return walks


# -- symbols ----------------------------------------------------------------------------
@dataclass
class Scene:
    """The scene a symbol compresses: its member units and the units that write or name it
    (with the reasons attached to those in their paragraph), as trees in reading order.
    ``how``: unit -> how a tree's root attaches to the symbol ("symbolized by", "uses", "evokes")."""

    symbol: str
    trees: list[Tree]
    how: dict[str, str]

    def units(self) -> list[str]:
        return [u for t in self.trees for u in t.units()]


def scene_forest(view: GraphView, units: set[str]) -> list[Tree]:
    """``units`` as trees along argument edges among them: every unit exactly once, the
    roots (units attached to nothing in the set) in reading order, a cycle entered at its
    first unit in reading order."""
    ordered = sorted(units, key=view.order_key)
    visited: set[str] = set()
    trees = []
    for u in ordered:
        if u not in visited and not any(t in units for _, t in view.outgoing[u]):
            visited.add(u)
            trees.append(reasoning_tree(view, u, visited, allowed=units))
    for u in ordered:  # what is left sits on a cycle
        if u not in visited:
            visited.add(u)
            trees.append(reasoning_tree(view, u, visited, allowed=units))
    return trees


def symbol_scene(view: GraphView, symbol: str, without_occurrences: bool = False) -> Scene:
    """The scene of ``symbol``; ``without_occurrences`` leaves out the units that write or
    name the symbol (for a task that asks which symbol compresses the scene)."""
    how: dict[str, str] = {}
    for node, _via in view.symbol_members.get(symbol, ()):
        if node in view.units:
            how.setdefault(node, "symbolized by")
    for unit, rel in view.symbol_uses.get(symbol, ()):
        how.setdefault(unit, "uses" if rel == "uses" else "evokes")
    units = set(how)
    for unit, rel in view.symbol_uses.get(symbol, ()):
        par = view.units[unit].get("paragraph_id")
        units |= {s for _, s in view.incoming[unit] if view.units[s].get("paragraph_id") == par}
    if without_occurrences:
        units -= {u for u, _ in view.symbol_uses.get(symbol, ())}
        by = view.symbols[symbol].get("defined_by")
        if by in units and view.symbols[symbol].get("origin") != "found":
            units.discard(by)  # the declaration writes the symbol too
    return Scene(symbol, scene_forest(view, units), how)


def symbols_with_scenes(view: GraphView) -> list[str]:
    """Defined symbols in a stable order (declared and table symbols by key, then found ones)."""
    order = {"declared": 0, "user": 1, "found": 2}
    return sorted((s for s, d in view.symbols.items() if d.get("defined") and d.get("origin") in order),
                  key=lambda s: (order[view.symbols[s]["origin"]], view.symbols[s].get("key") or "", s))
