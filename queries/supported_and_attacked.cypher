// description: Contested units: supported and attacked at once, with both counts.
// params:
MATCH (u:Unit)
WHERE EXISTS { MATCH (u)<-[:SUPPORTS]-(:Unit) } AND EXISTS { MATCH (u)<-[:ATTACKS]-(:Unit) }
RETURN u.id AS id, u.text AS text,
       COUNT { MATCH (u)<-[:SUPPORTS]-(:Unit) } AS supports,
       COUNT { MATCH (u)<-[:ATTACKS]-(:Unit) } AS attacks
ORDER BY attacks DESC, id
