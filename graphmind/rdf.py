"""RDF stage: the meaning graph as linked data (rdflib), and back.

- ``schemas/graphmind.ttl`` (the ontology) and ``schemas/shapes.ttl`` (SHACL shapes) are
  generated from ``schemas/graph.json`` by ``python -m graphmind.rdf`` (a test checks them).
- Alignment: units are AIF information nodes (``aif:I-node``); every support-family
  relation is also an AIF inference application (``aif:RA-node``) and every attack a conflict
  application (``aif:CA-node``) linking premise and conclusion; concepts are SKOS concepts;
  provenance (source document, paragraph, character offsets, extractor, cue) uses PROV.
- IRIs are minted from the deterministic ids under a base IRI (default ``urn:graphmind:``);
  text never becomes part of an IRI.
- Import rebuilds extractions and ingests them (idempotent like ``ingest``). RDF/XML with a
  DOCTYPE (where external entities live) is refused; nothing is ever fetched.
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import fsio
from .exceptions import GraphMindError
from .model import Concept, Document, Extraction, Link, Paragraph, Relation, Unit
from .schema import load_schema, resource_dir

GM = Namespace("https://w3id.org/graphmind/ontology#")
AIF = Namespace("http://www.arg.dundee.ac.uk/aif#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DEFAULT_BASE = "urn:graphmind:"
FORMATS = {"turtle": "turtle", "ttl": "turtle", "json-ld": "json-ld", "jsonld": "json-ld", "nt": "nt",
           "ntriples": "nt", "nquads": "nquads", "nq": "nquads", "xml": "xml", "rdfxml": "xml"}
SUFFIX_FORMAT = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".nq": "nquads",
                 ".rdf": "xml", ".xml": "xml", ".owl": "xml"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def rel_property(name: str) -> URIRef:
    return GM[_camel(name)]


def unit_class(type_name: str) -> URIRef:
    return GM[load_schema().unit_type(type_name).label]


def _bind(g: Graph) -> Graph:
    for prefix, ns in (("gm", GM), ("aif", AIF), ("skos", SKOS), ("prov", PROV), ("dcterms", DCTERMS),
                       ("sh", SH), ("owl", OWL), ("xsd", XSD)):
        g.bind(prefix, ns)
    return g


# -- ontology and shapes ------------------------------------------------------------
def ontology_graph() -> Graph:
    schema = load_schema()
    g = _bind(Graph())
    onto = URIRef(str(GM).rstrip("#"))
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.comment, Literal("GraphMind meaning-graph ontology, generated from schemas/graph.json.")))
    g.add((onto, OWL.versionInfo, Literal(str(schema.version))))
    parents = {"Document": PROV.Entity, "Section": PROV.Entity, "Paragraph": PROV.Entity,
               "Unit": AIF["I-node"], "Concept": SKOS.Concept, "Symbol": SKOS.Concept}
    for kind, label in schema.node_kinds.items():
        g.add((GM[label], RDF.type, OWL.Class))
        g.add((GM[label], RDFS.label, Literal(label)))
        g.add((GM[label], RDFS.subClassOf, parents[kind]))
    for t in schema.unit_types.values():
        g.add((GM[t.label], RDF.type, OWL.Class))
        g.add((GM[t.label], RDFS.subClassOf, GM.Unit))
        g.add((GM[t.label], RDFS.label, Literal(t.label)))
        g.add((GM[t.label], RDFS.comment, Literal(t.description)))
    for name, r in schema.relation_types.items():
        p = rel_property(name)
        g.add((p, RDF.type, OWL.ObjectProperty))
        g.add((p, RDFS.label, Literal(name)))
        g.add((p, RDFS.comment, Literal(r.description)))
        for end, pred in ((r.source, RDFS.domain), (r.target, RDFS.range)):
            if len(end) == 1:
                g.add((p, pred, GM[schema.node_kinds[end[0]]]))
    for cls, parent, comment in (
        (GM.SupportApplication, AIF["RA-node"], "A support-family relation as an AIF inference application."),
        (GM.AttackApplication, AIF["CA-node"], "An attack as an AIF conflict application."),
        (GM.StructureApplication, PROV.Entity, "A structural relation (answers, defines) with its provenance."),
    ):
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.subClassOf, parent))
        g.add((cls, RDFS.comment, Literal(comment)))
    for prop in ("Premise", "Conclusion"):
        g.add((AIF[prop], RDF.type, OWL.ObjectProperty))
    datatype = {"text": XSD.string, "startOffset": XSD.nonNegativeInteger, "endOffset": XSD.nonNegativeInteger,
                "index": XSD.nonNegativeInteger, "cue": XSD.string, "confidence": XSD.decimal,
                "central": XSD.boolean, "lang": XSD.string, "source": XSD.string, "section": XSD.string,
                "kind": XSD.string, "callout": XSD.string, "extractor": XSD.string, "lemma": XSD.string,
                "relationType": XSD.string, "family": XSD.string, "linkTarget": XSD.string,
                "linkAlias": XSD.string, "speaker": XSD.string, "turn": XSD.nonNegativeInteger,
                "timestamp": XSD.string, "emphasis": XSD.string, "role": XSD.string, "images": XSD.string,
                "symbolName": XSD.string, "symbolKey": XSD.string, "origin": XSD.string, "defined": XSD.boolean,
                "via": XSD.string}
    for name, dt in datatype.items():
        g.add((GM[name], RDF.type, OWL.DatatypeProperty))
        g.add((GM[name], RDFS.range, dt))
    g.add((GM.wikilink, RDF.type, OWL.ObjectProperty))
    for prop, comment in ((GM.membership, "A symbol's member with how it was attached (gm:member, gm:via)."),
                          (GM.member, "The unit or concept of a membership."),
                          (GM.definedBy, "The unit or paragraph that declares a symbol, or a found symbol's central claim.")):
        g.add((prop, RDF.type, OWL.ObjectProperty))
        g.add((prop, RDFS.comment, Literal(comment)))
    g.add((GM.centralUnit, RDF.type, OWL.ObjectProperty))
    g.add((GM.centralUnit, RDFS.comment, Literal("The unit at the root of the document's argument tree.")))
    return g


def shapes_text() -> str:
    schema = load_schema()
    types = " ".join(f"gm:{t.label}" for t in schema.unit_types.values())
    argument = [r for r in schema.argument_relations if schema.relation_types[r].family in ("support", "attack")]
    rel_shapes = "\n".join(f"""
