// description: The members of a symbol (by glyph, name, label or id): the units and concepts it stands for with how each was attached, and the units that write (uses) or name (evokes) it.
// params: symbol
CALL () {
  MATCH (s:Symbol)-[r:SYMBOLIZES]->(m)
  WHERE s.id = $symbol OR s.glyph = $symbol OR toLower(s.name) = toLower($symbol) OR s.label = $symbol
  RETURN s.id AS sid, s.glyph AS glyph, s.label AS label, 'member' AS role, r.via AS via,
         CASE WHEN m:Concept THEN 'concept' ELSE m.type END AS kind, coalesce(m.text, m.label) AS text,
         m.document_id AS document, m.id AS id
  UNION
  MATCH (u:Unit)-[r:USES|EVOKES]->(s:Symbol)
  WHERE s.id = $symbol OR s.glyph = $symbol OR toLower(s.name) = toLower($symbol) OR s.label = $symbol
  RETURN s.id AS sid, s.glyph AS glyph, s.label AS label, 'occurrence' AS role, toLower(type(r)) AS via,
         u.type AS kind, u.text AS text, u.document_id AS document, u.id AS id
}
RETURN glyph, label AS symbol, role, via, kind, text, document, id
ORDER BY sid, role, via, document, text
