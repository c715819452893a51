import type { Heartbeat, IngestAck, MachineIdentity } from "@fleetwatch/core/schemas";
import { isErrno } from "../fsys";
import { type ServerClient, ServerError } from "../http";
import type { Logger } from "../log";
import { type Spool, SpoolCorrupt, type Spooled } from "../spool/spool";
import type { StateStore } from "../state/state-store";
import { Backoff, sleep } from "./backoff";
import { deliver } from "./deliver";
import type { RejectedFile } from "./rejected-file";

export interface ShipperOptions {
  spool: Spool;
  client: ServerClient;
  store: StateStore;
  /** Where records the server refused for good are kept (never resent by the agent). */
  rejected: RejectedFile;
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
  /** Records in the quarantine file, and the newest one's reason. */
  rejected: number;
  lastRejection: string | null;
}

/**
 * Ships the spool, oldest first, one batch at a time. The seed-001 rule: before a batch goes out,
 * the "full resync required" mark names it; only the server's acknowledgement (sent after its
 * commit) deletes the batch from the spool and clears the mark. Failures back off with full
 * jitter; a Retry-After (429/503) is honoured; every request has a deadline (the HTTP client's).
 */
export class Shipper {
  readonly status: ShipperStatus;
  private readonly backoff: Backoff;
  private wakeUp: (() => void) | null = null;
  /** Set when a spool record no longer reads back: the daemon recovers the state folder. */
  /** Why the spool could not be read (the daemon recovers it): see takeDamage. */
  private damaged: string | null = null;

  /** The spool damage seen since the last call, if any; the daemon recovers the state folder for it. */
  takeDamage(): string | null {
    const why = this.damaged;
    this.damaged = null;
    return why;
  }
  private woken = false;

  constructor(private readonly o: ShipperOptions) {
    this.backoff = new Backoff(o.backoffBaseMs ?? 1000, o.backoffCapMs ?? 300_000, o.random);
    this.status = {
      lastShipAt: null,
      lastAck: null,
      lastError: null,
      failures: 0,
      nextAttemptAt: null,
      rejected: o.rejected.count,
      lastRejection: o.rejected.newest?.reason ?? null,
    };
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
    await this.o.client.mutation("ingest.batch", {
      machine: this.o.machine(),
      events: [],
      problems: [],
      heartbeats,
      announcements: [],
    });
  }

  /** Shutdown: ship what we can before `deadline` (ms since epoch); false when something stayed behind. */
  async flush(deadline: number): Promise<boolean> {
    while (this.now().getTime() < deadline) {
      try {
        if ((await this.shipOnce()) === "empty") return true;
      } catch (e) {
        this.status.lastError = (e as Error).message;
        return false;
      }
    }
    return this.o.spool.count === 0;
  }

  /**
   * A 422 stored all but the records it names: those are kept in the quarantine file first
   * (fsync'd), and only then does the spool let the batch go. A crash between the two resends
   * the batch; the server stores nothing twice and the quarantine keeps each record once.
   */
  private async ship(records: Spooled[]): Promise<void> {
    const first = records[0]!.seq;
    const last = records[records.length - 1]!.seq;
    await this.o.store.setMark({ first, last, at: this.now().toISOString() });
    const { ack, refused } = await deliver(this.o.client, this.o.machine(), records);
    if (refused.length > 0) {
      const kept = refused.map(({ item, reason }) => ({ kind: item.kind, node: item.node, reason, record: item.data }));
      const added = await this.o.rejected.add(kept, this.now());
      this.status.rejected = this.o.rejected.count;
      this.status.lastRejection = this.o.rejected.newest?.reason ?? null;
      this.o.log.error("the server refused records; kept in the quarantine file, the rest of the batch was stored", {
        refused: refused.length,
        new: added,
        file: this.o.rejected.path,
        first: `${kept[0]!.kind} of ${kept[0]!.node}: ${kept[0]!.reason}`,
      });
    }
    await this.o.spool.ack(last);
    await this.o.store.clearMark();
    this.status.lastShipAt = this.now().toISOString();
    this.status.lastAck = ack;
    this.status.lastError = null;
    this.o.log.debug("batch acknowledged", { records: records.length, ...ack });
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