gm:{_camel(r).title()}ConnectsUnits a sh:NodeShape ;
    sh:targetSubjectsOf gm:{_camel(r)} ;
    sh:class gm:Unit ;
    sh:property [ sh:path gm:{_camel(r)} ; sh:class gm:Unit ] .""" for r in argument)
    origins = " ".join(f'"{o}"' for o in ("declared", "user", "found", "used"))
    occurrence_shapes = "\n".join(f"""
gm:{_camel(r).title()}ConnectsUnitToSymbol a sh:NodeShape ;
    sh:targetSubjectsOf gm:{_camel(r)} ;
    sh:class gm:Unit ;
    sh:property [ sh:path gm:{_camel(r)} ; sh:class gm:Symbol ] .""" for r in ("uses", "evokes"))
    return f"""# SHACL shapes for GraphMind RDF exports. Generated from schemas/graph.json by
# `python -m graphmind.rdf`; do not edit by hand.
@prefix gm: <{GM}> .
@prefix sh: <{SH}> .
@prefix prov: <{PROV}> .
@prefix skos: <{SKOS}> .
@prefix xsd: <{XSD}> .

gm:UnitShape a sh:NodeShape ;
    sh:targetClass gm:Unit ;
    sh:property [ sh:path <{RDF.type}> ;
        sh:qualifiedValueShape [ sh:in ( {types} ) ] ;
        sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ;
        sh:message "a unit has exactly one unit type" ] ;
    sh:property [ sh:path gm:text ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
    sh:property [ sh:path gm:startOffset ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ] ;
    sh:property [ sh:path gm:endOffset ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ] ;
    sh:property [ sh:path prov:wasDerivedFrom ; sh:minCount 1 ; sh:maxCount 1 ; sh:class gm:Paragraph ] ;
    sh:property [ sh:path gm:confidence ; sh:maxCount 1 ; sh:datatype xsd:decimal ] .

gm:ParagraphShape a sh:NodeShape ;
    sh:targetClass gm:Paragraph ;
    sh:property [ sh:path gm:text ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
    sh:property [ sh:path gm:index ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:nonNegativeInteger ] ;
    sh:property [ sh:path prov:wasDerivedFrom ; sh:minCount 1 ; sh:maxCount 1 ; sh:class gm:Document ] .

gm:ConceptShape a sh:NodeShape ;
    sh:targetClass gm:Concept ;
    sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ] .

gm:SymbolShape a sh:NodeShape ;
    sh:targetClass gm:Symbol ;
    sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ; sh:maxCount 1 ] ;
    sh:property [ sh:path skos:notation ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
    sh:property [ sh:path skos:definition ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
    sh:property [ sh:path gm:origin ; sh:minCount 1 ; sh:maxCount 1 ; sh:in ( {origins} ) ] ;
    sh:property [ sh:path gm:defined ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:boolean ] ;
    sh:property [ sh:path gm:symbolizes ; sh:or ( [ sh:class gm:Unit ] [ sh:class gm:Concept ] ) ] .
{occurrence_shapes}
{rel_shapes}
"""


def shapes_graph() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


# -- export -----------------------------------------------------------------------------
class Minter:
    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base

    def __call__(self, node_id: str) -> URIRef:
        return URIRef(self.base + node_id)

    def id_of(self, iri: URIRef) -> str:
        text = str(iri)
        if not text.startswith(self.base):
            raise GraphMindError(f"{text}: not under the base IRI {self.base}; pass --base")
        return text[len(self.base):]


def _decimal(value) -> str:
    return format(round(float(value), 6), "f").rstrip("0").rstrip(".") or "0"


def to_rdf_rdflib(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """The meaning graph as an rdflib Graph, term by term (the reference mapping; the
    streaming writer below must give a graph isomorphic to this one)."""
    schema = load_schema()
    iri = Minter(base)
    rel_name = {r.rel: name for name, r in schema.relation_types.items()}
    out = _bind(Graph())
    add = out.add
    for node, d in g.nodes(data=True):
        labels = set(d.get("labels", ()))
        s = iri(node)
        if "Document" in labels:
            add((s, RDF.type, GM.Document))
            add((s, DCTERMS.title, Literal(d.get("title", ""))))
            add((s, GM.source, Literal(d.get("source", ""))))
            add((s, GM.lang, Literal(d.get("lang", ""))))
            if d.get("central"):
                add((s, GM.centralUnit, iri(d["central"])))
            for key, alias in zip(d.get("link_keys") or [], d.get("link_aliases") or []):
                link = BNode()
                add((s, GM.wikilink, link))
                add((link, GM.linkTarget, Literal(key)))
                if alias:  # stored as "" when the link has none
                    add((link, GM.linkAlias, Literal(alias)))
        elif "Section" in labels:
            add((s, RDF.type, GM.Section))
            add((s, RDFS.label, Literal(d.get("title", ""))))
            add((s, GM.section, Literal(d.get("path", ""))))
        elif "Paragraph" in labels:
            add((s, RDF.type, GM.Paragraph))
            add((s, GM.text, Literal(d["text"])))
            add((s, GM["index"], Literal(d["index"], datatype=XSD.nonNegativeInteger)))
            add((s, GM.section, Literal(d.get("section") or "")))
            add((s, GM.lang, Literal(d.get("lang", ""))))
            add((s, GM.kind, Literal(d.get("kind") or "paragraph")))
            if d.get("callout"):
                add((s, GM.callout, Literal(d["callout"])))
            for key in ("speaker", "timestamp"):
                if d.get(key):
                    add((s, GM[key], Literal(d[key])))
            if d.get("turn") is not None:
                add((s, GM.turn, Literal(d["turn"], datatype=XSD.nonNegativeInteger)))
            if d.get("emphasis"):
                add((s, GM.emphasis, Literal(_ints(d["emphasis"]))))
            add((s, PROV.wasDerivedFrom, iri(d["document_id"])))
        elif "Unit" in labels:
            add((s, RDF.type, GM.Unit))
            add((s, RDF.type, unit_class(d["type"])))
            add((s, GM.text, Literal(d["text"])))
            add((s, GM.startOffset, Literal(d["start"], datatype=XSD.nonNegativeInteger)))
            add((s, GM.endOffset, Literal(d["end"], datatype=XSD.nonNegativeInteger)))
            add((s, GM.cue, Literal(d.get("cue") or "")))
            add((s, GM.confidence, Literal(_decimal(d.get("confidence", 0)), datatype=XSD.decimal)))
            add((s, GM.central, Literal(bool(d.get("central")))))
            add((s, GM.role, Literal(d.get("role") or "pro")))
            if d.get("images"):
                add((s, GM.images, Literal(_ints(d["images"]))))
            add((s, GM.extractor, Literal(d.get("extractor") or "rules")))
            add((s, PROV.wasDerivedFrom, iri(d["paragraph_id"])))
            add((s, GM.document, iri(d["document_id"])))
        elif "Symbol" in labels:
            add((s, RDF.type, GM.Symbol))
            add((s, RDF.type, SKOS.Concept))
            add((s, SKOS.prefLabel, Literal(d.get("label") or d.get("glyph") or "")))
            if d.get("glyph"):
                add((s, SKOS.notation, Literal(d["glyph"])))
            if d.get("name"):
                add((s, GM.symbolName, Literal(d["name"])))
            if d.get("gloss"):
                add((s, SKOS.definition, Literal(d["gloss"])))
            add((s, GM.symbolKey, Literal(d.get("key") or "")))
            add((s, GM.origin, Literal(d.get("origin") or "used")))
            add((s, GM.defined, Literal(bool(d.get("defined")))))
            if d.get("lang"):
                add((s, GM.lang, Literal(d["lang"])))
            if d.get("source"):
                add((s, GM.source, Literal(d["source"])))
            if d.get("document_id"):
                add((s, GM.document, iri(d["document_id"])))
            if d.get("defined_by"):
                add((s, GM.definedBy, iri(d["defined_by"])))
        elif "Concept" in labels:
            add((s, RDF.type, GM.Concept))
            add((s, RDF.type, SKOS.Concept))
            add((s, SKOS.prefLabel, Literal(d.get("label", ""), lang=d.get("lang") or None)))
            add((s, GM.lemma, Literal(d.get("lemma", ""))))
            if d.get("lang"):
                add((s, GM.lang, Literal(d["lang"])))
    for a, b, d in g.edges(data=True):
        name = rel_name.get(d.get("rel"))
        if name is None:
            continue
        add((iri(a), rel_property(name), iri(b)))
        if name == "symbolizes" and d.get("via"):  # how the member was attached
            membership = BNode()
            add((iri(a), GM.membership, membership))
            add((membership, GM.member, iri(b)))
            add((membership, GM.via, Literal(d["via"])))
        if d.get("id"):  # an extracted relation: also an AIF application with provenance
            app = iri(d["id"])
            family = schema.relation_types[name].family
            cls = {"support": GM.SupportApplication, "attack": GM.AttackApplication}.get(family,
                                                                                       GM.StructureApplication)
            add((app, RDF.type, cls))
            add((app, AIF.Premise, iri(a)))
            add((app, AIF.Conclusion, iri(b)))
            add((app, GM.relationType, Literal(name)))
            add((app, GM.family, Literal(family)))
            add((app, GM.cue, Literal(d.get("cue") or "")))
            add((app, GM.confidence, Literal(_decimal(d.get("confidence", 0)), datatype=XSD.decimal)))
    return out


def _ints(values) -> str:
    """A flat list of offsets as a literal: "0 22 74 82"."""
    return " ".join(str(int(v)) for v in values)


def _parse_ints(text) -> list[int]:
    return [int(x) for x in str(text).split()] if text else []


def serialize(graph: Graph, fmt: str) -> str:
    fmt = FORMATS.get(fmt, fmt)
    if fmt not in set(FORMATS.values()):
        raise GraphMindError(f"unknown RDF format {fmt!r}; use turtle, json-ld, nt, nquads or xml")
    return graph.serialize(format=fmt)


def to_rdf(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """The meaning graph (as from ``GraphStore.load_graph``) as an rdflib Graph: the
    streaming writer's N-Triples, parsed (one mapping for both)."""
    from .store.store import Page

    buf = io.StringIO()
    write_stream([Page.of_graph(g)], buf, "nt", base)
    return _bind(Graph()).parse(data=buf.getvalue(), format="nt")


def export_file(g: nx.MultiDiGraph, path: str | os.PathLike, fmt: str | None = None,
                base: str = DEFAULT_BASE) -> int:
    """Write ``g`` as RDF; the number of triples written. Turtle, N-Triples and N-Quads
    are streamed; JSON-LD and RDF/XML go through rdflib."""
    from .store.store import Page

    return export_pages([Page.of_graph(g)], path, fmt, base)


def export_pages(pages, path: str | os.PathLike, fmt: str | None = None, base: str = DEFAULT_BASE,
                 on_page=None) -> int:
    """Write pages of the graph (``GraphStore.pages``) as RDF, page by page for Turtle,
    N-Triples and N-Quads (memory: one page); the number of triples written. The file is
    written beside its final place and renamed, so nobody sees half of it."""
    fmt = FORMATS.get(fmt or "", None) or SUFFIX_FORMAT.get(Path(path).suffix.lower(), "turtle")
    with fsio.atomic_file(path) as out:  # whole or not at all
        if fmt in STREAMED:
            n = write_stream(pages, out, fmt, base, on_page)
        else:
            from .store.store import Page

            nodes, edges = [], []
            for page in pages:
                nodes.extend(page.nodes)
                edges.extend(page.edges)
            buf = io.StringIO()
            write_stream([Page([], nodes, edges)], buf, "nt", base)
            graph = _bind(Graph()).parse(data=buf.getvalue(), format="nt")
            out.write(serialize(graph, fmt))
            n = len(graph)
    return n


# -- the streaming writer ---------------------------------------------------------------------
STREAMED = ("turtle", "nt", "nquads")
_XSD = str(XSD)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f\ud800-\udfff]')
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_char(m: re.Match) -> str:
    c = m.group(0)
    if c in _ESCAPES:
        return _ESCAPES[c]
    if "\ud800" <= c <= "\udfff":
        return "\ufffd"  # a lone surrogate cannot be written as UTF-8
    return f"\\u{ord(c):04X}"


def _literal(text) -> str:
    text = str(text)
    return '"' + (_NEEDS_ESCAPE.sub(_escape_char, text) if _NEEDS_ESCAPE.search(text) else text) + '"'


class _Terms:
    """Terms written out in N-Triples or Turtle syntax."""

    def __init__(self, base: str, turtle: bool):
        if _BAD_IRI.search(base):
            raise GraphMindError(f"{base!r}: not a usable base IRI (no spaces, quotes or <>{{}}|^`\\); "
                                 "pass --base with an IRI such as urn:graphmind: or https://example.org/id/")
        self.base, self.turtle = base, turtle
        names = (("gm", GM), ("aif", AIF), ("skos", SKOS), ("prov", PROV), ("dcterms", DCTERMS),
                 ("rdf", RDF), ("xsd", XSD))
        self.prefixes = names
        self._cache: dict[str, str] = {}
        self.type = self.term(str(RDF.type))
        self.xsd = {k: self.term(_XSD + k) for k in ("nonNegativeInteger", "decimal", "boolean")}

    def node(self, node_id: str) -> str:
        return f"<{self.base}{node_id}>"

    def term(self, iri: str) -> str:
        """A fixed vocabulary IRI: a prefixed name in Turtle, <...> in N-Triples."""
        found = self._cache.get(iri)
        if found is None:
            found = f"<{iri}>"
            if self.turtle:
                for prefix, ns in self.prefixes:
                    local = iri[len(str(ns)):]
                    if iri.startswith(str(ns)) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", local):
                        found = f"{prefix}:{local}"
                        break
            self._cache[iri] = found
        return found

    def typed(self, value, datatype: str) -> str:
        return f"{_literal(value)}^^{self.xsd[datatype]}"


def _node_triples(t: _Terms, node: str, labels, d: dict, unit_class_term, link_label) -> list[tuple[str, str]]:
    """(predicate, object) pairs of one node, as ``to_rdf_rdflib`` maps them."""
    T = t.term
    out: list[tuple[str, str]] = []
    add = lambda p, o: out.append((p, o))  # noqa: E731
    if "Document" in labels:
        add(t.type, T(GM.Document))
        add(T(DCTERMS.title), _literal(d.get("title", "")))
        add(T(GM.source), _literal(d.get("source", "")))
        add(T(GM.lang), _literal(d.get("lang", "")))
        if d.get("central"):
            add(T(GM.centralUnit), t.node(d["central"]))
        for key, alias in zip(d.get("link_keys") or [], d.get("link_aliases") or []):
            add(T(GM.wikilink), link_label(key, alias))
    elif "Section" in labels:
        add(t.type, T(GM.Section))
        add(T(RDFS.label), _literal(d.get("title", "")))
        add(T(GM.section), _literal(d.get("path", "")))
    elif "Paragraph" in labels:
        add(t.type, T(GM.Paragraph))
        add(T(GM.text), _literal(d["text"]))
        add(T(GM["index"]), t.typed(int(d["index"]), "nonNegativeInteger"))
        add(T(GM.section), _literal(d.get("section") or ""))
        add(T(GM.lang), _literal(d.get("lang", "")))
        add(T(GM.kind), _literal(d.get("kind") or "paragraph"))
        if d.get("callout"):
            add(T(GM.callout), _literal(d["callout"]))
        for key in ("speaker", "timestamp"):
            if d.get(key):
                add(T(GM[key]), _literal(d[key]))
        if d.get("turn") is not None:
            add(T(GM.turn), t.typed(int(d["turn"]), "nonNegativeInteger"))
        if d.get("emphasis"):
            add(T(GM.emphasis), _literal(_ints(d["emphasis"])))
        add(T(PROV.wasDerivedFrom), t.node(d["document_id"]))
    elif "Unit" in labels:
        add(t.type, T(GM.Unit))
        add(t.type, unit_class_term(d["type"]))
        add(T(GM.text), _literal(d["text"]))
        add(T(GM.startOffset), t.typed(int(d["start"]), "nonNegativeInteger"))
        add(T(GM.endOffset), t.typed(int(d["end"]), "nonNegativeInteger"))
        add(T(GM.cue), _literal(d.get("cue") or ""))
        add(T(GM.confidence), t.typed(_decimal(d.get("confidence", 0)), "decimal"))
        add(T(GM.central), t.typed("true" if d.get("central") else "false", "boolean"))
        add(T(GM.role), _literal(d.get("role") or "pro"))
        if d.get("images"):
            add(T(GM.images), _literal(_ints(d["images"])))
        add(T(GM.extractor), _literal(d.get("extractor") or "rules"))
        add(T(PROV.wasDerivedFrom), t.node(d["paragraph_id"]))
        add(T(GM.document), t.node(d["document_id"]))
    elif "Symbol" in labels:
        add(t.type, T(GM.Symbol))
        add(t.type, T(SKOS.Concept))
        add(T(SKOS.prefLabel), _literal(d.get("label") or d.get("glyph") or ""))
        if d.get("glyph"):
            add(T(SKOS.notation), _literal(d["glyph"]))
        if d.get("name"):
            add(T(GM.symbolName), _literal(d["name"]))
        if d.get("gloss"):
            add(T(SKOS.definition), _literal(d["gloss"]))
        add(T(GM.symbolKey), _literal(d.get("key") or ""))
        add(T(GM.origin), _literal(d.get("origin") or "used"))
        add(T(GM.defined), t.typed("true" if d.get("defined") else "false", "boolean"))
        for key in ("lang", "source"):
            if d.get(key):
                add(T(GM[key]), _literal(d[key]))
        if d.get("document_id"):
            add(T(GM.document), t.node(d["document_id"]))
        if d.get("defined_by"):
            add(T(GM.definedBy), t.node(d["defined_by"]))
    elif "Concept" in labels:
        add(t.type, T(GM.Concept))
        add(t.type, T(SKOS.Concept))
        label = _literal(d.get("label", ""))
        add(T(SKOS.prefLabel), label + (f"@{d['lang']}" if d.get("lang") else ""))
        add(T(GM.lemma), _literal(d.get("lemma", "")))
        if d.get("lang"):
            add(T(GM.lang), _literal(d["lang"]))
    return out


def write_stream(pages, out, fmt: str = "turtle", base: str = DEFAULT_BASE, on_page=None) -> int:
    """Write the graph page by page as Turtle, N-Triples or N-Quads (each document's
    triples in a graph named by the document's IRI; concepts in the default graph); the
    number of triples (statements) written. A concept is written once, with the first page
    that mentions it."""
    stream = PageStream(out, fmt, base, on_page)
    for page in pages:
        stream.write(page)
    return stream.triples


class PageStream:
    """RDF written as the pages of the graph come (``write(page)``), for a caller that reads
    the pages for something else too (``graphmind build`` writes the map from the same pages):
    ``triples`` is the number written so far."""

    def __init__(self, out, fmt: str = "turtle", base: str = DEFAULT_BASE, on_page=None):
        self._writer = _page_writer(out, fmt, base, on_page)
        self.triples = next(self._writer)

    def write(self, page) -> None:
        self.triples = self._writer.send(page)


def _page_writer(out, fmt: str, base: str, on_page):
    """A coroutine: sent a page, writes it and yields the number of triples written so far."""
    fmt = FORMATS.get(fmt, fmt)
    if fmt not in STREAMED:
        raise GraphMindError(f"{fmt}: not a streamed RDF format (turtle, nt, nquads)")
    schema = load_schema()
    turtle = fmt == "turtle"
    t = _Terms(base, turtle)
    rel_name = {r.rel: name for name, r in schema.relation_types.items()}
    rel_term = {name: t.term(str(rel_property(name))) for name in schema.relation_types}
    family_of = {name: r.family for name, r in schema.relation_types.items()}
    app_class = {"support": t.term(str(GM.SupportApplication)), "attack": t.term(str(GM.AttackApplication))}
    structure_class = t.term(str(GM.StructureApplication))
    class_terms = {name: t.term(str(GM[ut.label])) for name, ut in schema.unit_types.items()}
    T = t.term
    premise, conclusion = T(AIF.Premise), T(AIF.Conclusion)
    p_rtype, p_family, p_cue, p_conf = T(GM.relationType), T(GM.family), T(GM.cue), T(GM.confidence)
    p_target, p_alias = T(GM.linkTarget), T(GM.linkAlias)
    p_membership, p_member, p_via = T(GM.membership), T(GM.member), T(GM.via)
    seen_concepts: set[str] = set()
    count = 0
    bnodes = 0
    if turtle:
        out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in t.prefixes) + "\n")

    def emit(subject: str, pairs: list[tuple[str, str]], graph: str | None) -> None:
        nonlocal count
        if not pairs:
            return
        count += len(pairs)
        if turtle:
            out.write(subject + " " + " ;\n    ".join(f"{p} {o}" for p, o in pairs) + " .\n")
        elif graph is None:
            out.write("".join(f"{subject} {p} {o} .\n" for p, o in pairs))
        else:
            out.write("".join(f"{subject} {p} {o} {graph} .\n" for p, o in pairs))

    while True:
        page = yield count
        document_of: dict[str, str] = {}
        for node, labels, d in page.nodes:
            if on_page and page.document_ids is None and "Document" in labels:
                on_page(1)
            if "Concept" in labels:
                if node in seen_concepts:
                    continue
                seen_concepts.add(node)
            doc = node if "Document" in labels else d.get("document_id")
            if doc:
                document_of[node] = doc
            graph = t.node(doc) if fmt == "nquads" and doc and "Concept" not in labels else None
            links = []

            def link_label(key, alias):
                nonlocal bnodes
                bnodes += 1
                label = f"_:link{bnodes}"
                links.append((label, key, alias))
                return label

            emit(t.node(node), _node_triples(t, node, labels, d, class_terms.get, link_label), graph)
            for label, key, alias in links:
                pairs = [(p_target, _literal(key))]
                if alias:  # stored as "" when the link has none
                    pairs.append((p_alias, _literal(alias)))
                emit(label, pairs, graph)
        for a, rel, b, d in page.edges:
            name = rel_name.get(rel)
            if name is None:
                continue
            doc = document_of.get(a)
            graph = t.node(doc) if fmt == "nquads" and doc else None
            emit(t.node(a), [(rel_term[name], t.node(b))], graph)
            if name == "symbolizes" and d.get("via"):  # how the member was attached
                bnodes += 1
                membership = f"_:member{bnodes}"
                emit(t.node(a), [(p_membership, membership)], graph)
                emit(membership, [(p_member, t.node(b)), (p_via, _literal(d["via"]))], graph)
            if d.get("id"):  # an extracted relation: also an AIF application with provenance
                family = family_of[name]
                emit(t.node(d["id"]), [
                    (t.type, app_class.get(family, structure_class)), (premise, t.node(a)), (conclusion, t.node(b)),
                    (p_rtype, _literal(name)), (p_family, _literal(family)), (p_cue, _literal(d.get("cue") or "")),
                    (p_conf, t.typed(_decimal(d.get("confidence", 0)), "decimal"))], graph)
        if on_page and page.document_ids is not None:
            on_page(len(page.document_ids))


