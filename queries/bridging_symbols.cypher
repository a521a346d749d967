// description: Symbols that bridge two documents: a symbol standing for, written or named by units of both (a and b narrow it to pairs holding those document ids).
// params: a=null, b=null
CALL () {
  MATCH (s:Symbol)-[:SYMBOLIZES]->(u:Unit)
  RETURN s, u.document_id AS doc
  UNION
  MATCH (u:Unit)-[:USES|EVOKES]->(s:Symbol)
  RETURN s, u.document_id AS doc
}
WITH s, collect(DISTINCT doc) AS docs
UNWIND docs AS da
UNWIND docs AS db
WITH s, da, db
WHERE da < db AND ($a IS NULL OR $a = da OR $a = db) AND ($b IS NULL OR $b = da OR $b = db)
MATCH (x:Document {id: da})
MATCH (y:Document {id: db})
RETURN s.glyph AS glyph, s.label AS symbol, s.origin AS origin, x.title AS first, y.title AS second,
       da AS first_id, db AS second_id
ORDER BY symbol, first, second
