// description: Documents linked by wikilinks and by shared concepts (at least min_shared of them).
// params: min_shared=2
CALL () {
  MATCH (a:Document)-[l:LINKS_TO]->(b:Document)
  RETURN a.title AS source, b.title AS target, 'wikilink' AS via, coalesce(l.alias, '') AS detail
  UNION
  MATCH (u:Unit)-[:MENTIONS]->(c:Concept)
  WITH DISTINCT u.document_id AS doc, c
  WITH c, collect(doc) AS docs
  WHERE size(docs) > 1
  UNWIND docs AS da
  UNWIND docs AS db
  WITH da, db, c
  WHERE da < db
  WITH da, db, count(c) AS shared
  WHERE shared >= $min_shared
  MATCH (a:Document {id: da}), (b:Document {id: db})
  RETURN a.title AS source, b.title AS target, 'concepts' AS via, toString(shared) AS detail
}
RETURN source, target, via, detail
ORDER BY via, source, target
