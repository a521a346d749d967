// description: Units that use a symbol nothing defines: a glyph written in the notes that no note, glyph table entry or community defines (define it in a note or in symbols.toml).
// params:
MATCH (u:Unit)-[:USES]->(s:Symbol)
WHERE s.defined = false
MATCH (d:Document {id: u.document_id})
RETURN s.glyph AS glyph, u.text AS text, d.title AS document, u.id AS id
ORDER BY glyph, document, text
