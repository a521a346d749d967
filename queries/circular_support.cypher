// description: Circular support: units that, through a chain of support edges, support themselves.
// params:
MATCH path = (u:Unit)-[:SUPPORTS*1..8]->(u)
RETURN u.id AS id, u.text AS text, length(path) AS cycle_length
ORDER BY cycle_length, id
