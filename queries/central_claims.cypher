// description: The central claim of every paragraph with how much supports and attacks it.
// params: document=null
MATCH (p:Paragraph)-[:HAS_UNIT]->(c:Unit {central: true})
WHERE $document IS NULL OR p.document_id = $document
RETURN p.source AS source, p.index AS paragraph, c.type AS type, c.text AS text,
       COUNT { MATCH (c)<-[:SUPPORTS]-(:Unit) } AS supports,
       COUNT { MATCH (c)<-[:ATTACKS]-(:Unit) } AS attacks
ORDER BY source, paragraph
