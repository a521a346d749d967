"""The export of a stored graph, read a few documents at a time (issue 17).

``export_store`` writes the same files as ``build_dataset`` + ``write_dataset`` over the
whole graph read into memory — byte for byte, for the same store and options — while only a
page of documents, and small per-record state, is ever held:

1. **Pass over the store.** Documents are read in pages (``GraphStore.pages_of``, named
   Cypher with parameters only) in reading order (by source path; documents of one source
   form one group and are always read together). Each group becomes a small ``GraphView``,
   and its micro examples, meso chains and document / section macros are made and spooled
   to temporary files at once (each record's line carries the few facts the filters and the
   split read, so they need not parse it again; micro records go through the filters as they
   are made, since nothing made later decides them: an exact duplicate is counted and never
   written). The group's view (its roles, fragments and each document's anchor with it) is
   pickled into a local page file — and its rows, when symbol examples are asked for — and a
   few compact facts are kept for the later steps: the argument units (where random walks
   start), each document's concepts and wikilinks (cross-document walks), which units
   symbols touch, and counts for ``stats.json``.
2. **Pass over the page file.** Random walks (their starts and seeds drawn exactly as over
   the whole graph) and cross-document macros (a view of a document and the documents it
   links to: the union of their groups' views as pass 1 made them, a group's view kept while
   it is among the ``VIEW_CACHE`` needed again soonest) are made from the groups involved;
   the examples of each symbol from the rows of the groups its scene lies in.
3. **Filters over the spooled records**, level by level in the order ``build_dataset`` makes
   them: exact duplicates (record ids), same units and micro near duplicates (hashes), near
   duplicates of meso and macro answers (MinHash LSH), then conflicting prompts (hashes of
   prompts and answers), the mix and the split by document. The records are copied into
   ``train.jsonl`` and ``val.jsonl`` line by line (a shuffle is a permutation of positions,
   drawn as ``random.shuffle`` would draw it over the records).

Everything is written inside the folder being prepared (``fsio.atomic_dir``): the temporary
files sit in a subfolder removed before the folder replaces the old dataset, so a reader sees
the old dataset or the new one, and an interrupted export leaves nothing behind.

Argument relations join units of one document. Should a store hold one between documents
(no extractor writes such a thing), the walks would need both documents in one view: the
export then reads the whole graph into memory as before (``build_dataset``) and says so.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import pickle
import random
import shutil
from array import array
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..graph import MeaningGraph
from ..progress import Progress
from ..schema import load_schema
from ..walk import (TREE_RELATIONS, GraphView, cross_macro, cross_targets, macro_walks, random_walk,
                    shared_concepts, symbols_with_scenes)
from . import LEVELS, INSTRUCTION_FORMATS, GraphTally, RecordTally, _Builder, _split_documents, _warnings, \
    contamination, layers_of, mix_keep, prompt_and_answer, stats_of, _WORDS, STRAY_FILES
from .filters import Fragments, NearDuplicates
from .roles import assign_roles

WORK = ".graphmind-export-work"
SPOOLS = {"micro": ("micro",), "meso": ("meso_chain", "meso_walk"),
          "macro": ("macro_claim", "macro_cross", "macro_symbol")}  # each level's spools, in the order filtered
LEVEL_OF = {name: lvl for lvl, names in SPOOLS.items() for name in names}  # the temporary files, inside the folder being prepared
PAGE_DOCUMENTS = 50
#: how many groups' views pass 2 keeps (a cross-document macro needs the groups it links to,
#: and the most linked documents are needed again and again)
VIEW_CACHE = 256


class _CrossDocumentRelations(Exception):
    """An argument relation joins units of two documents: the export cannot be paged."""


@dataclass
class Written:
    """What a paged export wrote: the numbers and notes of ``Dataset`` without its records."""

    stats: dict
    messages: list[str]
    warnings: list[str] = field(default_factory=list)


def _digest(*parts: str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.digest()


class _Spool:
    """A temporary file of records, one line each: its token count, its facts (what the
    filters and the split look at, as a small JSON array, so the record is not parsed again
    for them) and the record's JSON line, separated by tabs (neither JSON holds a raw tab),
    appended in order; ``key`` orders them when read back (random walks: the walk's number)."""

    def __init__(self, path: Path):
        self.path = path
        self.f = path.open("w+b")
        self.count = 0
        self.keys: list[tuple[int, int]] | None = None  # (key, offset) when written out of order

    def add(self, rec: dict, tokens: int, facts: str, key: int | None = None) -> None:
        if key is not None:
            if self.keys is None:
                self.keys = []
            self.keys.append((key, self.f.tell()))
        self.put(tokens, facts, json.dumps(rec, ensure_ascii=False))

    def put(self, tokens, facts: str, line: str) -> None:
        self.f.write(f"{tokens}\t{facts}\t{line}\n".encode("utf-8"))
        self.count += 1

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        """(token count, facts, JSON line) of each record, in order."""
        self.f.flush()
        self.f.seek(0)
        if self.keys is None:
            for raw in self.f:
                n, facts, line = raw.decode("utf-8").rstrip("\n").split("\t", 2)
                yield n, facts, line
            return
        order = sorted(range(len(self.keys)), key=lambda k: self.keys[k][0])  # stable: a walk's pieces in order
        for k in order:
            self.f.seek(self.keys[k][1])
            n, facts, line = self.f.readline().decode("utf-8").rstrip("\n").split("\t", 2)
            yield n, facts, line

    def close(self) -> None:
        self.f.close()


def _facts(rec: dict, lvl: str) -> tuple[str, bytes]:
    """What the filters and the split need of a record: its id, level, kind and language, the
    hash of its units as the same-units filter compares them, and its documents; and that hash."""
    meta = rec["meta"]
    kind = meta["kind"]
    units = _digest(lvl, kind if kind.startswith("symbol_") else "", *sorted({u["id"] for u in meta["units"]}))
    return json.dumps([rec["id"], rec["level"], kind, meta["lang"], units.hex(), [d["id"] for d in meta["documents"]]],
                      ensure_ascii=False), units


class _Pages:
    """What pass 1 keeps of each group of documents, pickled into one local file and read back
    by group: its rows (``add``/``rows``: the symbols' scenes are made from them) and the
    group's view as pass 1 made it (``add_view``/``view``: the walks and cross-document
    macros start from it instead of building it again from the rows)."""

    def __init__(self, path: Path):
        self.f = path.open("w+b")
        self.where: dict[int, tuple[int, int]] = {}
        self.where_view: dict[int, tuple[int, int]] = {}

    def _put(self, where: dict, gi: int, obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        self.f.seek(0, os.SEEK_END)
        where[gi] = (self.f.tell(), len(data))
        self.f.write(data)

    def _get(self, where: dict, gi: int):
        offset, size = where[gi]
        self.f.seek(offset)
        return pickle.loads(self.f.read(size))

    def add(self, gi: int, nodes: list, edges: list) -> None:
        self._put(self.where, gi, (nodes, edges))

    def rows(self, groups) -> tuple[list, list]:
        nodes, edges = [], []
        for gi in sorted(set(groups)):
            n, e = self._get(self.where, gi)
            nodes += n
            edges += e
        return nodes, edges

    def add_view(self, gi: int, part: "_Part") -> None:
        self._put(self.where_view, gi, part)

    def view(self, gi: int) -> "_Part":
        return self._get(self.where_view, gi)

    def close(self) -> None:
        self.f.close()


@dataclass
class _Part:
    """A group's view as pass 1 made it (its roles assigned), its fragments (None when they
    are not filtered) and the anchor of each of its documents' macro walk."""

    view: GraphView
    fragments: Fragments | None
    anchors: dict[str, object]


def _view(nodes: list, edges: list, min_confidence: float) -> GraphView:
    from ..store.store import graph_of

    return GraphView(graph_of(nodes, edges), min_confidence)


def _scope(store, options) -> tuple[list[tuple[str, str]], list[str]]:
    """The documents to export as (id, source), and notes for the person running the export."""
    from ..store import cypher
    from . import chosen_documents

    rows = [(r["id"], r["source"]) for r in store.read(cypher.ALL_DOCUMENT_SOURCES)]
    if not (options.documents or options.source_prefixes):
        return rows, []
    chosen, messages = chosen_documents(rows, options)
    return [(d, s) for d, s in rows if d in chosen], messages


def _groups(docs: list[tuple[str, str]]) -> list[list[str]]:
    """Documents grouped by source, in reading order (a group: the documents of one source, by id)."""
    by_source: dict[str, list[str]] = {}
    for d, source in sorted(docs, key=lambda r: r[0]):
        by_source.setdefault(source or "", []).append(d)
    return [by_source[s] for s in sorted(by_source)]


def _chunks(groups: list[list[str]], size: int) -> Iterator[list[int]]:
    """Consecutive groups, about ``size`` documents a page (a group is never split)."""
    chunk, n = [], 0
    for gi, docs in enumerate(groups):
        if chunk and n + len(docs) > size:
            yield chunk
            chunk, n = [], 0
        chunk.append(gi)
        n += len(docs)
    if chunk:
        yield chunk


class _Views:
    """The groups' views pass 2 asks for, each built from the page file once while it is kept.
    The order of the asks is known in advance (``needs``: the groups of each step, in order),
    so when more than ``size`` views would be kept, the one asked for again latest is let go
    (or one never asked for again, at once): no cache of that size builds fewer."""

    def __init__(self, build: Callable[[int], GraphView], needs: list[set[int]], size: int):
        self.build = build
        self.size = size
        self.asks: dict[int, deque] = {}
        for step, groups in enumerate(needs):
            for g in groups:
                self.asks.setdefault(g, deque()).append(step)
        self.kept: dict[int, GraphView] = {}
        self.latest: list[tuple[int, int]] = []  # (-next ask, group), stale entries skipped

    def get(self, g: int) -> GraphView:
        asks = self.asks[g]
        asks.popleft()
        view = self.kept.pop(g, None)
        if view is None:
            view = self.build(g)
        if asks:
            self.kept[g] = view
            heapq.heappush(self.latest, (-asks[0], g))
            while len(self.kept) > self.size:
                later, h = heapq.heappop(self.latest)
                if h in self.kept and self.asks[h] and self.asks[h][0] == -later:
                    del self.kept[h]
        return view


class _Export:
    def __init__(self, store, options, work: Path, on_documents: Callable[[int], None] | None):
        self.store = store
        self.options = options
        self.work = work
        self.on_documents = on_documents
        self.builder = _Builder(GraphView(MeaningGraph()), options)
        self.graph = GraphTally()
        self.roles = Counter({"documents_with_stored_roles": 0, "documents_with_derived_roles": 0})
        self.spools = {name: _Spool(work / f"{name}.jsonl") for name in LEVEL_OF}
        self.pages = _Pages(work / "pages.bin")
        schema = load_schema()
        self.rel_name = {r.rel: name for name, r in schema.relation_types.items()}
        levels, fmt = options.levels, options.format
        self.instruction = fmt in INSTRUCTION_FORMATS
        self.want_micro = "micro" in levels and fmt != "dpo"
        self.want_meso = "meso" in levels
        self.want_claims = "macro" in levels and options.anchor in ("claims", "both")
        self.want_symbols = "macro" in levels and options.anchor in ("symbols", "both") and fmt != "dpo"
        # pass 2 (random walks, cross-document macros) starts from the views pass 1 made
        self.keep_views = self.want_claims or (self.want_meso and not self.instruction)
        self.units = 0
        self.filtered: set[bytes] = set()  # hashes of the builder's filtered_units
        self.generated: Counter = Counter()  # records made, by level (the micro ones dropped at once too)
        # the ids, unit-set hashes and word hashes of the micro records kept so far (``micro_kept``)
        self.micro_seen: tuple[set[str], set[bytes], set[bytes]] = (set(), set(), set())
        self.builder.kept_ids["micro"] = self.micro_seen[0]

    # -- one group's records ------------------------------------------------------------
    def use(self, view: GraphView) -> dict[str, int]:
        """Make records from ``view`` from now on (its roles assigned); returns ``assign_roles``'s counts."""
        roles = assign_roles(view)
        self.builder.view = view
        self.builder.fragments = Fragments(view) if self.options.drop_fragments else None
        return roles

    def spool(self, name: str, records: list[dict], key: int | None = None) -> None:
        b = self.builder
        for rec in records:
            lvl = LEVEL_OF[name]
            self.generated[lvl] += 1
            if lvl == "micro" and rec["id"] in self.micro_seen[0]:
                b.drop("micro", "duplicate")  # (made without meta: ``_Builder.kept_ids``)
                continue
            if self.options.anchor != "claims" and name != "macro_symbol":
                b.symbol_meta([rec], None)
            facts, units = _facts(rec, lvl)
            if lvl == "micro" and not self.micro_kept(rec, units):
                continue
            n = b.lengths.get(rec["id"])
            self.spools[name].add(rec, n if n is not None else b.record_tokens(rec), facts, key)
        b.lengths.clear()
        self.keep_filtered()

    def micro_kept(self, rec: dict, units: bytes) -> bool:
        """Whether ``dedup`` would keep a micro record, decided as it is made: ``dedup`` reads
        the micro records first, in the order they are made, and decides each by the micro
        records kept before it alone (the unit sets filtered out, which it starts from, are
        meso ones), so a record it would drop (most often an exact duplicate: a paragraph
        found in several notes) is counted here and never written; ``dedup`` keeps all the
        others again."""
        b, (ids, unit_sets, words_seen) = self.builder, self.micro_seen
        if rec["id"] in ids:
            b.drop("micro", "duplicate")
            return False
        if units in unit_sets:
            b.drop("micro", "same_units")
            return False
        if self.options.near_duplicates is not None:
            words = _digest(" ".join(_WORDS.findall(layers_of(rec).lower())))
            if words in words_seen:
                b.drop("micro", "near_duplicate")
                return False
            words_seen.add(words)
        ids.add(rec["id"])
        unit_sets.add(units)
        return True

    def keep_filtered(self) -> None:
        """The unit sets the builder filtered out so far, as hashes (what ``dedup`` compares)."""
        b = self.builder
        self.filtered.update(_digest(lvl, "", *sorted(units)) for lvl, units in b.filtered_units)
        b.filtered_units.clear()

    # -- pass 1: the store ----------------------------------------------------------------
    def read(self, docs: list[tuple[str, str]]) -> None:
        self.groups = _groups(docs)
        self.scope = {d for d, _ in docs}
        self.source = dict(docs)
        self.group_of: dict[str, int] = {d: gi for gi, g in enumerate(self.groups) for d in g}
        self.starts: list[str] = []  # argument units, in reading order
        self.start_groups = array("i")
        self.concepts: dict[str, set[str]] = {}
        self.interned: dict[str, str] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self.whole: set[str] = set()  # documents with a document macro
        self.symbol_nodes: dict[str, tuple] = {}
        self.symbol_edges: list[tuple] = []
        self.member_units: set[str] = set()  # units a symbol stands for (SYMBOLIZES)
        self.member_group: dict[str, int] = {}  # ... and the group of each
        self.symbol_units: dict[str, list[tuple[str, int]]] = {}  # symbol -> (unit, group) it touches
        chunks = list(_chunks(self.groups, PAGE_DOCUMENTS))
        pages = self.store.pages_of([d for gi in chunk for d in self.groups[gi]] for chunk in chunks)
        for chunk, page in zip(chunks, pages):
            self.split(chunk, page)

    def split(self, chunk: list[int], page) -> None:
        """A page of the store as its groups, each made into records at once."""
        doc_group = {d: gi for gi in chunk for d in self.groups[gi]}
        node_group: dict[str, int] = {}
        nodes: dict[int, list] = {gi: [] for gi in chunk}
        concepts: dict[str, tuple] = {}
        for row in page.nodes:
            nid, labels, props = row
            if "Symbol" in labels:
                self.symbol_nodes.setdefault(nid, row)
                continue
            if "Concept" in labels:
                concepts[nid] = row
                continue
            gi = doc_group.get(nid if "Document" in labels else props.get("document_id"))
            if gi is not None:
                nodes[gi].append(row)
                node_group[nid] = gi
        edges: dict[int, list] = {gi: [] for gi in chunk}
        for row in page.edges:
            source, rel, target, props = row
            if source in self.symbol_nodes and rel == "SYMBOLIZES":
                self.symbol_edges.append(row)
                self.member_units.add(target)
                continue
            gi = node_group.get(source)
            if gi is None:
                continue
            edges[gi].append(row)
        for gi in chunk:
            self.group(gi, nodes[gi], edges[gi], concepts)
            if self.on_documents:
                self.on_documents(len(self.groups[gi]))

    def group(self, gi: int, nodes: list, edges: list, concepts: dict[str, tuple]) -> None:
        rel_name, own = self.rel_name, {n[0] for n in nodes}
        mentioned = set()
        for source, rel, target, props in edges:
            name = rel_name.get(rel)
            if target not in own:
                if name in TREE_RELATIONS and source in own and target not in concepts:
                    raise _CrossDocumentRelations(f"{source} {rel} {target}")
                if name == "links_to" and target in self.scope:
                    self.links.setdefault(source, []).append((target, props.get("alias") or ""))
                if target in concepts:
                    mentioned.add(target)
            if name in ("uses", "evokes"):
                self.symbol_units.setdefault(target, []).append((source, gi))
        nodes = nodes + [concepts[c] for c in sorted(mentioned)]
        if self.want_symbols:
            self.pages.add(gi, nodes, edges)
        view = _view(list(nodes), list(edges), self.options.min_confidence)
        self.roles.update(self.use(view))
        anchors: dict[str, object] = {}
        self.records(gi, view, anchors)
        if self.keep_views:
            self.pages.add_view(gi, _Part(view, self.builder.fragments, anchors))

    def records(self, gi: int, view: GraphView, anchors: dict[str, object]) -> None:
        """The facts pass 2 needs of the group ``gi`` (its view in use) and its records, spooled
        at once; ``anchors`` is given the anchor of each of its documents' macro walk."""
        self.graph.add(view, symbols=False)
        self.units += len(view.units)
        for d in view.documents:
            if d in self.links:
                self.links[d] = sorted(set(self.links[d]))
        for u in view.units:
            if u in self.member_units:
                self.member_group[u] = gi
        for u in view.argument_units():
            self.starts.append(u)
            self.start_groups.append(gi)
        for u, found in view.concepts.items():
            doc = view.units[u].get("document_id")
            if doc in view.documents:
                mine = self.concepts.setdefault(doc, set())
                mine.update(self.interned.setdefault(c, c) for c in found)
        if not view.units:
            return
        b = self.builder
        if self.want_micro:
            self.spool("micro", b.micro())
        if self.want_meso:
            self.spool("meso_chain", b.chains())
        if self.want_claims or self.want_symbols:
            macros = macro_walks(view, cross_document=False)
            anchors.update((m.documents[0], m.anchor) for m in macros if m.kind == "document")
            self.whole.update(anchors)
            if self.want_claims:
                self.spool("macro_claim", b.macro_records(macros))

    # -- pass 2: the page file ------------------------------------------------------------
    def walks_and_links(self, stage=None) -> None:
        """Pass 2: the meso walks and the cross-document macros, a group of documents at a time
        (``stage``: a ``graphmind.progress.Stage`` told each group)."""
        opts = self.options
        walks: dict[int, list[tuple[int, str, int]]] = {}
        if self.want_meso and not self.instruction and self.starts:
            rng = random.Random(opts.seed)
            count = opts.walks_per_document * max(1, self.graph.documents)
            positions = range(len(self.starts))
            for k in range(count):
                at = rng.choice(positions)
                walks.setdefault(self.start_groups[at], []).append((k, self.starts[at], rng.randrange(2**32)))
        self.starts, self.start_groups = [], array("i")
        cross: dict[int, list[tuple[str, list]]] = {}
        if self.want_claims:
            shared = shared_concepts(self.concepts, 2)
            for doc in sorted(self.whole, key=lambda d: (self.source[d] or "", d)):
                targets = cross_targets(doc, self.links.get(doc, []), shared.get(doc, []), self.whole)
                if targets:
                    cross.setdefault(self.group_of[doc], []).append((doc, targets))
        self.concepts = self.links = {}
        todo = sorted(set(walks) | set(cross))
        needs = [{gi} | {self.group_of[t] for _, targets in cross.get(gi, []) for t, _, _ in targets} for gi in todo]
        views = _Views(self.pages.view, needs, VIEW_CACHE)
        if stage is not None:
            stage.set_total(len(todo))
        for gi, needed in zip(todo, needs):
            if stage is not None:
                stage.advance()
            parts = [views.get(g) for g in sorted(needed)]
            # the roles and fragments of the union are those of its parts: each is decided within
            # a document (no argument relation joins two), so they are not derived again
            view = GraphView.union([p.view for p in parts])
            self.builder.view = view
            self.builder.fragments = (Fragments.union(view, [p.fragments for p in parts])
                                      if self.options.drop_fragments else None)
            for k, start, seed in walks.get(gi, []):
                walk = random_walk(view, start, opts.walk_length, seed)
                if len(walk) >= 3:
                    self.spool("meso_walk", self.builder.walk_records(walk), key=k)
            anchors: dict[str, object] = {}  # the anchors pass 1 found: a document's is the same in any view
            for p in parts:
                anchors.update(p.anchors)
            for doc, targets in cross.get(gi, []):
                macros = [cross_macro(view, doc, t, via, label, anchors[doc], anchors[t]) for t, via, label in targets]
                self.spool("macro_cross", self.builder.macro_records(macros))

    def symbols(self, whole_store: bool) -> None:
        if whole_store:  # every stored symbol, also those no document touches (the stats count them)
            self.add_symbols()
        self.graph.symbols = len(self.symbol_nodes)
        if not self.want_symbols or not self.units:
            return
        groups_of: dict[str, set[int]] = {}
        for source, rel, target, props in self.symbol_edges:
            if target in self.member_group:
                groups_of.setdefault(source, set()).add(self.member_group[target])
        for sym, touched in self.symbol_units.items():
            groups_of.setdefault(sym, set()).update(gi for _, gi in touched)
        # the view of every symbol (the order, the glossaries) with no documents: the symbols alone
        bare = self.symbol_view(set())
        syms = symbols_with_scenes(bare)
        last_key, view = None, bare
        for sym in syms:
            key = frozenset(groups_of.get(sym, ()))
            if key != last_key:
                view = self.symbol_view(key)
                last_key = key
            self.use(view)
            self.spool("macro_symbol", self.builder.symbol_records(sym, syms))

    def symbol_view(self, groups) -> GraphView:
        nodes, edges = self.pages.rows(groups) if groups else ([], [])
        nodes += [(n, labels, dict(props)) for n, labels, props in self.symbol_nodes.values()]
        edges += [(a, rel, b, dict(props)) for a, rel, b, props in self.symbol_edges]
        return _view(nodes, edges, self.options.min_confidence)

    def add_symbols(self) -> None:
        from ..store import cypher

        known = set(self.symbol_nodes)
        rows = self.store.read(cypher.ALL_SYMBOL_IDS)
        missing = sorted({r["id"] for r in rows} - known)
        if not missing:
            return
        for r in self.store.read(cypher.SYMBOL_NODES, ids=missing):
            self.symbol_nodes[r["id"]] = (r["id"], r["labels"], r["props"])
        for r in self.store.read(cypher.SYMBOL_EDGES, ids=missing):
            self.symbol_edges.append((r["source"], r["type"], r["target"], r["props"]))
        self.symbol_nodes = dict(sorted(self.symbol_nodes.items()))

    # -- pass 3: filters, mix, split -----------------------------------------------------
    def level(self, lvl: str) -> Iterator[tuple[str, str, str]]:
        for name in SPOOLS[lvl]:
            yield from self.spools[name]

    def dedup(self, stage=None) -> dict[str, _Spool]:
        """``_dedup`` over the spooled records, with hashes for what it remembers (``stage``: a
        ``graphmind.progress.Stage`` told the records read, a thousand at a time)."""
        b, near = self.builder, self.options.near_duplicates
        seen_ids: set[str] = set()
        seen_micro: set[bytes] = set()
        self.keep_filtered()
        seen_units, self.filtered = self.filtered, set()
        near_index = None
        kept: dict[str, _Spool] = {}
        self.prompts: dict[str, list[bytes | None]] = {}
        answers: dict[bytes, bytes | None] = {}  # prompt -> its answer (None: two answers)
        for lvl in LEVELS:
            kept[lvl] = _Spool(self.work / f"kept-{lvl}.jsonl")
            prompts = self.prompts[lvl] = []
            read = 0
            for n, facts, line in self.level(lvl):
                read += 1
                if stage is not None and read == 1000:
                    stage.advance(read)
                    read = 0
                rid, _level, _kind, _lang, units, _docs = json.loads(facts)
                if rid in seen_ids:
                    b.drop(lvl, "duplicate")
                    continue
                units = bytes.fromhex(units)
                if units in seen_units:
                    b.drop(lvl, "same_units")
                    continue
                rec = json.loads(line) if near is not None or self.instruction else None
                if near is not None:
                    if lvl == "micro":
                        words = _digest(" ".join(_WORDS.findall(layers_of(rec).lower())))
                        if words in seen_micro:
                            b.drop(lvl, "near_duplicate")
                            continue
                        seen_micro.add(words)
                    else:
                        if near_index is None:
                            near_index = NearDuplicates(near)
                        if near_index.seen(lvl, rec["id"], layers_of(rec)):
                            b.drop(lvl, "near_duplicate")
                            continue
                seen_ids.add(rid)
                seen_units.add(units)
                kept[lvl].put(n, facts, line)
                prompt, answer = prompt_and_answer(rec) if rec is not None else (None, None)
                if prompt is None:
                    prompts.append(None)
                    continue
                p, a = _digest(prompt), _digest(answer)
                prompts.append(p)
                if p not in answers:
                    answers[p] = a
                elif answers[p] not in (a, None):
                    answers[p] = None
            if stage is not None:
                stage.advance(read)
        self.conflicting = {p for p, a in answers.items() if a is None}
        for name in list(self.spools):
            self.spools.pop(name).close()
            (self.work / f"{name}.jsonl").unlink()
        return kept

    def write(self, kept: dict[str, _Spool], directory: Path, messages: list[str], generated: dict) -> dict:
        opts, b = self.options, self.builder
        ok: dict[str, list[int]] = {}
        for lvl in LEVELS:
            ok[lvl] = [k for k, p in enumerate(self.prompts[lvl]) if p is None or p not in self.conflicting]
            for _ in range(kept[lvl].count - len(ok[lvl])):
                b.drop(lvl, "conflicting_prompt")
        self.prompts = {}
        rng = random.Random(opts.seed)
        chosen = mix_keep({lvl: len(ok[lvl]) for lvl in LEVELS}, opts.mix, rng)
        val_docs = _split_documents(self.documents, opts.val_fraction, opts.seed)
        splits = {"train": _Spool(self.work / "train.jsonl"), "val": _Spool(self.work / "val.jsonl")}
        where: dict[str, array] = {"train": array("q"), "val": array("q")}
        crossing = 0
        for lvl in LEVELS:
            keep = set(ok[lvl])
            if chosen is not None:
                keep = {ok[lvl][k] for k in chosen[lvl]}
            for k, (n, facts, line) in enumerate(kept[lvl]):
                if k not in keep:
                    continue
                docs = set(json.loads(facts)[5])
                if docs <= val_docs:
                    split = "val"
                elif not docs & val_docs:
                    split = "train"
                else:
                    crossing += 1
                    continue
                where[split].append(splits[split].f.tell())
                splits[split].put(n, facts, line)
            kept[lvl].close()
            (self.work / f"kept-{lvl}.jsonl").unlink()
        order = {name: list(range(len(where[name]))) for name in splits}
        if opts.order == "shuffle":
            rng.shuffle(order["train"])
            rng.shuffle(order["val"])
        if crossing:
            messages.append(f"{crossing} cross-document example(s) left out: their documents fall in both splits")
        records = RecordTally()
        for name, spool in splits.items():
            spool.f.flush()
            with (directory / f"{name}.jsonl").open("w", encoding="utf-8") as out:
                for k in order[name]:
                    spool.f.seek(where[name][k])
                    n, facts, line = spool.f.readline().decode("utf-8").rstrip("\n").split("\t", 2)
                    _rid, level, kind, lang, _units, _docs = json.loads(facts)
                    records.count(level, kind, lang, int(n), name)
                    out.write(line + "\n")
            spool.close()
            (self.work / f"{name}.jsonl").unlink()
        stats = stats_of(opts, b, self.graph, records, val_docs, crossing, dict(self.roles), generated)
        if opts.check_against:
            stats["contamination"] = contamination.check(_records(directory), list(opts.check_against))
            for path, found in stats["contamination"].items():
                messages.append(f"contamination: {found['examples']} of {found['of']} examples share a 13-gram with "
                                f"{path} ({found['shared_13grams']} distinct 13-grams)")
        return stats


def _records(directory: Path) -> Iterator[dict]:
    for name in ("train.jsonl", "val.jsonl"):
        with (directory / name).open(encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def export_files(store, options, directory: str | Path, on_documents: Callable[[int], None] | None = None,
                 on_total: Callable[[int], None] | None = None, progress=None) -> Written:
    """Write the dataset of the stored graph (``options``: as for ``build_dataset``) into
    ``directory``, a folder being prepared: the same files ``write_dataset_files`` writes
    for ``build_dataset`` over the whole graph. ``on_total`` is told how many documents will
    be read, ``on_documents`` how many were read as the export goes; ``progress`` (a
    ``graphmind.progress.Progress``) shows the steps after the reads as stages of their own."""
    from .card import dataset_card

    directory = Path(directory)
    for path in options.check_against:
        contamination.read_texts(path)  # a missing file is an error before any work
    docs, messages = _scope(store, options)
    if on_total:
        on_total(len(docs))
    work = directory / WORK
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        run = _Export(store, options, work, on_documents)
        try:
            run.read(docs)
        except _CrossDocumentRelations as exc:
            return _in_memory(store, options, directory, docs, f"an argument relation joins two documents ({exc}), "
                                                               "so the graph was read into memory whole")
        run.documents = [d for d, _ in docs]
        steps = progress if progress is not None else Progress(quiet=True)
        with steps.stage("export: walks and links", unit="groups of documents") as stage:
            run.walks_and_links(stage)
        run.symbols(whole_store=not (options.documents or options.source_prefixes))
        run.pages.close()
        if not run.units:
            messages.append("the graph has no units, so the dataset is empty; ingest some notes first "
                            "(graphmind ingest PATH)")
        if options.format == "dpo" and options.anchor != "claims" and "macro" in options.levels:
            messages.append("dpo: symbol examples (--anchor symbols) are not paired; they are left out")
        if options.anchor != "claims" and not run.graph.symbols and "macro" in options.levels:
            messages.append("--anchor symbols: the graph has no symbols; run graphmind symbols build first")
        if options.format == "dpo" and "micro" in options.levels:
            messages.append("dpo: pairs are made for meso and macro examples; micro is left out")
        generated = {lvl: run.generated[lvl] for lvl in LEVELS}
        run.micro_seen = (set(), set(), set())
        run.builder.kept_ids.clear()
        spooled = sum(spool.count for spool in run.spools.values())
        with steps.stage("export: duplicates and filters", total=spooled, unit="examples") as stage:
            kept = run.dedup(stage)
        with steps.stage("export: writing", unit="examples") as stage:
            stats = run.write(kept, directory, messages, generated)
            stage.advance(stats["examples"]["total"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    written = Written(stats, messages, _warnings(stats))
    (directory / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (directory / "README.md").write_text(dataset_card(written), encoding="utf-8")
    return written


def _in_memory(store, options, directory: Path, docs, note: str) -> Written:
    from dataclasses import replace

    from . import build_dataset, write_dataset_files

    if options.documents or options.source_prefixes:
        options = replace(options, documents=tuple(sorted(d for d, _ in docs)), source_prefixes=())
    dataset = build_dataset(store.load_graph(), options)
    dataset.messages.insert(0, note)
    write_dataset_files(dataset, directory)
    return Written(dataset.stats, dataset.messages, dataset.warnings)


def export_store(store, options, out: str | Path, **progress) -> Written:
    """``export_files`` into a folder that replaces ``out`` as a whole (``fsio.atomic_dir``)."""
    from ..fsio import atomic_dir

    with atomic_dir(out, drop=STRAY_FILES) as stage:
        return export_files(store, options, stage, **progress)
