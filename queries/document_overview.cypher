// description: Each document with its paragraphs, units per type and argument relations.
// params:
MATCH (d:Document)
OPTIONAL MATCH (u:Unit {document_id: d.id})
WITH d, count(u) AS units,
     sum(CASE WHEN u.type IN ['claim', 'conclusion'] THEN 1 ELSE 0 END) AS claims,
     sum(CASE WHEN u.type = 'premise' THEN 1 ELSE 0 END) AS premises,
     sum(CASE WHEN u.type IN ['metaphor', 'analogy'] THEN 1 ELSE 0 END) AS images
RETURN d.id AS id, d.title AS title, d.source AS source, d.lang AS lang,
       COUNT { MATCH (d)-[:HAS_PARAGRAPH]->(:Paragraph) } AS paragraphs, units, claims, premises, images
ORDER BY source
