import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Fsys, nodeFsys } from "../fsys";
import { createServerClient, type ServerClient, ServerError } from "../http";
import { createLogger } from "../log";
import type { SpoolItem } from "../spool/record";
import { Spool } from "../spool/spool";
import { StateStore } from "../state/state-store";
import { faultyFsys } from "../testing/faulty-fs";
import { RejectedFile } from "./rejected-file";
import { Shipper } from "./shipper";

/**
 * The wire of `ingest.batch` as the server answers it (a test double of the HTTP exchange only:
 * the real API is driven in test/poison.integration.test.ts). Records whose data says `poison`
 * are refused by name with 422, the others "stored"; bodies over `limit` bytes get 413.
 */
interface Wire {
  stored: unknown[];
  limit: number;
  /** Answer every request with this status instead (400, 401, 403). */
  refuse: number | null;
  /** Name this index in a 422, whatever the batch holds (an answer the agent cannot follow). */
  bogusIndex: number | null;
}

const LISTS = { events: "event", problems: "problem", heartbeats: "heartbeat", announcements: "announcement" } as const;
const trpcError = (message: string, code: string, httpStatus: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: { json: { message, code: -32600, data: { code, httpStatus, ...extra } } } });

async function startWire(): Promise<{ wire: Wire; url: string; server: Server }> {
  const wire: Wire = { stored: [], limit: 8 << 20, refuse: null, bogusIndex: null };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const send = (status: number, body: string) => res.writeHead(status, { "content-type": "application/json" }).end(body);
    if (wire.refuse) return send(wire.refuse, trpcError("machine identity refused", "FORBIDDEN", wire.refuse));
    if (raw.length > wire.limit) return send(413, trpcError("body too large", "PAYLOAD_TOO_LARGE", 413));
    const batch = (JSON.parse(raw.toString()) as { json: Record<keyof typeof LISTS, Array<{ poison?: boolean; node: string }>> }).json;
    const rejected: Array<{ kind: string; index: number; node: string | null; reason: string }> = [];
    const accepted = { events: 0, problems: 0, heartbeats: 0, announcements: 0 };
    for (const [list, kind] of Object.entries(LISTS) as [keyof typeof LISTS, string][]) {
      (batch[list] ?? []).forEach((record, index) => {
        if (record.poison) rejected.push({ kind, index, node: record.node, reason: `${list}[${index}].returnCode: out of range` });
        else {
          wire.stored.push(record);
          accepted[list]++;
        }
      });
    }
    if (wire.bogusIndex !== null) rejected.splice(0, rejected.length, { kind: "event", index: wire.bogusIndex, node: null, reason: "?" });
    if (rejected.length)
      return send(422, trpcError(`${rejected.length} records refused`, "UNPROCESSABLE_CONTENT", 422, { rejected, accepted }));
    const ack = { acceptedEvents: accepted.events, acceptedProblems: accepted.problems, acceptedHeartbeats: accepted.heartbeats };
    send(200, JSON.stringify({ result: { data: { json: ack } } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { wire, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let dir: string;
let wire: Wire;
let server: Server;
let client: ServerClient;
const logged: string[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fw-shipper-"));
  const started = await startWire();
  wire = started.wire;
  server = started.server;
  client = createServerClient({ server: started.url, token: "fwa_test", timeoutMs: 5000 });
  logged.length = 0;
});
afterEach(async () => {
  await client.close();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function agent(fs: Fsys = nodeFsys) {
  const { spool } = await Spool.open(dir, fs, { maxBytes: 16 << 20 });
  const rejected = await RejectedFile.open(nodeFsys, dir);
  const log = createLogger({ write: (s: string) => logged.push(s) }, "debug");
  const machine = () => ({ machineId: "m1", hostname: "h", os: "linux", osVersion: "6", macAddresses: [], clientVersion: null });
  const shipper = new Shipper({ spool, client, store: new StateStore(dir, fs), rejected, machine, log });
  return { spool, shipper, rejected };
}

const rec = (kind: SpoolItem["kind"], n: number, extra: Record<string, unknown> = {}): SpoolItem => ({
  kind,
  node: "N1",
  data: { node: "N1", n, ...extra },
});
const quarantined = async () =>
  (await readFile(join(dir, "rejected.jsonl"), "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; node: string; reason: string; record: { n: number } });
const storedNs = () => wire.stored.map((r) => (r as { n: number }).n).sort((a, b) => a - b);

describe("Shipper and a 422", () => {
  it("moves exactly the named records to the quarantine, acknowledges the rest, and ships what follows", async () => {
    const { spool, shipper } = await agent();
    await spool.append([
      rec("event", 1),
      rec("event", 2, { poison: true }),
      rec("heartbeat", 3, { poison: true }),
      rec("problem", 4),
      rec("event", 5),
    ]);
    expect(await shipper.shipOnce()).toBe("shipped");
    expect(storedNs()).toEqual([1, 4, 5]);
    expect((await quarantined()).map((q) => [q.kind, q.record.n, q.node, q.reason])).toEqual([
      ["event", 2, "N1", "events[1].returnCode: out of range"],
      ["heartbeat", 3, "N1", "heartbeats[0].returnCode: out of range"],
    ]);
    expect(spool.count).toBe(0);
    expect(shipper.status).toMatchObject({ rejected: 2, lastRejection: "heartbeats[0].returnCode: out of range", lastError: null });
    expect(logged.join("")).toContain("the server refused records");

    await spool.append([rec("event", 6)]);
    expect(await shipper.shipOnce()).toBe("shipped");
    expect(await shipper.shipOnce()).toBe("empty");
    expect(storedNs()).toEqual([1, 4, 5, 6]);
  });

  it("a crash after the quarantine was written but before the spool moved: nothing lost, nothing kept twice", async () => {
    const failing = faultyFsys((op, path) => (op === "open" && path.endsWith("acked.tmp") ? "EIO" : null));
    const first = await agent(failing);
    await first.spool.append([rec("event", 1), rec("event", 2, { poison: true }), rec("event", 3)]);
    await expect(first.shipper.shipOnce()).rejects.toMatchObject({ code: "EIO" });
    expect(await quarantined()).toHaveLength(1);

    // The restart: the spool still holds the whole batch, which goes again.
    const second = await agent();
    expect(second.spool.count).toBe(3);
    expect(second.rejected.count).toBe(1);
    expect(await second.shipper.shipOnce()).toBe("shipped");
    expect(second.spool.count).toBe(0);
    expect((await quarantined()).map((q) => q.record.n)).toEqual([2]);
    expect([...new Set(storedNs())]).toEqual([1, 3]);
  });

  it("an answer naming a record the batch does not hold acknowledges nothing", async () => {
    const { spool, shipper } = await agent();
    await spool.append([rec("event", 1), rec("event", 2)]);
    wire.bogusIndex = 7;
    await expect(shipper.shipOnce()).rejects.toThrow(/names no record of this batch/);
    expect(spool.count).toBe(2);
    expect(await quarantined()).toEqual([]);
  });
});

describe("Shipper and other refusals", () => {
  it("413 (a proxy's smaller body limit): halves the batch; a record alone still too large is quarantined", async () => {
    const { spool, shipper } = await agent();
    wire.limit = 4096;
    const items = Array.from({ length: 40 }, (_, i) => rec("event", i, i === 17 ? { pad: "x".repeat(8000) } : {}));
    await spool.append(items);
    expect(await shipper.shipOnce()).toBe("shipped");
    expect(storedNs()).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 17));
    const q = await quarantined();
    expect(q.map((r) => r.record.n)).toEqual([17]);
    expect(q[0]!.reason).toMatch(/413/);
    expect(spool.count).toBe(0);
  });

  it("400, 401 and 403 quarantine nothing and acknowledge nothing: the batch waits for a retry", async () => {
    const { spool, shipper } = await agent();
    await spool.append([rec("event", 1), rec("event", 2, { poison: true })]);
    for (const status of [400, 401, 403]) {
      wire.refuse = status;
      const error = await shipper.shipOnce().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect((error as ServerError).status).toBe(status);
      expect(spool.count).toBe(2);
    }
    expect(await quarantined()).toEqual([]);
    wire.refuse = null;
    expect(await shipper.shipOnce()).toBe("shipped");
    expect(storedNs()).toEqual([1]);
  });
});
