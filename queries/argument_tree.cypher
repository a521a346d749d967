// description: One document's argument tree: every unit in reading order with the relation it starts.
// params: document
MATCH (d:Document {id: $document})-[:HAS_PARAGRAPH]->(p:Paragraph)-[:HAS_UNIT]->(u:Unit)
OPTIONAL MATCH (u)-[r:SUPPORTS|ATTACKS|ILLUSTRATES|CARRIES|ANSWERS]->(t:Unit)
RETURN p.index AS paragraph, u.start AS start, u.type AS type, u.central AS central, u.text AS text,
       type(r) AS relation, t.text AS target
ORDER BY paragraph, start, relation
