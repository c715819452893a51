import { BODY_LIMIT_BYTES, COLLECTOR_BODY_LIMIT_BYTES, USER_BODY_LIMIT_BYTES } from "@fleetwatch/core/schemas";

/**
 * The body limit of a request to `path`: an agent's batch, a collector's whole collection (one
 * request, all or nothing), or a person's form. Only a caller with a bearer token gets past the
 * smallest; the token itself is checked after the body is read.
 */
export function bodyLimitFor(path: string, hasBearer: boolean): number {
  if (!hasBearer) return USER_BODY_LIMIT_BYTES;
  return path.endsWith("ingest.serverRecords") ? COLLECTOR_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES;
}

/**
 * Requests larger than `limit` bytes are refused (413) before any of them is parsed: by their
 * Content-Length when they give one, else while reading, so a 50 MB body never sits in memory. The
 * answer has tRPC's error shape, which the agent reads (it splits its batch and sends again).
 */
export async function withinBodyLimit(req: Request, limit: number): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

function tooLarge(limit: number): Response {
  const message = `the request body is larger than the server's limit of ${limit / 1024 / 1024} MiB: send it in smaller batches`;
  const error = { json: { message, code: -32600, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } };
  // No `Connection: close`: closing while the client is still sending makes it see EPIPE instead of
  // this answer (the agent then cannot split its batch); kept open, the server discards the rest unread.
  return new Response(JSON.stringify({ error }), { status: 413, headers: { "content-type": "application/json" } });
}
