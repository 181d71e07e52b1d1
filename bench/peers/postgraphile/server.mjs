// PostGraphile 5 as the benchmark's peer: one Node process serving the benchmark database
// (BENCH_PEER_DSN) on 127.0.0.1:BENCH_PEER_PORT, as the PostGraphile docs set it up
// (Amber preset, the `pg` adaptor, grafserv on node:http), production mode, no GraphiQL,
// no query logging. GET /healthz answers 200 once the schema is built, so the harness
// starts the clock only on a ready server.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const preset = {
  extends: [PostGraphileAmberPreset],
  // Order and filter by any column (position, name, confidential), as the API does: by
  // default PostGraphile 5 offers only indexed columns there (v4's `ignoreIndexes: false`).
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [makePgService({
    connectionString: process.env.BENCH_PEER_DSN,
    schemas: ["public"],
    poolConfig: { max: 10 }, // as many connections as the floor's and the API's pools
  })],
  grafserv: { graphiql: false, watch: false, maxRequestLength: 1_000_000 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
await pgl.getSchema();
const graphql = serv.createHandler();
const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    return;
  }
  graphql(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.BENCH_PEER_PORT), "127.0.0.1");

async function stop() {
  server.close();
  await pgl.release();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
