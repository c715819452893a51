import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import type { Heartbeat, IngestAck, MachineIdentity } from "@fleetwatch/core/schemas";
import { isErrno } from "../fsys";
import { type ServerClient, ServerError } from "../http";
import type { Logger } from "../log";
import { type Spool, SpoolCorrupt, type Spooled } from "../spool/spool";
import type { StateStore } from "../state/state-store";
import { Backoff, sleep } from "./backoff";
import { toBatch } from "./batch";

export interface ShipperOptions {
  spool: Spool;
  client: ServerClient;
  store: StateStore;
  machine: () => MachineIdentity;
  log: Logger;
  /** Per batch: the server takes up to 5000 events; smaller batches commit (and free the spool) sooner. */
  maxRecords?: number;
  maxBytes?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Wait this long at most (a random share of it) before the first batch, so a fleet spreads out. */
  startupJitterMs?: number;
  /** While the spool is empty, look again this often even without a wake-up. */
  idleMs?: number;
  random?: () => number;
  now?: () => Date;
}

export interface ShipperStatus {
  lastShipAt: string | null;
  lastAck: IngestAck | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: string | null;
  rejected: number;
}

/**
 * A batch the server will never take as it is (a record failed validation, or it is too big):
 * bisect it down to the record. Not when the machine identity is what it refused: that is no
 * record's fault, and dropping records for it would lose them all.
 */
const permanent = (e: unknown) =>
  e instanceof ServerError &&
  (e.code === "BAD_REQUEST" || e.code === "PAYLOAD_TOO_LARGE" || e.status === 413) &&
  !/\bmachine\./.test(e.message);

/**
 * Ships the spool, oldest first, one batch at a time. The seed-001 rule: before a batch goes out,
 * the "full resync required" mark names it; only the server's acknowledgement (sent after its
 * commit) deletes the batch from the spool and clears the mark. Failures back off with full
 * jitter; a Retry-After (429/503) is honoured; every request has a deadline (the HTTP client's).
 */
export class Shipper {
  readonly status: ShipperStatus = { lastShipAt: null, lastAck: null, lastError: null, failures: 0, nextAttemptAt: null, rejected: 0 };
  private readonly backoff: Backoff;
  private wakeUp: (() => void) | null = null;
  /** Set when a spool record no longer reads back: the daemon recovers the state folder. */
  damaged: string | null = null;
  private woken = false;

  constructor(private readonly o: ShipperOptions) {
    this.backoff = new Backoff(o.backoffBaseMs ?? 1000, o.backoffCapMs ?? 300_000, o.random);
  }

  /** The spool was replaced (the daemon recovered from a damaged or deleted state folder). */
  useSpool(spool: Spool): void {
    this.o.spool = spool;
  }

  /** New records in the spool. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** The loop: until `signal` aborts. Never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const jitter = Math.floor((this.o.random ?? Math.random)() * (this.o.startupJitterMs ?? 0));
    if (jitter > 0) this.o.log.info("shipping starts after a random delay", { ms: jitter });
    await sleep(jitter, signal);
    while (!signal.aborted) {
      const result = await this.shipOnce().catch((e: unknown) => e);
      if (result === "shipped") continue;
      if (result === "empty") {
        await this.idle(signal);
        continue;
      }
      const e = result as Error;
      if (e instanceof SpoolCorrupt || isErrno(e, "ENOENT")) this.damaged = `spool unreadable: ${e.message}`;
      const wait = this.backoff.next(e instanceof ServerError ? e.retryAfterMs : null);
      this.status.failures = this.backoff.attempts;
      this.status.lastError = e.message;
      this.status.nextAttemptAt = new Date(this.now().getTime() + wait).toISOString();
      this.o.log.warn("shipping failed; will retry", { error: e.message, attempt: this.backoff.attempts, retryInMs: wait });
      await sleep(wait, signal);
    }
  }

  /** Ships one batch; "empty" when there is nothing to ship. Throws what the server said. */
  async shipOnce(): Promise<"shipped" | "empty"> {
    this.woken = false;
    const records = await this.o.spool.peek(this.o.maxRecords ?? 500, this.o.maxBytes ?? 2 * 1024 * 1024);
    if (records.length === 0) return "empty";
    await this.ship(records);
    if (this.backoff.attempts > 0) this.o.log.info("shipping works again", { after: this.backoff.attempts });
    this.backoff.reset();
    this.status.failures = 0;
    this.status.nextAttemptAt = null;
    return "shipped";
  }

  /** Heartbeats that could not be spooled (full disk): sent once, outside the spool, best effort. */
  async sendNow(heartbeats: Heartbeat[]): Promise<void> {
    await this.o.client.mutation<IngestAck>("ingest.batch", {
      machine: this.o.machine(),
      events: [],
      problems: [],
      heartbeats,
      announcements: [],
    });
  }

  /** Shutdown: ship what we can before `deadline` (ms since epoch); false when something stayed behind. */
  async flush(deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      try {
        if ((await this.shipOnce()) === "empty") return true;
      } catch (e) {
        this.status.lastError = (e as Error).message;
        return false;
      }
    }
    return this.o.spool.count === 0;
  }

  private async ship(records: Spooled[]): Promise<void> {
    const first = records[0]!.seq;
    const last = records[records.length - 1]!.seq;
    await this.o.store.setMark({ first, last, at: this.now().toISOString() });
    let ack: IngestAck;
    try {
      ack = await this.o.client.mutation<IngestAck>("ingest.batch", toBatch(records, this.o.machine()));
    } catch (e) {
      if (!permanent(e)) throw e;
      if (records.length > 1) {
        const half = Math.ceil(records.length / 2);
        await this.ship(records.slice(0, half));
        await this.ship(records.slice(half));
        return;
      }
      await this.reject(records[0]!, e as Error);
      ack = { acceptedEvents: 0, acceptedProblems: 0, acceptedHeartbeats: 0 };
    }
    await this.o.spool.ack(last);
    await this.o.store.clearMark();
    this.status.lastShipAt = this.now().toISOString();
    this.status.lastAck = ack;
    this.status.lastError = null;
    this.o.log.debug("batch acknowledged", { records: records.length, ...ack });
  }

  /** One record the server will never accept: kept beside the state (never silently lost), then dropped. */
  private async reject(record: Spooled, error: Error): Promise<void> {
    this.status.rejected++;
    this.o.log.error("the server rejected a record; kept in rejected.jsonl", {
      kind: record.kind,
      node: record.node,
      error: error.message,
    });
    const line = `${JSON.stringify({ at: this.now().toISOString(), error: error.message, record })}\n`;
    await appendFile(join(this.o.store.dir, "rejected.jsonl"), line, { mode: 0o600 }).catch(() => undefined);
  }

  private async idle(signal: AbortSignal): Promise<void> {
    if (this.woken) return;
    const woken = new AbortController();
    this.wakeUp = () => woken.abort();
    const both = AbortSignal.any([signal, woken.signal]);
    await sleep(this.o.idleMs ?? 30_000, both);
    this.wakeUp = null;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }
}
