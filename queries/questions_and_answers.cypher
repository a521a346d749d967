// description: Questions the notes raise, and chat turns that were answered, with the units that answer them.
// params:
MATCH (q:Unit)
WHERE q:Question OR EXISTS { MATCH (:Unit)-[:ANSWERS]->(q) }
OPTIONAL MATCH (a:Unit)-[:ANSWERS]->(q)
WITH q, a ORDER BY a.start
RETURN q.text AS question, q.type AS type, q.source AS source, collect(a.text) AS answers
ORDER BY source, question
