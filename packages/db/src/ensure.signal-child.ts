// A tiny app for ensure.integration.test.ts: starts the embedded database, hands shutdown to
// stopOnSignals, and stays up like a server until it is signalled. Its shutdown still uses the
// database, as a real app flushing its last writes would.
import pg from "pg";
import { ensureDatabase, stopOnSignals } from "./ensure";

const [dataDir, port] = process.argv.slice(2);
const handle = await ensureDatabase({ env: {}, dataDir, port: Number(port) });
const keepAlive = setInterval(() => {}, 60_000);
stopOnSignals(handle, {
  before: async () => {
    clearInterval(keepAlive);
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    await client.query("CREATE TABLE last_words AS SELECT 'flushed' AS said");
    await client.end();
    console.log("app shut down");
  },
});
console.log(`READY ${handle.url}`);
