// description: One document's argument tree: every unit in reading order with the relation it starts; root marks the document's central claim.
// params: document
MATCH (d:Document {id: $document})-[:HAS_PARAGRAPH]->(p:Paragraph)-[:HAS_UNIT]->(u:Unit)
OPTIONAL MATCH (u)-[r:SUPPORTS|ATTACKS|ILLUSTRATES|CARRIES|ANSWERS|FOLLOWS]->(t:Unit)
RETURN p.index AS paragraph, p.speaker AS speaker, u.start AS start, u.type AS type, u.role AS role,
       u.central AS central, u.id = d.central AS root, u.text AS text, type(r) AS relation, t.text AS target
ORDER BY paragraph, start, relation, target
