// description: Questions the notes raise and the units that answer them.
// params:
MATCH (q:Question)
OPTIONAL MATCH (a:Unit)-[:ANSWERS]->(q)
WITH q, a ORDER BY a.start
RETURN q.text AS question, q.source AS source, collect(a.text) AS answers
ORDER BY source, question
