// description: Concepts mentioned together in the same units, most frequent pairs first.
// params: min_count=2, limit=25
MATCH (a:Concept)<-[:MENTIONS]-(u:Unit)-[:MENTIONS]->(b:Concept)
WHERE a.id < b.id
WITH a, b, count(DISTINCT u) AS together
WHERE together >= $min_count
RETURN a.label AS concept, b.label AS other, together
ORDER BY together DESC, concept, other
LIMIT $limit
