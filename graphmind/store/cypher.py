"""Every Cypher statement GraphMind sends, built in one place.

Values are always parameters. Labels and relationship types are interpolated only after
``checked_label`` / ``checked_rel`` confirmed them against the schema's closed set, so no
text from the input can ever reach the query string.
"""

from __future__ import annotations

from ..exceptions import SchemaError
from ..schema import load_schema


def checked_label(label: str) -> str:
    if label not in load_schema().all_labels:
        raise SchemaError(f"label {label!r} is not in schemas/graph.json; refusing to build the query")
    return label


def checked_rel(rel: str) -> str:
    if rel not in load_schema().all_rel_types:
        raise SchemaError(f"relationship type {rel!r} is not in schemas/graph.json; refusing to build the query")
    return rel


# -- reading what is stored -------------------------------------------------------
DOCUMENT_HASHES = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.hash AS hash, d.made_from AS made_from"
)
# what each stored document was made from (graphmind.pipeline.manifest), read before extraction
DOCUMENT_MANIFESTS = "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.made_from AS made_from"
UPDATE_MANIFESTS = "UNWIND $rows AS r MATCH (d:Document {id: r.id}) SET d.made_from = r.made_from"
PARAGRAPH_HASHES = (
    "UNWIND $ids AS id MATCH (p:Paragraph {document_id: id}) "
    "RETURN p.id AS id, p.document_id AS document_id, p.hash AS hash, p.units AS units, "
    "p.relations AS relations"
)
ALL_DOCUMENT_SOURCES = "MATCH (d:Document) RETURN d.id AS id, d.source AS source"
CONCEPTS_OF_PARAGRAPHS = (
    "UNWIND $ids AS pid MATCH (u:Unit {paragraph_id: pid})-[:MENTIONS|DEFINES]->(c:Concept) "
    "RETURN DISTINCT c.id AS id"
)
COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"

# -- removing -----------------------------------------------------------------------
DELETE_UNITS_OF_PARAGRAPHS = "UNWIND $ids AS pid MATCH (u:Unit {paragraph_id: pid}) DETACH DELETE u"
DELETE_PARAGRAPHS = "UNWIND $ids AS pid MATCH (p:Paragraph {id: pid}) DETACH DELETE p"
DELETE_ORPHAN_CONCEPTS = (
    "UNWIND $ids AS cid MATCH (c:Concept {id: cid}) "
    "WHERE NOT EXISTS { MATCH (c)<-[:MENTIONS|DEFINES]-() } DETACH DELETE c"  # and any symbol edge to it
)
DELETE_DOCUMENT_EDGES = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) "
    "OPTIONAL MATCH (d)-[l:LINKS_TO]->() DELETE l "
    "WITH DISTINCT id MATCH (p:Paragraph {document_id: id})-[n:NEXT]->() DELETE n"
)
DELETE_EMPTY_SECTIONS = (
    "UNWIND $ids AS id MATCH (s:Section {document_id: id}) "
    "WHERE NOT EXISTS { MATCH (s)-[:HAS_PARAGRAPH]->() } DETACH DELETE s"
)
DELETE_DOCUMENTS = "UNWIND $ids AS id MATCH (d:Document {id: id}) DETACH DELETE d"
DELETE_SECTIONS_OF_DOCUMENTS = "UNWIND $ids AS id MATCH (s:Section {document_id: id}) DETACH DELETE s"

# -- writing ----------------------------------------------------------------------
MERGE_DOCUMENTS = "UNWIND $rows AS r MERGE (d:Document {id: r.id}) SET d += r.props"
MERGE_SECTIONS = (
    "UNWIND $rows AS r MATCH (d:Document {id: r.document_id}) "
    "MERGE (s:Section {id: r.id}) SET s += r.props MERGE (d)-[:HAS_SECTION]->(s)"
)
MERGE_PARAGRAPHS = (
    "UNWIND $rows AS r MATCH (d:Document {id: r.props.document_id}) "
    "MERGE (p:Paragraph {id: r.id}) SET p += r.props MERGE (d)-[:HAS_PARAGRAPH]->(p)"
)
LINK_SECTION_PARAGRAPHS = (
    "UNWIND $rows AS r MATCH (s:Section {id: r.section_id}) MATCH (p:Paragraph {id: r.id}) "
    "MERGE (s)-[:HAS_PARAGRAPH]->(p)"
)
UPDATE_PARAGRAPH_INDEX = "UNWIND $rows AS r MATCH (p:Paragraph {id: r.id}) SET p.index = r.index"
MERGE_NEXT = (
    "UNWIND $rows AS r MATCH (a:Paragraph {id: r.source}) MATCH (b:Paragraph {id: r.target}) "
    "MERGE (a)-[:NEXT]->(b)"
)
MERGE_CONCEPTS = (
    "UNWIND $rows AS r MERGE (c:Concept {id: r.id}) "
    "ON CREATE SET c.label = r.label, c.lemma = r.lemma, c.lang = r.lang"
)
# Wikilinks of some documents, and wikilinks to them, resolved by name or title (indexed).
RESOLVE_LINKS_FROM = tuple(
    "UNWIND $ids AS id MATCH (a:Document {id: id}) WHERE a.link_keys IS NOT NULL AND size(a.link_keys) > 0 "
    "UNWIND range(0, size(a.link_keys) - 1) AS i WITH a, i, a.link_keys[i] AS key "
    f"MATCH (b:Document {{{prop}: key}}) WHERE b.id <> a.id "
    "MERGE (a)-[l:LINKS_TO]->(b) "
    "SET l.alias = CASE a.link_aliases[i] WHEN '' THEN null ELSE a.link_aliases[i] END"
    for prop in ("name", "title_key")
)
RESOLVE_LINKS_TO = (
    "UNWIND $ids AS id MATCH (b:Document {id: id}) MATCH (a:Document) "
    "WHERE a.id <> b.id AND a.link_keys IS NOT NULL AND (b.name IN a.link_keys OR b.title_key IN a.link_keys) "
    "UNWIND range(0, size(a.link_keys) - 1) AS i WITH a, b, i WHERE a.link_keys[i] = b.name "
    "OR a.link_keys[i] = b.title_key MERGE (a)-[l:LINKS_TO]->(b) "
    "SET l.alias = CASE a.link_aliases[i] WHEN '' THEN null ELSE a.link_aliases[i] END"
)


