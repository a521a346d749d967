"""A map's data from a whole meaning graph in memory (``networkx.MultiDiGraph`` as
``GraphStore.load_graph`` gives it), laid out: units with their boxes, argument relations,
paragraphs, documents with their blocks, and the overview's document-to-document links
(``document_links``, shared with the HTML map, which builds its data a document at a time in
``pagemap``). Plain Python values, read by the SVG export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import networkx as nx

from ..schema import load_schema
from .layout import Layout, LEdge, LUnit, layout_map, overview_positions

MIN_SHARED = 2  # concepts two documents must share to be linked in the overview (as queries/linked_documents)
COMMON_DOCS = 30  # a concept or claim found in more documents than this links nothing: it says nothing
PARTNERS = 4  # concept links kept per document, strongest first


@dataclass
class MapData:
    graph_units: list[str]  # unit ids in a stable order
    docs: list[str]
    doc_props: dict[str, dict]
    pars: list[str]
    par_props: dict[str, dict]
    unit_props: dict[str, dict]
    edges: list[tuple[str, str, str, dict]]  # (source, target, relation name, properties)
    layout: Layout
    links: list[tuple[str, str, dict, int, str]] = field(default_factory=list)
    # overview links, one per pair of documents: (doc a, doc b, {kind: count}, wikilink
    # direction 1 a->b, 2 b->a, 3 both, 0 none; details as text)
    overview: dict[str, tuple[float, float]] = field(default_factory=dict)
    concepts: dict[str, str] = field(default_factory=dict)  # concept id -> label
    unit_concepts: dict[str, list[str]] = field(default_factory=dict)  # unit id -> concept ids (mentions, defines)
    symbols: list[dict] = field(default_factory=list)  # symbols touching the map's units (see _symbols)


def _utf16(text: str, index: int) -> int:
    """A code-point offset as the UTF-16 offset a browser's string uses."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", " ", text.casefold()).strip()


def split_nodes(rows) -> tuple[dict, dict, dict, dict[str, str]]:
    """Node rows (id, labels, properties) sorted by what a map draws: documents, paragraphs and
    units (id -> properties), and concepts (id -> label)."""
    docs, pars, units, concepts = {}, {}, {}, {}
    for n, labels, d in rows:
        if "Unit" in labels:
            units[n] = d
        elif "Paragraph" in labels:
            pars[n] = d
        elif "Document" in labels:
            docs[n] = d
        elif "Concept" in labels:
            concepts[n] = d.get("label") or n
    return docs, pars, units, concepts


def collect(g: nx.MultiDiGraph) -> MapData:
    schema = load_schema()
    rel_name = {r.rel: name for name, r in schema.relation_types.items()}
    argument = set(schema.argument_relations)
    doc_props, par_props, unit_props, concept_label = split_nodes(
        (n, d.get("labels", ()), d) for n, d in g.nodes(data=True))
    for d in unit_props.values():  # a unit whose document is not in the graph still gets one
        doc = d.get("document_id") or ""
        if doc not in doc_props:
            doc_props[doc] = {"id": doc, "title": doc or "(no document)", "source": ""}
    docs = sorted(doc_props, key=lambda k: (doc_props[k].get("source") or "", k))

    def order(u: str) -> tuple:
        d = unit_props[u]
        par = par_props.get(d.get("paragraph_id"), {})
        return (par.get("index", 1 << 30), d.get("start") or 0, u)

    d_rank = {k: i for i, k in enumerate(docs)}
    units = sorted(unit_props, key=lambda u: (d_rank[unit_props[u].get("document_id") or ""], order(u)))
    pars = sorted({unit_props[u].get("paragraph_id") for u in units} & set(par_props),
                  key=lambda p: (d_rank.get(par_props[p].get("document_id"), 1 << 30),
                                 par_props[p].get("index", 0), p))
    edges = []
    for a, b, d in g.edges(data=True):
        name = rel_name.get(d.get("rel"))
        if name in argument and a in unit_props and b in unit_props:
            edges.append((a, b, name, d))
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    lunits = [LUnit(u, unit_props[u].get("document_id") or "", unit_props[u].get("paragraph_id") or "",
                    order(u), unit_props[u].get("text", ""), bool(unit_props[u].get("central")))
              for u in units]
    layout = layout_map(lunits, [LEdge(a, b) for a, b, _, _ in edges], docs)
    data = MapData(units, docs, doc_props, pars, par_props, unit_props, edges, layout)
    data.links = _document_links(g, data, rel_name, concept_label)
    data.symbols = _symbols(g, data, concept_label)
    sizes = {d: 0 for d in docs}
    for u in units:
        sizes[unit_props[u].get("document_id") or ""] += 1
    data.overview = overview_positions(docs, sizes, [(a, b, float(sum(k.values()))) for a, b, k, _, _ in data.links])
    return data


