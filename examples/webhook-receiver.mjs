// A Fleetwatch alert webhook receiver: Node 18 or later, no dependencies.
// Run: FLEETWATCH_WEBHOOK_SECRET=<the server's secret> PORT=8080 node webhook-receiver.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const MAX_AGE_SECONDS = 300; // refuse a delivery sent longer ago than this (a replay)

/**
 * The alert in `rawBody` (the exact bytes received) if X-Fleetwatch-Signature is its HMAC-SHA256
 * under `secret` and it was sent recently; null otherwise. Verify before parsing.
 */
export function verifyFleetwatchWebhook(rawBody, signature, secret, now = Date.now()) {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`);
  const given = Buffer.from(String(signature ?? ""));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const alert = JSON.parse(rawBody.toString("utf8"));
  // sentAt is inside the signed body, so it cannot be changed without breaking the signature.
  const age = (now - Date.parse(alert.sentAt)) / 1000;
  return age <= MAX_AGE_SECONDS && age >= -MAX_AGE_SECONDS ? alert : null;
}

const seen = new Set(); // X-Fleetwatch-Delivery ids: a retry after a lost answer repeats one

function serve(secret, port) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const alert = verifyFleetwatchWebhook(Buffer.concat(chunks), req.headers["x-fleetwatch-signature"], secret);
      if (!alert) return res.writeHead(401).end("bad signature or too old\n");
      const delivery = String(req.headers["x-fleetwatch-delivery"] ?? "");
      if (!seen.has(delivery)) {
        seen.add(delivery);
        // Your work here: open a ticket, page someone... Answer quickly; 2xx means delivered.
        console.log(`alert ${alert.id} ${alert.event.kind} [${alert.severity}, ${alert.state}] ${alert.title}`);
      }
      res.writeHead(204).end();
    });
  });
  server.listen(port, () => console.log(`listening on ${server.address().port}`));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.FLEETWATCH_WEBHOOK_SECRET;
  if (!secret) {
    console.error("set FLEETWATCH_WEBHOOK_SECRET to the secret the Fleetwatch server signs with");
    process.exit(1);
  }
  serve(secret, Number(process.env.PORT ?? 8080));
}
