"""Writing symbols to the graph database and reading them back.

Writes are idempotent like ingest: each symbol carries a hash of its properties, members
and occurrences; a symbol whose hash and edge count are unchanged is left alone, a changed
one is replaced, and a stored symbol that detection no longer finds (what defined it is
gone) is removed, all in one write transaction. Labels and relationship types come from the
schema (``checked_label`` / ``checked_rel``); every value is a parameter.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..store.cypher import checked_label, checked_rel
from .detect import Symbol

BATCH = 2000
SYMBOL = checked_label("Symbol")
STATE = (f"MATCH (s:{SYMBOL}) OPTIONAL MATCH (s)-[r]-() "
         "RETURN s.id AS id, s.hash AS hash, count(r) AS edges")
DELETE = f"UNWIND $ids AS id MATCH (s:{SYMBOL} {{id: id}}) DETACH DELETE s"
MERGE = f"UNWIND $rows AS r MERGE (s:{SYMBOL} {{id: r.id}}) SET s = r.props"
LIST = f"MATCH (s:{SYMBOL}) RETURN properties(s) AS props"
MEMBERS = (f"MATCH (s:{SYMBOL} {{id: $id}})-[r:{checked_rel('SYMBOLIZES')}]->(m) "
           "RETURN m.id AS id, labels(m) AS labels, r.via AS via, coalesce(m.text, m.label) AS text, "
           "m.document_id AS document_id, m.type AS type")
OCCURRENCES = (f"MATCH (u:{checked_label('Unit')})-[r:{checked_rel('USES')}|{checked_rel('EVOKES')}]->"
               f"(s:{SYMBOL} {{id: $id}}) RETURN u.id AS id, type(r) AS rel, u.text AS text, "
               "u.document_id AS document_id")
ORPHANS = (f"MATCH (s:{SYMBOL}) WHERE s.origin IN ['declared', 'found'] AND s.defined_by IS NOT NULL "
           f"OPTIONAL MATCH (u:{checked_label('Unit')} {{id: s.defined_by}}) "
           f"OPTIONAL MATCH (p:{checked_label('Paragraph')} {{id: s.defined_by}}) "
           "WITH s, u, p WHERE u IS NULL AND p IS NULL DETACH DELETE s RETURN count(*) AS n")


def _symbolizes(label: str) -> str:
    return (f"UNWIND $rows AS r MATCH (s:{SYMBOL} {{id: r.symbol}}) MATCH (m:{checked_label(label)} {{id: r.target}}) "
            f"CREATE (s)-[x:{checked_rel('SYMBOLIZES')}]->(m) SET x.via = r.via")


def _occurrence(rel: str) -> str:
    return (f"UNWIND $rows AS r MATCH (u:{checked_label('Unit')} {{id: r.unit}}) MATCH (s:{SYMBOL} {{id: r.symbol}}) "
            f"CREATE (u)-[:{checked_rel(rel)}]->(s)")


@dataclass
class WriteSummary:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

    def line(self) -> str:
        return f"symbols: {self.written} written, {self.unchanged} unchanged, {self.removed} removed"


def symbol_hash(s: Symbol) -> str:
    data = [s.props(), sorted(s.members), sorted(s.uses)]
    return hashlib.blake2b(json.dumps(data, sort_keys=True, ensure_ascii=False).encode(), digest_size=12).hexdigest()


def _chunks(rows: list):
    for k in range(0, len(rows), BATCH):
        yield rows[k:k + BATCH]


def write_symbols(store, symbols: list[Symbol], kinds: dict[str, str]) -> WriteSummary:
    """Make the stored symbols exactly ``symbols``. ``kinds``: node id -> "Unit" or "Concept"
    for every member (members of another kind are left out)."""
    stored = {r["id"]: (r["hash"], r["edges"]) for r in store.read(STATE)}
    summary = WriteSummary()
    wanted = {s.id: s for s in symbols}
    rows, delete = [], sorted(set(stored) - set(wanted))
    summary.removed = len(delete)
    edges: dict[str, list[dict]] = {}
    for s in symbols:
        h = symbol_hash(s)
        members = [(n, via) for n, via in s.members if kinds.get(n) in ("Unit", "Concept")]
        if stored.get(s.id) == (h, len(members) + len(s.uses)):
            summary.unchanged += 1
            continue
        if s.id in stored:
            delete.append(s.id)
        summary.written += 1
        props = {k: v for k, v in s.props().items() if v is not None}
        props["hash"] = h
        rows.append({"id": s.id, "props": props})
        for n, via in members:
            edges.setdefault(f"SYMBOLIZES:{kinds[n]}", []).append({"symbol": s.id, "target": n, "via": via})
        for u, rel in s.uses:
            edges.setdefault(rel.upper(), []).append({"symbol": s.id, "unit": u})
    if not rows and not delete:
        return summary

    def work(tx):
        for chunk in _chunks(delete):
            tx.run(DELETE, ids=chunk).consume()
        for chunk in _chunks(rows):
            tx.run(MERGE, rows=chunk).consume()
        for kind, erows in sorted(edges.items()):
            query = _symbolizes(kind.split(":")[1]) if kind.startswith("SYMBOLIZES:") else _occurrence(kind)
            for chunk in _chunks(erows):
                tx.run(query, rows=chunk).consume()

    store.write(work)
    return summary


def drop_orphans(store) -> int:
    """Remove declared and found symbols whose defining unit or paragraph is gone (after an
    ingest replaced or pruned it); ``graphmind symbols build`` finds them again where they
    still are."""
    result: list[int] = []
    def work(tx):
        row = tx.run(ORPHANS).single()
        result.append(row["n"] if row else 0)

    store.write(work)
    return result[0] if result else 0


def stored_symbols(store) -> list[dict]:
    rows = [r["props"] for r in store.read(LIST)]
    order = {"declared": 0, "user": 1, "found": 2, "used": 3}
    return sorted(rows, key=lambda p: (order.get(p.get("origin"), 9), p.get("key") or "", p.get("id")))


def members_of(store, symbol_id: str) -> tuple[list[dict], list[dict]]:
    return store.read(MEMBERS, id=symbol_id), store.read(OCCURRENCES, id=symbol_id)