def _document_links(g: nx.MultiDiGraph, data: MapData, rel_name: dict, concept_label: dict) -> list:
    """The overview's links of a whole graph (see ``document_links``); also fills
    ``data.unit_concepts`` and ``data.concepts``."""
    doc_of = {u: d.get("document_id") or "" for u, d in data.unit_props.items()}
    wikilinks, mentions = [], {}
    for a, b, d in g.edges(data=True):
        name = rel_name.get(d.get("rel"))
        if name == "links_to":
            wikilinks.append((a, b, d.get("alias")))
        elif name in ("mentions", "defines") and a in doc_of and b in concept_label:
            mentions.setdefault(doc_of[a], set()).add(b)
            data.unit_concepts.setdefault(a, []).append(b)
    data.concepts = concept_label
    relations = [(doc_of[a], doc_of[b], name) for a, b, name, _ in data.edges if doc_of[a] != doc_of[b]]
    claims: dict[str, set[str]] = {}
    for u, d in data.unit_props.items():
        key = claim_key(d)
        if key:
            claims.setdefault(key, set()).add(doc_of[u])
    titles = {k: p.get("title") for k, p in data.doc_props.items()}
    wikilinks.sort(key=lambda t: (t[0], t[1]))
    return document_links(data.docs, titles, wikilinks, relations, claims, mentions, concept_label)


def claim_key(unit: dict) -> str:
    """What makes two documents' claims the same claim (empty: the unit is not a claim)."""
    return _norm(unit.get("text", "")) if unit.get("type") in ("claim", "conclusion") else ""


