import type { Message, ScheduleEvent } from "@fleetwatch/core/schemas";

export const windowKey = (e: ScheduleEvent) => `${e.schedule}\u0000${e.scheduledStart ?? e.startedAt}`;
export const problemKey = (m: Message) => `${m.at}\u0000${m.code}\u0000${m.text}`;

/**
 * What the server keeps, by its own rules (packages/api ingest): one window per (schedule,
 * scheduled start); a later report replaces an earlier one, except that a running snapshot never
 * replaces a finished event. Problems are a set. Tests compare this with a one-shot parse.
 */
export class ServerModel {
  readonly windows = new Map<string, ScheduleEvent>();
  readonly problems = new Set<string>();
  reports = 0;

  addEvents(events: ScheduleEvent[]): void {
    for (const event of events) {
      this.reports++;
      const key = windowKey(event);
      const current = this.windows.get(key);
      if (current && current.status !== "in-progress" && event.status === "in-progress") continue;
      this.windows.set(key, event);
    }
  }

  addProblems(problems: Message[]): void {
    for (const p of problems) this.problems.add(problemKey(p));
  }

  /** Differences from the events a one-shot parse of the final logs finds (its running event aside). */
  /**
   * The lines around each message are left out unless asked for: after a restart the parser starts
   * at its anchor and cannot know the lines before it, which only people read.
   */
  diff(expected: ScheduleEvent[], opts: { withContext?: boolean } = {}): string[] {
    const out: string[] = [];
    const shown = (e: ScheduleEvent) => JSON.stringify(opts.withContext ? e : withoutContext(e));
    const want = new Map(expected.map((e) => [windowKey(e), e]));
    for (const [key, e] of want) {
      const got = this.windows.get(key);
      if (!got) {
        if (e.status !== "in-progress") out.push(`missing ${key}`);
      } else if (e.status !== "in-progress" && shown(got) !== shown(e)) {
        out.push(`differs ${key}: got ${JSON.stringify(got).slice(0, 300)} want ${JSON.stringify(e).slice(0, 300)}`);
      }
    }
    for (const key of this.windows.keys()) if (!want.has(key)) out.push(`unexpected ${key}`);
    return out;
  }
}

function withoutContext(e: ScheduleEvent): ScheduleEvent {
  return { ...e, messages: e.messages.map(({ context: _, ...m }) => m) };
}
