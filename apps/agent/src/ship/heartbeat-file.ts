import { type Heartbeat, heartbeat } from "@fleetwatch/core/schemas";
import { UsageError } from "../args";

/**
 * Recorded heartbeats for a replay: JSON Lines, one heartbeat per line as the agent sends it (the
 * core `heartbeat` schema). A site backfilling from archives rarely knows every fact, so what a
 * line leaves out is "unknown" (null, no announced windows), and `node` defaults to the node shipped.
 * Every line is checked before anything is sent: a bad one is a one-line error naming it.
 */
export function readHeartbeats(text: string, node: string, file: string): Heartbeat[] {
  const beats: Heartbeat[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${where}: not JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UsageError(`${where}: not a JSON object`);
    const parsed = heartbeat.safeParse({
      node,
      bootedAt: null,
      clockJumpSeconds: null,
      serverReachable: null,
      schedulerRunning: null,
      nextScheduled: [],
      spoolBytes: null,
      lastError: null,
      ...value,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${where}: ${issue.path.join(".") || "heartbeat"}: ${issue.message}`);
    }
    if (parsed.data.node !== node.toUpperCase())
      throw new UsageError(`${where}: a heartbeat of ${parsed.data.node}, but this ships ${node.toUpperCase()}`);
    beats.push(parsed.data);
  }
  return beats;
}
