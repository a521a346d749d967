// description: Units that connect to nothing: no argument relation in or out.
// params: document=null
MATCH (u:Unit)
WHERE ($document IS NULL OR u.document_id = $document)
  AND NOT EXISTS { MATCH (u)-[:SUPPORTS|ATTACKS|ILLUSTRATES|CARRIES|ANSWERS]-(:Unit) }
RETURN u.id AS id, u.type AS type, u.text AS text, u.source AS source
ORDER BY source, id
