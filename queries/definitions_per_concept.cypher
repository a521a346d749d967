// description: Definitions grouped by the concept they define.
// params:
MATCH (d:Definition)-[:DEFINES]->(c:Concept)
WITH c, d ORDER BY d.text
RETURN c.label AS concept, c.lemma AS lemma, collect(d.text) AS definitions
ORDER BY concept
