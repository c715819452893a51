import cron from "node-cron";

/** The running heartbeat schedule: stopped with the daemon. */
export interface BeatSchedule {
  destroy(): void | Promise<void>;
}

/** node-cron's parse of an expression: each field's values, day fields possibly with L / W / # tokens. */
type Fields = ReturnType<typeof cron.parse>;

/** A plain expression's fields as sets (day of week 0-6, Sunday 0): what matches() reads. */
interface Plain {
  second: Set<number>;
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
}

/** The fields as sets, or null when a day field holds a token (L, W, #) only node-cron evaluates. */
export function plainFields(fields: Fields): Plain | null {
  const numbers = (values: (number | string)[]) => (values.every((v) => typeof v === "number") ? new Set(values as number[]) : null);
  const dayOfMonth = numbers(fields.dayOfMonth);
  const dayOfWeek = numbers(fields.dayOfWeek);
  if (!dayOfMonth || !dayOfWeek) return null;
  return {
    second: new Set(fields.second),
    minute: new Set(fields.minute),
    hour: new Set(fields.hour),
    dayOfMonth,
    month: new Set(fields.month),
    dayOfWeek: new Set([...dayOfWeek].map((d) => d % 7)),
  };
}

/** Every field matches, as node-cron's TimeMatcher decides (day of month AND day of week). */
function matches(p: Plain, t: Date): boolean {
  return (
    p.second.has(t.getSeconds()) &&
    p.minute.has(t.getMinutes()) &&
    p.hour.has(t.getHours()) &&
    p.dayOfMonth.has(t.getDate()) &&
    p.month.has(t.getMonth() + 1) &&
    p.dayOfWeek.has(t.getDay())
  );
}

const DAY_MS = 86_400_000;
/** Far enough for any date that exists (29 February, within its leap-year cycle); past it, never. */
const HORIZON_MS = 9 * 366 * DAY_MS;

/**
 * The first local time strictly after `after` that matches, or null if none within eight years (31
 * February). It skips a whole month, day, hour or minute that cannot match, so a yearly expression
 * costs a few hundred steps, not millions of seconds.
 */
export function nextMatch(p: Plain, after: Date): Date | null {
  const end = after.getTime() + HORIZON_MS;
  let t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  while (t.getTime() <= end) {
    const [y, mo, d, h, mi] = [t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes()];
    let next: Date | null = null;
    if (!p.month.has(mo + 1)) next = new Date(y, mo + 1, 1);
    else if (!p.dayOfMonth.has(d) || !p.dayOfWeek.has(t.getDay())) next = new Date(y, mo, d + 1);
    else if (!p.hour.has(h)) next = new Date(y, mo, d, h + 1);
    else if (!p.minute.has(mi)) next = new Date(y, mo, d, h, mi + 1);
    else if (matches(p, t)) return t;
    // A local time that does not exist (a DST gap) can map back: always move forward.
    t = next && next.getTime() > t.getTime() ? next : new Date(t.getTime() + 1000);
  }
  return null;
}

/**
 * Runs `beat` at each local time the cron expression names, skipping a beat while the last one
 * still runs (node-cron's noOverlap). node-cron reads the local time through Intl.DateTimeFormat on
 * every tick, and the first Intl.DateTimeFormat maps ICU's zone and locale data: about 6 MiB of RSS
 * the daemon then holds for good (README, agent memory). So node-cron parses the expression, and a
 * plain one (numbers, *, ranges, steps, lists, names) is timed here on Date's local fields; one with
 * L, W or # is left to node-cron as before.
 */
export function scheduleBeats(expression: string, beat: () => unknown, now: () => Date = () => new Date()): BeatSchedule {
  const plain = plainFields(cron.parse(expression));
  if (!plain) return cron.schedule(expression, beat, { noOverlap: true, name: "heartbeat" });
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopped = false;
  const arm = () => {
    const at = nextMatch(plain, now());
    if (stopped || at === null) return;
    // Timers may fire a little early: a beat is never run before its second.
    timer = setTimeout(() => (now().getTime() < at.getTime() - 5 ? arm() : fire()), Math.max(0, at.getTime() - now().getTime()));
  };
  const fire = () => {
    arm();
    if (running) return;
    running = true;
    Promise.resolve()
      .then(beat)
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  arm();
  return {
    destroy() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
