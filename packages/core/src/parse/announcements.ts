import type { NextScheduled } from "../schemas/event";
import type { StampReader } from "./timestamp";

/**
 * The scheduler's "Next operation scheduled" block, between events:
 *   Schedule Name:         DAILY_INCR
 *   Action:                Incremental
 *   Server Window Start:   20:00:00 on 06/09/2022
 * Each complete block is one `nextScheduled` entry; the last one also names an event that begins
 * with `Executing scheduled command now.` before its OBJECT BEGIN line says so itself.
 */
export class Announcements {
  readonly next: NextScheduled[] = [];
  schedule: string | null = null;
  action: string | null = null;
  start: string | null = null;

  constructor(private readonly stamps: StampReader) {}

  /** `Next operation scheduled:` opens a new block. */
  header(): void {
    this.schedule = null;
    this.action = null;
    this.start = null;
  }

  scheduleName(value: string): void {
    this.schedule = this.intern(value.trim().slice(0, 128)) || null;
  }

  actionName(value: string): void {
    this.action = this.intern(value.trim().slice(0, 64)) || null;
  }

  /**
   * One string per distinct name. A name cut from its line keeps the whole line alive, and a client
   * that runs every few minutes announces tens of thousands of windows with a handful of names.
   */
  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    if (this.names.size >= 1024) this.names.clear(); // junk names: never an unbounded cache
    this.names.set(name, name);
    return name;
  }

  private readonly names = new Map<string, string>();

  /** `20:00:00 on 06/09/2022` (the time in the client's TIMEFORMAT, the date in its DATEFORMAT). */
  windowStart(value: string): void {
    const text = value.trim();
    const on = text.lastIndexOf(" on ");
    if (on < 0 || this.schedule === null) return;
    const time = this.stamps.parseTime(text.slice(0, on).trim());
    const date = this.stamps.parseDate(text.slice(on + 4).trim());
    if (time === null || date === null) return;
    this.start = [date, time].join("T"); // one flat string: a template makes a tree of its parts, kept per window
    this.next.push({ schedule: this.schedule, action: this.action, windowStart: this.start });
  }
}
