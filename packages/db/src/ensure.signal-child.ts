// A tiny app for ensure.integration.test.ts: starts the embedded database, hands shutdown to
// stopOnSignals, and stays up like a server until it is signalled.
import { ensureDatabase, stopOnSignals } from "./ensure";

const [dataDir, port] = process.argv.slice(2);
const handle = await ensureDatabase({ env: {}, dataDir, port: Number(port) });
const keepAlive = setInterval(() => {}, 60_000);
stopOnSignals(handle, {
  before: () => {
    clearInterval(keepAlive);
    console.log("app shut down");
  },
});
console.log(`READY ${handle.url}`);
