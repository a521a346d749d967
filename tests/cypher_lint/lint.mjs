// Lint Cypher files with Neo4j's own grammar (@neo4j-cypher/language-support).
// Usage: node lint.mjs FILE...   Prints one JSON object: {file: [diagnostics]}; exit 1 on any error.
// Parameters are declared in each file's header, so "parameter not defined" notes are not errors.
import { readFileSync } from "node:fs";
import { lintCypherQuery, isNotParamError } from "@neo4j-cypher/language-support";

const report = {};
let errors = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const { diagnostics } = lintCypherQuery(text, {});
  const found = diagnostics
    .filter((d) => d.severity === 1 && isNotParamError(d))
    .map((d) => ({ message: d.message, line: d.range.start.line + 1 }));
  errors += found.length;
  report[file] = found;
}
console.log(JSON.stringify(report, null, 2));
process.exit(errors ? 1 : 0);