# -- import -----------------------------------------------------------------------------
def parse_file(path: str | os.PathLike, fmt: str | None = None) -> Graph:
    """Parse an RDF file without ever fetching anything; RDF/XML with a DOCTYPE (the
    place where external entities are declared) is refused."""
    path = Path(path)
    if not path.is_file():
        raise GraphMindError(f"{path}: no such file")
    fmt = FORMATS.get(fmt or "", None) or SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        raise GraphMindError(f"{path}: cannot tell the RDF format from the name; pass --format")
    data = path.read_bytes()
    if fmt == "xml" and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
        raise GraphMindError(f"{path}: RDF/XML with a DOCTYPE or entity declarations is refused (external entities)")
    try:
        if fmt == "nquads":  # one graph per document: their union
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(data=data, format="nquads")
            g = _bind(Graph())
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
            return g
        return Graph().parse(data=data, format=fmt)
    except Exception as exc:  # rdflib raises many kinds
        raise GraphMindError(f"{path}: not valid {fmt}: {str(exc).splitlines()[0][:200]}") from None


def from_rdf(graph: Graph, base: str = DEFAULT_BASE) -> list[Extraction]:
    """Rebuild extractions (one per document) from GraphMind RDF."""
    schema = load_schema()
    iri = Minter(base)
    class_type = {GM[t.label]: name for name, t in schema.unit_types.items()}

    def one(s, p, default=None):
        v = graph.value(s, p)
        return default if v is None else v.toPython()

    docs: dict[str, Extraction] = {}
    for s in sorted(graph.subjects(RDF.type, GM.Document)):
        did = iri.id_of(s)
        links = []
        for link in graph.objects(s, GM.wikilink):
            links.append(Link(did, str(one(link, GM.linkTarget, "")), one(link, GM.linkAlias)))
        links.sort(key=lambda l: (l.target, l.alias or ""))
        central = graph.value(s, GM.centralUnit)
        docs[did] = Extraction(Document(did, str(one(s, GM.source, "")), str(one(s, DCTERMS.title, "")),
                                        str(one(s, GM.lang, "other")), iri.id_of(central) if central else None),
                               links=links)
    pars: dict[str, Paragraph] = {}
    for s in graph.subjects(RDF.type, GM.Paragraph):
        pid, did = iri.id_of(s), iri.id_of(graph.value(s, PROV.wasDerivedFrom))
        p = Paragraph(pid, did, int(one(s, GM["index"], 0)), str(one(s, GM.text, "")), str(one(s, GM.section, "")),
                      str(one(s, GM.lang, "other")), str(one(s, GM.kind, "paragraph")), one(s, GM.callout),
                      one(s, GM.speaker), one(s, GM.turn), one(s, GM.timestamp), _parse_ints(one(s, GM.emphasis)))
        if p.turn is not None:
            p.turn = int(p.turn)
        pars[pid] = p
        docs[did].paragraphs.append(p)
    unit_doc: dict[str, str] = {}
    for s in graph.subjects(RDF.type, GM.Unit):
        uid = iri.id_of(s)
        types = [class_type[c] for c in graph.objects(s, RDF.type) if c in class_type]
        if len(types) != 1:
            raise GraphMindError(f"{s}: a unit needs exactly one unit type, found {len(types)}")
        pid = iri.id_of(graph.value(s, PROV.wasDerivedFrom))
        u = Unit(uid, pid, types[0], str(one(s, GM.text, "")), int(one(s, GM.startOffset, 0)),
                 int(one(s, GM.endOffset, 0)), str(one(s, GM.cue, "")), float(one(s, GM.confidence, 0)),
                 bool(one(s, GM.central, False)), str(one(s, GM.role, "pro")), _parse_ints(one(s, GM.images)))
        docs[pars[pid].document_id].units.append(u)
        unit_doc[uid] = pars[pid].document_id
    concepts: dict[str, dict] = {}
    for s in graph.subjects(RDF.type, GM.Concept):
        concepts[iri.id_of(s)] = {"label": str(one(s, SKOS.prefLabel, "")), "lemma": str(one(s, GM.lemma, "")),
                                  "units": defaultdict(list)}
    for app in graph.subjects(GM.relationType, None):
        name = str(graph.value(app, GM.relationType))
        if name not in schema.relation_types:
            raise GraphMindError(f"{app}: unknown relation type {name!r}")
        src, dst = iri.id_of(graph.value(app, AIF.Premise)), iri.id_of(graph.value(app, AIF.Conclusion))
        docs[unit_doc[src]].relations.append(Relation(iri.id_of(app), src, dst, name,
                                                      schema.relation_types[name].family,
                                                      str(one(app, GM.cue, "")), float(one(app, GM.confidence, 0))))
    for s, o in graph.subject_objects(GM.mentions):
        uid, cid = iri.id_of(s), iri.id_of(o)
        concepts[cid]["units"][unit_doc[uid]].append(uid)
    for cid, c in concepts.items():
        for did, uids in c["units"].items():
            docs[did].concepts.append(Concept(cid, c["label"], c["lemma"], sorted(uids)))
    for ex in docs.values():  # the order ingest and extraction use
        ex.paragraphs.sort(key=lambda p: p.index)
        order = {p.id: k for k, p in enumerate(ex.paragraphs)}
        ex.units.sort(key=lambda u: (order[u.paragraph_id], u.start, u.end))
        ex.relations.sort(key=lambda r: r.id)
        ex.concepts.sort(key=lambda c: c.id)
    return [docs[d] for d in sorted(docs)]


