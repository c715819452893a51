import type { Fsys } from "../fsys";
import type { Logger } from "../log";
import { Spool } from "../spool/spool";
import { type AgentState, StateStore } from "../state/state-store";

export interface Recovered {
  store: StateStore;
  spool: Spool;
  state: AgentState;
  /** Set when every cursor was dropped: the logs are read again from the start. */
  fullResync: { at: string; reason: string } | null;
}

/**
 * Opens the state folder the way seed 001 recovers a filesave. A batch was in flight (the mark
 * is set) and the spool still holds it: the flags are reset to their pre-save state, i.e. the
 * batch is simply sent again. The record of what was saved is lost or damaged (state file, spool
 * or mark unreadable; the spool no longer holds the marked batch; the state file gone while the
 * spool is not): no incremental is safe, so every cursor is dropped and every log read from its
 * start (the full save). The server's idempotency keeps the history exact either way.
 */
export async function recoverState(
  stateDir: string,
  fs: Fsys,
  opts: { spoolMaxBytes: number; log: Logger; now: () => Date },
): Promise<Recovered> {
  const store = new StateStore(stateDir, fs, opts.now);
  const loaded = await store.load();
  const { spool, recovery } = await Spool.open(stateDir, fs, { maxBytes: opts.spoolMaxBytes, now: opts.now });
  const reasons: string[] = [];
  if (loaded.resync) reasons.push(loaded.resync);
  if (recovery.state === "quarantined") reasons.push(`spool damaged (${recovery.detail}), moved to quarantine`);
  if (recovery.state === "repaired") opts.log.info("spool: cut a torn append left by a crash", { detail: recovery.detail });
  if (loaded.mark) {
    if (!spool.holds(loaded.mark.first, loaded.mark.last))
      reasons.push(`batch ${loaded.mark.first}-${loaded.mark.last} was in flight and the spool no longer holds it`);
    else
      opts.log.info("a batch was in flight when the agent stopped; it is sent again", { first: loaded.mark.first, last: loaded.mark.last });
  }
  if (loaded.fresh && (spool.count > 0 || loaded.mark))
    reasons.push("the state file is gone but the spool is not: the state folder was lost");
  const state = loaded.state;
  let fullResync: Recovered["fullResync"] = null;
  if (reasons.length) {
    const reason = reasons.join("; ");
    opts.log.warn("full resync: every log is read again from its start", { reason });
    state.nodes = {};
    state.fullResyncs++;
    fullResync = { at: opts.now().toISOString(), reason: reason.slice(0, 512) };
    await store.clearMark();
    await store.save(state);
  }
  return { store, spool, state, fullResync };
}

/**
 * The state folder was lost under the running agent and recovered as at start-up without finding
 * anything wrong (a fresh, empty folder): drop every cursor all the same, since nothing on disk
 * backs them any more.
 */
export async function forceFullResync(rec: Recovered, reason: string, now: () => Date): Promise<void> {
  if (rec.fullResync) return;
  rec.state.nodes = {};
  rec.state.fullResyncs++;
  rec.fullResync = { at: now().toISOString(), reason: reason.slice(0, 512) };
  await rec.store.save(rec.state);
}
