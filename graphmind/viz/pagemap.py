"""The HTML map's data built a document at a time, so that its memory does not grow with the
vault: what the page needs of each document (its paragraphs, its units with their boxes, its
relations) is laid out as the document is read and spooled to a temporary file; what spans
documents (the documents' blocks, the concept list, the overview's links, the symbols) is
kept as small per-document facts and finished once every document has been read. The page
is then written from the spool, piece by piece.

Input is pages of the graph (``graphmind.store.store.Page``: the stored graph a page of
documents at a time, or a whole in-memory graph as one page), given in the map's document
order (source, then id). The rows are those the page's script reads (``map.html``).
"""

from __future__ import annotations

import json
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..schema import load_schema
from .layout import DOC_GAP, HEADER_H, LEdge, LUnit, _shelf_width, _shelves, layout_document, overview_positions
from .mapdata import LINK_KINDS, _utf16, claim_key, document_links, split_nodes


def document_order(docs: Iterable[tuple[str, str | None]]) -> list[str]:
    """Document ids in the map's order: by source, then id (``docs``: (id, source) pairs)."""
    return [d for d, _ in sorted(docs, key=lambda t: (t[1] or "", t[0]))]


@dataclass
class _Doc:
    id: str
    title: str
    source: str
    units: int = 0
    first_unit: int = 0  # global index of its first unit
    size: tuple[float, float] = (0.0, 0.0)
    main: int = -1  # global index of its main claim
    x: float = 0.0
    y: float = 0.0


