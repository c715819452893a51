import { describe, expect, it } from "vitest";
import { bodyLimitFor, withinBodyLimit } from "./body-limit";

const url = "http://fleetwatch.test/api/trpc/ingest.batch";

/** A body streamed in chunks with no Content-Length, as a chunked upload arrives. */
function streamed(bytes: number, chunk = 64 * 1024) {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const n = Math.min(chunk, bytes - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(120));
    },
  });
  return { req: new Request(url, { method: "POST", body, duplex: "half" } as RequestInit), read: () => sent };
}

describe("the request body limit", () => {
  it("refuses a declared size past the limit without reading the body", async () => {
    const big = streamed(50 * 1024 * 1024);
    const req = new Request(url, {
      method: "POST",
      body: big.req.body,
      headers: { "content-length": String(50 * 1024 * 1024) },
      duplex: "half",
    } as RequestInit);
    const res = (await withinBodyLimit(req, 1024 * 1024)) as Response;
    expect(res.status).toBe(413);
    // A stream fills its first chunk by itself; nothing past that was asked for.
    expect(big.read()).toBeLessThanOrEqual(64 * 1024);
    const body = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.json.message).toMatch(/larger than the server's limit of 1 MiB/);
  });

  it("stops reading an undeclared body as soon as it passes the limit", async () => {
    const big = streamed(50 * 1024 * 1024);
    const res = (await withinBodyLimit(big.req, 1024 * 1024)) as Response;
    expect(res.status).toBe(413);
    expect(big.read()).toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024);
  });

  it("hands on a body within the limit, byte for byte", async () => {
    const text = JSON.stringify({ json: { machine: "é".repeat(1000) } });
    const req = new Request(url, { method: "POST", body: text, headers: { "content-type": "application/json" } });
    const out = (await withinBodyLimit(req, 1024 * 1024)) as Request;
    expect(out).toBeInstanceOf(Request);
    expect(await out.text()).toBe(text);
    expect(out.headers.get("content-type")).toBe("application/json");
  });
});

describe("which limit a request gets", () => {
  it("8 MiB for an agent's batch, 128 MiB for a collection, 1 MiB without a bearer token", () => {
    expect(bodyLimitFor("/api/trpc/ingest.batch", true)).toBe(8 * 1024 * 1024);
    expect(bodyLimitFor("/api/trpc/ingest.serverRecords", true)).toBe(128 * 1024 * 1024);
    expect(bodyLimitFor("/api/trpc/ingest.serverRecords", false)).toBe(1024 * 1024);
    expect(bodyLimitFor("/api/trpc/admin.updateSettings", false)).toBe(1024 * 1024);
  });
});