def document_links(docs: list[str], titles: dict[str, str | None], wikilinks: list[tuple[str, str, str | None]],
                   relations: list[tuple[str, str, str]], claims: dict[str, set[str]],
                   mentions: dict[str, set[str]], concept_label: dict[str, str]) -> list:
    """Edges of the overview, one per pair of documents and kind: wikilinks (source document,
    target document, alias; in the order of the graph's edges), argument relations across
    documents (source document, target document, relation), claims stated in both (claim key
    -> documents), and shared concepts (document -> concept ids; the rarer ones: a concept in
    more than COMMON_DOCS documents links nothing)."""
    docs_set = set(docs)
    out: dict[tuple[str, str, str], list] = {}  # (a, b, kind) with a < b -> [count, details, direction]

    def add(a: str, b: str, kind: str, detail: str | None, count: int = 1) -> None:
        if a == b or a not in docs_set or b not in docs_set:
            return
        direction = 1
        if b < a:
            a, b, direction = b, a, 2
        entry = out.setdefault((a, b, kind), [0, [], 0])
        entry[0] += count
        if detail and len(entry[1]) < 12 and detail not in entry[1]:
            entry[1].append(detail)
        entry[2] |= direction

    for a, b, alias in wikilinks:
        add(a, b, "wikilink", alias or titles.get(b))
    for a, b, name in relations:
        add(a, b, "relations", name)
    for key, where in sorted(claims.items()):
        if 1 < len(where) <= COMMON_DOCS:
            ws = sorted(where)
            for i, a in enumerate(ws):
                for b in ws[i + 1:]:
                    add(a, b, "claims", key[:80])
    docs_of: dict[str, list[str]] = {}
    for doc in sorted(mentions):
        for c in mentions[doc]:
            docs_of.setdefault(c, []).append(doc)
    shared: dict[tuple[str, str], list[str]] = {}
    for c, where in sorted(docs_of.items()):
        if 1 < len(where) <= COMMON_DOCS:
            for i, a in enumerate(where):
                for b in where[i + 1:]:
                    shared.setdefault((a, b), []).append(concept_label[c])
    strongest: dict[str, list[tuple[int, str, str]]] = {}
    for (a, b), labels in shared.items():
        if len(labels) >= MIN_SHARED:
            strongest.setdefault(a, []).append((len(labels), a, b))
            strongest.setdefault(b, []).append((len(labels), a, b))
    keep = set()
    for doc, pairs in strongest.items():
        pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
        keep.update((a, b) for _, a, b in pairs[:PARTNERS])
    for a, b in sorted(keep):
        labels = sorted(shared[(a, b)])
        out[(a, b, "concepts")] = [len(labels), labels[:12], 0]
    pairs: dict[tuple[str, str], list] = {}
    for (a, b, kind), (count, details, direction) in sorted(out.items()):
        entry = pairs.setdefault((a, b), [a, b, {}, 0, []])
        entry[2][kind] = count
        entry[3] |= direction if kind == "wikilink" else 0
        entry[4].append(f"{LINK_NAMES[kind][1 if count != 1 else 0]}: {', '.join(details)}" if details
                        else f"{count} {LINK_NAMES[kind][1 if count != 1 else 0]}")
    return [(a, b, kinds, direction, "\n".join(details)) for a, b, kinds, direction, details in pairs.values()]


def _symbols(g: nx.MultiDiGraph, data: MapData, concept_label: dict) -> list[dict]:
    """Symbols with a member or an occurrence among the map's units: glyph, label, gloss,
    origin, member units, member concepts (labels) and the units that write or name it."""
    units = data.unit_props
    out = []
    for n, d in g.nodes(data=True):
        if "Symbol" not in d.get("labels", ()):
            continue
        members, concepts, uses = set(), set(), set()
        for _, b, e in g.out_edges(n, data=True):
            if e.get("rel") == "SYMBOLIZES":
                if b in units:
                    members.add(b)
                elif b in concept_label:
                    concepts.add(concept_label[b])
        for a, _, e in g.in_edges(n, data=True):
            if e.get("rel") in ("USES", "EVOKES") and a in units:
                uses.add(a)
        if members or uses:
            out.append({"id": n, "glyph": d.get("glyph") or "", "label": d.get("label") or "", "gloss": d.get("gloss") or "",
                        "origin": d.get("origin") or "", "defined": bool(d.get("defined")),
                        "members": members, "concepts": sorted(concepts, key=str.casefold), "uses": uses - members})
    order = {"declared": 0, "user": 1, "found": 2, "used": 3}
    return sorted(out, key=lambda s: (order.get(s["origin"], 9), -len(s["members"]), s["glyph"] or s["label"], s["id"]))


LINK_KINDS = ("wikilink", "relations", "claims", "concepts")  # the strongest first: it styles the edge
LINK_NAMES = {"wikilink": ("link", "links"), "relations": ("relation", "relations"),
              "claims": ("shared claim", "shared claims"), "concepts": ("shared concept", "shared concepts")}


def unit_tooltip(d: dict, type_label: str, doc: dict, par: dict) -> str:
    """The hover text of a unit: full text, type, cue, document and position (plain text)."""
    where = f"paragraph {par.get('index', '?')}"
    if par.get("section"):
        where = f"{par['section']}, {where}"
    if par.get("speaker"):
        where = f"{par['speaker']} · {where}"
    return (f"{d.get('text', '')}\n\n{type_label}" + (f" · cue: {d['cue']}" if d.get("cue") else "")
            + f"\n{doc.get('title', '')} — {where}, characters {d.get('start')}–{d.get('end')}")