@dataclass
class MapBuilder:
    """Collects a map's data document by document (``add_page``), then writes the page's
    JSON (``json_pieces``). Holds one document's units at a time plus the facts that span
    documents; the rest waits in a temporary folder (``spool``), removed by ``close``."""

    spool: Path
    schema: object = None
    docs: list[_Doc] = field(default_factory=list)
    doc_index: dict[str, int] = field(default_factory=dict)
    n_units: int = 0
    n_pars: int = 0
    concept_label: dict[str, str] = field(default_factory=dict)
    used_concepts: set = field(default_factory=set)
    mentions: dict[str, set] = field(default_factory=dict)  # document -> concept ids
    claims: dict[str, set] = field(default_factory=dict)  # claim key -> documents
    wikilinks: list = field(default_factory=list)  # (source document, target document, alias)
    cross: list = field(default_factory=list)  # relations leaving a document: (source id, target id, relation, cue, confidence)
    symbols: dict[str, dict] = field(default_factory=dict)
    wanted: dict[str, int] = field(default_factory=dict)  # unit id -> global index (filled by the second pass)
    wanted_doc: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.schema = self.schema or load_schema()
        self.rel_name = {r.rel: name for name, r in self.schema.relation_types.items()}
        self.argument = set(self.schema.argument_relations)
        self.type_index = {name: k for k, name in enumerate(self.schema.unit_types)}
        self.rel_index = {name: k for k, name in enumerate(self.schema.argument_relations)}
        self._out: IO[bytes] = open(self.spool / "documents.pickle", "wb")

    # -- first pass: a page of documents at a time --------------------------------------
    def add_page(self, page) -> None:
        """Lay out and spool the documents of one page (nodes and edges as
        ``GraphStore.pages`` gives them), in the order of their (source, id)."""
        doc_props, par_props, unit_props, concepts = split_nodes(page.nodes)
        for nid, label in concepts.items():
            self.concept_label.setdefault(nid, label)
        for nid, labels, props in page.nodes:
            if "Symbol" in labels and nid not in self.symbols:
                self.symbols[nid] = {"id": nid, "glyph": props.get("glyph") or "", "label": props.get("label") or "",
                                     "gloss": props.get("gloss") or "", "origin": props.get("origin") or "",
                                     "defined": bool(props.get("defined")), "members": set(), "uses": set()}
        by_doc: dict[str, list[str]] = {}
        for u, d in unit_props.items():  # a unit whose document is not in the graph still gets one
            doc = d.get("document_id") or ""
            by_doc.setdefault(doc, []).append(u)
            if doc not in doc_props:
                doc_props[doc] = {"id": doc, "title": doc or "(no document)", "source": ""}
        out_edges: dict[str, list] = {}  # unit -> argument edges leaving it
        unit_concepts: dict[str, list[str]] = {}
        for a, rel, b, props in page.edges:
            name = self.rel_name.get(rel)
            if name in self.argument:
                if a in unit_props:
                    out_edges.setdefault(a, []).append((a, b, name, props))
            elif name == "links_to":
                if a in doc_props:
                    self.wikilinks.append((a, b, props.get("alias")))
            elif name in ("mentions", "defines"):
                if a in unit_props:
                    unit_concepts.setdefault(a, []).append(b)
            elif name == "symbolizes":
                if a in self.symbols:
                    self.symbols[a]["members"].add(b)
            elif name in ("uses", "evokes"):
                if b in self.symbols and a in unit_props:
                    self.symbols[b]["uses"].add(a)
        for doc in document_order((d, p.get("source")) for d, p in doc_props.items()):
            self._add_document(doc, doc_props[doc], by_doc.get(doc, []), unit_props, par_props,
                               out_edges, unit_concepts)

    def _add_document(self, doc, props, units, unit_props, par_props, out_edges, unit_concepts) -> None:
        if doc in self.doc_index:
            return
        entry = _Doc(doc, props.get("title") or doc, props.get("source") or "", len(units), self.n_units)
        self.doc_index[doc] = len(self.docs)
        self.docs.append(entry)

        def order(u: str) -> tuple:
            d = unit_props[u]
            return (par_props.get(d.get("paragraph_id"), {}).get("index", 1 << 30), d.get("start") or 0, u)

        units.sort(key=order)
        local = {u: k for k, u in enumerate(units)}
        pars = sorted({unit_props[u].get("paragraph_id") for u in units} & set(par_props),
                      key=lambda p: (par_props[p].get("index", 0), p))
        par_local = {p: k for k, p in enumerate(pars)}
        edges = sorted((e for u in units for e in out_edges.get(u, ())), key=lambda e: (e[0], e[1], e[2]))
        inner = [e for e in edges if e[1] in local]
        for a, b, name, d in edges:
            if b not in local:  # to another document (perhaps of a later page): resolved by the second pass
                self.cross.append((a, b, name, d.get("cue") or "", round(float(d.get("confidence") or 0), 2)))
                self.wanted.setdefault(a, -1)
                self.wanted.setdefault(b, -1)
        placed, w, h, main, back = layout_document(
            [LUnit(u, doc, unit_props[u].get("paragraph_id") or "", order(u), unit_props[u].get("text", ""),
                   bool(unit_props[u].get("central"))) for u in units],
            [LEdge(a, b) for a, b, _, _ in inner]) if units else ({}, 0.0, 0.0, None, set())
        entry.size = (w, h)
        entry.main = entry.first_unit + local[main] if main is not None else -1
        par_rows = []
        astral = set()
        for p in pars:
            d = par_props[p]
            if any(ord(ch) > 0xFFFF for ch in d.get("text", "")):
                astral.add(p)
            par_rows.append([-1, d.get("index", 0), d.get("text", ""), d.get("section") or "",
                             d.get("speaker") or "", d.get("kind") or "paragraph"])
        unit_rows = []
        for u in units:
            d = unit_props[u]
            p = placed[u]
            pid = d.get("paragraph_id")
            par = par_props.get(pid)
            text = d.get("text", "")
            start, end = d.get("start") or 0, d.get("end") or 0
            inside = par is not None and par.get("text", "")[start:end] == text
            flags = (1 if d.get("central") else 0) | (2 if d.get("role") == "opp" else 0)
            concepts = [c for c in unit_concepts.get(u, ()) if c in self.concept_label]
            self.used_concepts.update(concepts)
            if concepts:
                self.mentions.setdefault(doc, set()).update(concepts)
            key = claim_key(d)
            if key:
                self.claims.setdefault(key, set()).add(doc)
            unit_rows.append([
                u, self.n_pars + par_local[pid] if inside else -1,
                self.type_index.get(d.get("type"), 0),
                _utf16(par["text"], start) if inside and pid in astral else start if inside else 0,
                _utf16(par["text"], end) if inside and pid in astral else end if inside else 0,
                d.get("cue") or "", round(float(d.get("confidence") or 0), 2), flags,
                p.x, p.y, p.h, "\n".join(p.lines),
                entry.first_unit + local[p.parent] if p.parent is not None else -1, p.row,
                -1, None if inside else text, concepts,
            ])
        edge_rows = [[entry.first_unit + local[a], entry.first_unit + local[b], self.rel_index[name], d.get("cue") or "",
                      round(float(d.get("confidence") or 0), 2), 1 if (a, b) in back else 0]
                     for a, b, name, d in inner]
        pickle.dump((par_rows, unit_rows, edge_rows), self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.n_units += len(units)
        self.n_pars += len(pars)

    # -- what spans documents -------------------------------------------------------------
    def _place_documents(self) -> None:
        made = sorted((d for d in self.docs if d.units), key=lambda d: (-d.units, self.doc_index[d.id]))
        sizes = [d.size for d in made]
        pos, _, _ = _shelves(sizes, DOC_GAP, _shelf_width(sizes, DOC_GAP))
        for d, (x, y) in zip(made, pos):
            d.x, d.y = x, y

    def _second_pass(self, concept_index: dict[str, int]) -> None:
        """Read the spool back: put every box in its document's block, number the concepts,
        and write the paragraph, unit and relation rows as JSON, one file each."""
        self._out.close()
        files = {k: open(self.spool / f"{k}.json", "w", encoding="utf-8") for k in ("paragraphs", "units", "edges")}
        first = {k: True for k in files}

        def row(kind: str, value) -> None:
            files[kind].write(("" if first[kind] else ",") + _json_for_script(value))
            first[kind] = False

        try:
            with open(self.spool / "documents.pickle", "rb") as f:
                for k, doc in enumerate(self.docs):
                    par_rows, unit_rows, edge_rows = pickle.load(f)
                    for r in par_rows:
                        r[0] = k
                        row("paragraphs", r)
                    for i, r in enumerate(unit_rows):
                        r[8], r[9] = round(r[8] + doc.x, 1), round(r[9] + doc.y, 1)
                        r[14] = k
                        r[16] = sorted({concept_index[c] for c in r[16]})
                        if r[0] in self.wanted:
                            self.wanted[r[0]] = doc.first_unit + i
                            self.wanted_doc[r[0]] = doc.id
                        row("units", r)
                    for r in edge_rows:
                        row("edges", r)
            for a, b, name, cue, conf in sorted(self.cross, key=lambda e: (e[0], e[1], e[2])):
                if self.wanted.get(a, -1) >= 0 and self.wanted.get(b, -1) >= 0:
                    row("edges", [self.wanted[a], self.wanted[b], self.rel_index[name], cue, conf, 0])
        finally:
            for f in files.values():
                f.close()

    def _symbol_rows(self) -> list[list]:
        order = {"declared": 0, "user": 1, "found": 2, "used": 3}
        out = []
        for s in self.symbols.values():
            members = {self.wanted[u] for u in s["members"] if self.wanted.get(u, -1) >= 0}
            concepts = {self.concept_label[c] for c in s["members"] if c in self.concept_label}
            uses = {self.wanted[u] for u in s["uses"] if self.wanted.get(u, -1) >= 0} - members
            if members or uses:
                out.append([s["id"], s["glyph"], s["label"], s["gloss"], s["origin"], s["defined"],
                            sorted(members), sorted(concepts, key=str.casefold), sorted(uses)])
        return sorted(out, key=lambda r: (order.get(r[4], 9), -len(r[6]), r[1] or r[2], r[0]))

    def json_pieces(self, head: dict, tail: dict) -> Iterator[str]:
        """The page's data as JSON pieces: ``head`` (keys before the documents), the
        documents, paragraphs, units, relations, concepts, symbols and links, then ``tail``."""
        self._place_documents()
        concept_ids = sorted(self.used_concepts, key=lambda c: (self.concept_label[c].casefold(), c))
        concept_index = {c: k for k, c in enumerate(concept_ids)}
        for s in self.symbols.values():  # the units a symbol names get their indexes in the second pass
            for u in s["members"] | s["uses"]:
                if u not in self.concept_label:
                    self.wanted.setdefault(u, -1)
        self._second_pass(concept_index)
        ids = [d.id for d in self.docs]
        relations = [(self.wanted_doc[a], self.wanted_doc[b], name) for a, b, name, _, _ in
                     sorted(self.cross, key=lambda e: (e[0], e[1], e[2]))
                     if a in self.wanted_doc and b in self.wanted_doc and self.wanted_doc[a] != self.wanted_doc[b]]
        titles = {d.id: d.title for d in self.docs}
        links = document_links(ids, titles, sorted(self.wikilinks, key=lambda t: (t[0], t[1])), relations,
                               self.claims, self.mentions, self.concept_label)
        overview = overview_positions(ids, {d.id: d.units for d in self.docs},
                                      [(a, b, float(sum(k.values()))) for a, b, k, _, _ in links])
        doc_rows = []
        for d in self.docs:
            ox, oy = overview.get(d.id, (0, 0))
            block = ([round(d.x, 1), round(d.y, 1), round(d.size[0], 1), round(d.size[1], 1),
                      round(d.y + HEADER_H / 2 - 6, 1), d.main] if d.units else [0, 0, 0, 0, 0, -1])
            doc_rows.append([d.id, d.title, d.source, d.units, *block, ox, oy])
        yield _json_for_script(head)[:-1] + ","
        yield '"documents":'
        yield from _rows(doc_rows)
        for key in ("paragraphs", "units", "edges"):
            yield f',"{key}":['
            with open(self.spool / f"{key}.json", encoding="utf-8") as f:
                while chunk := f.read(1 << 20):
                    yield chunk
            yield "]"
        yield ',"concepts":' + _json_for_script([self.concept_label[c] for c in concept_ids])
        yield ',"symbols":'
        yield from _rows(self._symbol_rows())
        yield ',"links":'
        yield from _rows([[a, b, [kinds.get(k, 0) for k in LINK_KINDS], direction, detail]
                          for a, b, kinds, direction, detail in links])
        yield "," + _json_for_script(tail)[1:]

    def close(self) -> None:
        if not self._out.closed:
            self._out.close()


def _json_for_script(value) -> str:
    """JSON that is safe inside a <script> element: no "<" can end it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _rows(rows: list) -> Iterator[str]:
    yield "["
    for k in range(0, len(rows), 512):
        yield ("," if k else "") + _json_for_script(rows[k:k + 512])[1:-1]
    yield "]"


def build_map_data(pages: Iterable, head: dict, tail_of) -> Iterator[str]:
    """The page's data as JSON pieces from ``pages`` (in the map's document order).
    ``tail_of(units)``: the keys after the links, given the number of units."""
    with tempfile.TemporaryDirectory(prefix="graphmind-map-") as tmp:
        builder = MapBuilder(Path(tmp))
        try:
            for page in pages:
                builder.add_page(page)
            builder.close()
            yield from builder.json_pieces(head, tail_of(builder.n_units))
        finally:
            builder.close()
