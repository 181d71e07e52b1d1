// The graphql-http server audit (GraphQL-over-HTTP spec conformance) against a running
// server: `node tests/js/graphql_http_audit.mjs http://127.0.0.1:8000/graphql`. Prints one
// JSON array of {id, name, status, reason}; tests/test_http_contract.py reads it.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  results.push({ id: result.id, name: result.name, status: result.status, reason: result.reason ?? null });
}
process.stdout.write(JSON.stringify(results));
