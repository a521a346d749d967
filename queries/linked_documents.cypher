// description: Documents linked by wikilinks and by shared concepts (at least min_shared of them).
// params: min_shared=2
CALL {
  MATCH (a:Document)-[l:LINKS_TO]->(b:Document)
  RETURN a.title AS source, b.title AS target, 'wikilink' AS via, coalesce(l.alias, '') AS detail
  UNION
  MATCH (u:Unit)-[:MENTIONS]->(c:Concept)<-[:MENTIONS]-(v:Unit)
  WHERE u.document_id < v.document_id
  WITH u.document_id AS da, v.document_id AS db, collect(DISTINCT c.label) AS shared
  WHERE size(shared) >= $min_shared
  MATCH (a:Document {id: da}), (b:Document {id: db})
  RETURN a.title AS source, b.title AS target, 'concepts' AS via, toString(size(shared)) AS detail
}
RETURN source, target, via, detail
ORDER BY via, source, target
