// description: Reasoning chains: from each leaf premise along support edges to a central claim or conclusion.
// params: max_steps=6
MATCH path = (p:Unit)-[:SUPPORTS*1..6]->(c:Unit)
WHERE c.central = true
  AND NOT EXISTS { MATCH (p)<-[:SUPPORTS]-(:Unit) }
  AND length(path) <= $max_steps
RETURN c.id AS conclusion, c.text AS conclusion_text, [n IN nodes(path) | n.text] AS chain, length(path) AS steps
ORDER BY conclusion, steps, chain
