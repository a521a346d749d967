// description: Metaphors and analogies with the claims they carry.
// params:
MATCH (m:Unit)-[:CARRIES]->(c:Unit)
WHERE m:Metaphor OR m:Analogy
RETURN m.type AS kind, m.text AS image, m.cue AS cue, c.text AS claim
ORDER BY claim, image
