// GraphMind schema for Neo4j 5 (and the bundled local server), applied idempotently on connect.
// One statement per line-group, separated by semicolons. Labels come from schemas/graph.json
// (a test checks that every node kind has its uniqueness constraint). The range indexes are the
// properties that ingest, prune and the named queries look nodes up by; a test EXPLAINs every
// statement on Neo4j and finds no label scan where an index should serve. No named query filters
// on a substring, so there is no TEXT index.
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT section_id IF NOT EXISTS FOR (n:Section) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT paragraph_id IF NOT EXISTS FOR (n:Paragraph) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (n:Unit) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT concept_id IF NOT EXISTS FOR (n:Concept) REQUIRE n.id IS UNIQUE;
CREATE INDEX document_name IF NOT EXISTS FOR (n:Document) ON (n.name);
CREATE INDEX document_title_key IF NOT EXISTS FOR (n:Document) ON (n.title_key);
CREATE INDEX section_document IF NOT EXISTS FOR (n:Section) ON (n.document_id);
CREATE INDEX paragraph_document IF NOT EXISTS FOR (n:Paragraph) ON (n.document_id);
CREATE INDEX unit_paragraph IF NOT EXISTS FOR (n:Unit) ON (n.paragraph_id);
CREATE INDEX unit_type IF NOT EXISTS FOR (n:Unit) ON (n.type);
CREATE INDEX unit_document IF NOT EXISTS FOR (n:Unit) ON (n.document_id);
CREATE INDEX concept_lemma IF NOT EXISTS FOR (n:Concept) ON (n.lemma);
CREATE CONSTRAINT symbol_id IF NOT EXISTS FOR (n:Symbol) REQUIRE n.id IS UNIQUE;
CREATE INDEX symbol_key IF NOT EXISTS FOR (n:Symbol) ON (n.key);
