// description: The symbols a document touches: symbols that stand for some of its units and symbols its units write or name, with how many of its units each touches.
// params: document
CALL () {
  MATCH (u:Unit {document_id: $document})<-[:SYMBOLIZES]-(s:Symbol)
  RETURN s, u, 'member' AS how
  UNION
  MATCH (u:Unit {document_id: $document})-[:USES|EVOKES]->(s:Symbol)
  RETURN s, u, 'occurrence' AS how
}
WITH s, count(DISTINCT u) AS units, collect(DISTINCT how) AS hows
RETURN s.glyph AS glyph, s.label AS symbol, s.origin AS origin, s.defined AS defined, s.gloss AS gloss, units,
       'member' IN hows AS stands_for_units, 'occurrence' IN hows AS written_or_named
ORDER BY units DESC, symbol