def node_kinds_of(graph: Graph, base: str = DEFAULT_BASE) -> dict[str, str]:
    """Node id -> "Unit" or "Concept" for the units and concepts of GraphMind RDF."""
    iri = Minter(base)
    kinds = {iri.id_of(s): "Concept" for s in graph.subjects(RDF.type, GM.Concept)}
    kinds.update({iri.id_of(s): "Unit" for s in graph.subjects(RDF.type, GM.Unit)})
    return kinds


def symbols_from_rdf(graph: Graph, base: str = DEFAULT_BASE):
    """The symbols of GraphMind RDF (to write with ``graphmind.symbols.store.write_symbols``)."""
    from .symbols.detect import Symbol

    iri = Minter(base)

    def one(s, p, default=None):
        v = graph.value(s, p)
        return default if v is None else v.toPython()

    out = []
    for s in sorted(graph.subjects(RDF.type, GM.Symbol)):
        sid = iri.id_of(s)
        via = {}
        for m in graph.objects(s, GM.membership):
            via[iri.id_of(graph.value(m, GM.member))] = str(one(m, GM.via, ""))
        members = sorted((iri.id_of(o), via.get(iri.id_of(o), "")) for o in graph.objects(s, GM.symbolizes))
        uses = sorted([(iri.id_of(u), "uses") for u in graph.subjects(GM.uses, s)]
                      + [(iri.id_of(u), "evokes") for u in graph.subjects(GM.evokes, s)])
        doc, by = graph.value(s, GM.document), graph.value(s, GM.definedBy)
        out.append(Symbol(sid, str(one(s, GM.symbolKey, "")), str(one(s, SKOS.notation, "")),
                          str(one(s, GM.symbolName, "")), str(one(s, SKOS.prefLabel, "")),
                          str(one(s, SKOS.definition, "")), str(one(s, GM.origin, "used")), bool(one(s, GM.defined, False)),
                          str(one(s, GM.lang, "")), str(one(s, GM.source, "")), iri.id_of(doc) if doc else None,
                          iri.id_of(by) if by else None, members, uses))
    return out


def write_schema_files() -> None:
    folder = resource_dir("schemas")
    (folder / "graphmind.ttl").write_text(
        "# GraphMind ontology. Generated from schemas/graph.json by `python -m graphmind.rdf`; do not edit.\n"
        + ontology_graph().serialize(format="turtle"), encoding="utf-8")
    (folder / "shapes.ttl").write_text(shapes_text(), encoding="utf-8")


if __name__ == "__main__":
    write_schema_files()
    print("wrote schemas/graphmind.ttl and schemas/shapes.ttl")
