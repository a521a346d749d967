// description: The units attacked most often, with the number of attacks.
// params: limit=10
MATCH (a:Unit)-[:ATTACKS]->(c:Unit)
WITH c, count(DISTINCT a) AS attacks
RETURN c.id AS id, c.type AS type, c.text AS text, attacks
ORDER BY attacks DESC, id
LIMIT $limit