# Units, their relations and mentions are created, not merged: ingest writes them only for
# paragraphs that are new or whose old units were deleted earlier in the same transaction,
# so they cannot exist yet (the uniqueness constraint would refuse a duplicate).
def create_units(type_label: str) -> str:
    """Units of one type (the Unit label plus the unit-type label from the schema), with
    their paragraph edge and the concepts they mention (merged before)."""
    label = checked_label(type_label)
    return (
        "UNWIND $rows AS r MATCH (p:Paragraph {id: r.props.paragraph_id}) "
        f"CREATE (u:Unit:{label}) SET u = r.props CREATE (p)-[:HAS_UNIT]->(u) "
        "WITH u, r UNWIND r.concepts AS cid MATCH (c:Concept {id: cid}) CREATE (u)-[:MENTIONS]->(c)"
    )


def create_relations(rel: str, target_label: str) -> str:
    rel, target = checked_rel(rel), checked_label(target_label)
    return (
        "UNWIND $rows AS r MATCH (a:Unit {id: r.source}) "
        f"MATCH (b:{target} {{id: r.target}}) CREATE (a)-[x:{rel}]->(b) SET x = r.props"
    )


# Types created ahead of any write (servers that create a type on its first write): run in a
# transaction that is rolled back.
# Parameters: $id (and $target), ids unique to the probe.
def probe_unit(type_label: str) -> str:
    return f"CREATE (:Unit:{checked_label(type_label)} {{id: $id}})"


def probe_relationship(rel: str) -> str:
    return f"CREATE (:Concept {{id: $id}})-[:{checked_rel(rel)}]->(:Concept {{id: $target}})"


# -- reading the graph back -------------------------------------------------------
ALL_NODES = "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
ALL_EDGES = (
    "MATCH (a)-[r]->(b) RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props"
)
# -- reading the graph back in pages of documents ------------------------------------------
# The labels are fixed names of node kinds; every value is a parameter.
ALL_DOCUMENT_IDS = "MATCH (d:Document) RETURN d.id AS id ORDER BY id"
PAGE_NODES = tuple(
    f"UNWIND $ids AS id MATCH (n:{label} {{{key}: id}}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
    for label, key in (("Document", "id"), ("Section", "document_id"), ("Paragraph", "document_id"),
                       ("Unit", "document_id"))
)
CONCEPT_NODES = "UNWIND $ids AS id MATCH (n:Concept {id: id}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
# The symbols of a page: those its units use or evoke, those standing for its units, and those
# standing for the concepts they mention ($ids: documents; $concepts: concept ids).
PAGE_SYMBOL_IDS = (
    "UNWIND $ids AS id MATCH (:Unit {document_id: id})-[:USES|EVOKES]->(n:Symbol) RETURN DISTINCT n.id AS id",
    "UNWIND $ids AS id MATCH (:Unit {document_id: id})<-[:SYMBOLIZES]-(n:Symbol) RETURN DISTINCT n.id AS id",
    "UNWIND $concepts AS id MATCH (:Concept {id: id})<-[:SYMBOLIZES]-(n:Symbol) RETURN DISTINCT n.id AS id",
)  # each pattern starts from the node its index finds: written from the symbol's side, a server may
#    scan every SYMBOLIZES edge for each id (31 s a page of 50 documents against 0.06 s, ArcadeDB)
ALL_SYMBOL_IDS = "MATCH (n:Symbol) RETURN n.id AS id ORDER BY id"
ANY_SYMBOL = "MATCH (n:Symbol) RETURN n.id AS id LIMIT 1"
SYMBOL_NODES = "UNWIND $ids AS id MATCH (n:Symbol {id: id}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
# A symbol's edges to its members: to units (each unit is in one page) and to concepts.
SYMBOL_EDGES = (
    "UNWIND $ids AS id MATCH (a:Symbol {id: id})-[r:SYMBOLIZES]->(b) "
    "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props"
)

PAGE_EDGES = tuple(
    f"UNWIND $ids AS id MATCH (a:{label} {{{key}: id}})-[r]->(b) "
    "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props"
    for label, key in (("Document", "id"), ("Section", "document_id"), ("Paragraph", "document_id"),
                       ("Unit", "document_id"))
)
STORED_COUNTS = (
    "UNWIND $ids AS id MATCH (p:Paragraph {document_id: id}) "
    "RETURN count(p) AS paragraphs, sum(p.units) AS units, sum(p.relations) AS relations"
)
DOCUMENT_COUNTS = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) "
    "RETURN d.id AS id, d.paragraph_count AS paragraphs, d.unit_count AS units, d.relation_count AS relations"
)
