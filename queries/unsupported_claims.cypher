// description: Claims and conclusions that no unit supports (optionally in one document).
// params: document=null
MATCH (c:Unit)
WHERE (c:Claim OR c:Conclusion)
  AND ($document IS NULL OR c.document_id = $document)
  AND NOT EXISTS { MATCH (c)<-[:SUPPORTS]-(:Unit) }
RETURN c.id AS id, c.type AS type, c.text AS text, c.source AS source
ORDER BY source, id
