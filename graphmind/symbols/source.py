"""What symbol detection reads, as streams of plain rows: from a networkx meaning graph
(``GraphSource``) or straight from the store (``StoreSource``: one projected, streamed query
per kind, so only the fields detection uses are ever held, never the whole graph).

Rows (a missing property is ``None``):
- documents: (id, source)
- paragraphs: (id, document_id, index, lang, text)
- units: (id, paragraph_id, document_id, start, end, lang, central, type, text)
- concepts: (id, lemma, label)
- mentions: (unit id, concept id), one row per MENTIONS or DEFINES edge
- arguments: (unit id, relationship type, unit id), one row per argument edge
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol

import networkx as nx

from ..store.cypher import checked_label, checked_rel
from .found import ARGUMENT

MENTION_RELS = ("MENTIONS", "DEFINES")


class SymbolSource(Protocol):
    def documents(self) -> Iterable[tuple]: ...
    def paragraphs(self) -> Iterable[tuple]: ...
    def units(self) -> Iterable[tuple]: ...
    def concepts(self) -> Iterable[tuple]: ...
    def mentions(self) -> Iterable[tuple]: ...
    def arguments(self) -> Iterable[tuple]: ...
    def texts(self, unit_ids: list[str]) -> dict[str, str]: ...


def _kind(labels) -> str | None:
    for kind in ("Unit", "Paragraph", "Document", "Concept"):  # the first that applies
        if kind in labels:
            return kind
    return None


class GraphSource:
    """The rows of a networkx graph shaped as ``GraphStore.load_graph`` or
    ``walk.memory.to_networkx`` make it."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g

    def _nodes(self, kind: str) -> Iterator[tuple[str, dict]]:
        return ((n, d) for n, d in self.g.nodes(data=True) if _kind(d.get("labels", ())) == kind)

    def documents(self):
        return ((n, d.get("source")) for n, d in self._nodes("Document"))

    def paragraphs(self):
        return ((n, d.get("document_id"), d.get("index", 0), d.get("lang"), d.get("text"))
                for n, d in self._nodes("Paragraph"))

    def units(self):
        return ((n, d.get("paragraph_id"), d.get("document_id"), d.get("start"), d.get("end"), d.get("lang"),
                 d.get("central"), d.get("type"), d.get("text")) for n, d in self._nodes("Unit"))

    def concepts(self):
        return ((n, d.get("lemma"), d.get("label")) for n, d in self._nodes("Concept"))

    def mentions(self):
        return ((a, b) for a, b, d in self.g.edges(data=True) if d.get("rel") in MENTION_RELS)

    def arguments(self):
        return ((a, d.get("rel"), b) for a, b, d in self.g.edges(data=True) if d.get("rel") in ARGUMENT)

    def texts(self, unit_ids):
        return {u: self.g.nodes[u].get("text") for u in unit_ids if u in self.g}


_UNIT, _PAR, _DOC, _CONCEPT = (checked_label(x) for x in ("Unit", "Paragraph", "Document", "Concept"))
DOCUMENTS = f"MATCH (d:{_DOC}) RETURN d.id AS id, d.source AS source"
PARAGRAPHS = (f"MATCH (p:{_PAR}) RETURN p.id AS id, p.document_id AS document_id, coalesce(p.index, 0) AS index, "
              "p.lang AS lang, p.text AS text")
UNITS = (f"MATCH (u:{_UNIT}) RETURN u.id AS id, u.paragraph_id AS paragraph_id, u.document_id AS document_id, "
         "u.start AS start, u.end AS end, u.lang AS lang, u.central AS central, u.type AS type, u.text AS text")
CONCEPTS = f"MATCH (c:{_CONCEPT}) RETURN c.id AS id, c.lemma AS lemma, c.label AS label"
MENTIONS = (f"MATCH (u:{_UNIT})-[:{'|'.join(checked_rel(r) for r in MENTION_RELS)}]->(c:{_CONCEPT}) "
            "RETURN u.id AS unit, c.id AS concept")
ARGUMENTS = (f"MATCH (a:{_UNIT})-[r:{'|'.join(checked_rel(r) for r in ARGUMENT)}]->(b:{_UNIT}) "
             "RETURN a.id AS source, type(r) AS type, b.id AS target")
TEXTS = f"UNWIND $ids AS id MATCH (u:{_UNIT} {{id: id}}) RETURN u.id AS id, u.text AS text"


class StoreSource:
    """The rows of a ``GraphStore``, each kind one streamed read query (parameters only)."""

    def __init__(self, store):
        self.store = store

    def _rows(self, query: str):
        return self.store._stream(query, tuple)

    def documents(self):
        return self._rows(DOCUMENTS)

    def paragraphs(self):
        return self._rows(PARAGRAPHS)

    def units(self):
        return self._rows(UNITS)

    def concepts(self):
        return self._rows(CONCEPTS)

    def mentions(self):
        return self._rows(MENTIONS)

    def arguments(self):
        return self._rows(ARGUMENTS)

    def texts(self, unit_ids):
        out = {}
        for k in range(0, len(unit_ids), 2000):
            out.update((r["id"], r["text"]) for r in self.store.read(TEXTS, ids=unit_ids[k:k + 2000]))
        return out
