import { type ScheduleDefinition, windowMinutes } from "./schedule";

/** A schedule as the database's Schedule table keeps it: classic style, in minutes. */
export interface StoredScheduleFacts {
  startTime: string;
  durationMinutes: number;
  periodMinutes: number;
  dayOfWeek: string;
}

export type Storable = { ok: true; facts: StoredScheduleFacts } | { ok: false; reason: string };

const unitMinutes = { hours: 60, days: 1440, weeks: 10_080 } as const;
const any = (v: string) => v.trim().toUpperCase() === "ANY";

/**
 * A definition in the stored form, or why it has none: the table keeps classic schedules with a
 * fixed period, which covers the nightly and weekly backups a fleet runs. Monthly or yearly
 * periods, windows that never close, and enhanced schedules limited to some months or weeks of the
 * month would need calendar rules the judge does not expand; guessing would invent MISSED nights.
 */
export function storableSchedule(def: ScheduleDefinition): Storable {
  if (def.style === "enhanced" && !(any(def.month) && any(def.dayOfMonth) && any(def.weekOfMonth))) {
    return { ok: false, reason: "enhanced schedule limited to some months, days of the month or weeks" };
  }
  // An enhanced schedule runs on every allowed day of the week: a daily period restricted by DAYOFWEEK.
  const periodMinutes =
    def.style === "enhanced"
      ? 1440
      : def.periodUnits === "hours" || def.periodUnits === "days" || def.periodUnits === "weeks"
        ? def.period * unitMinutes[def.periodUnits]
        : null;
  if (periodMinutes === null) return { ok: false, reason: `a period in ${def.periodUnits}` };
  const durationMinutes = windowMinutes(def);
  if (durationMinutes === null) return { ok: false, reason: "an indefinite window (it never closes)" };
  return {
    ok: true,
    facts: {
      startTime: def.startTime.length === 5 ? `${def.startTime}:00` : def.startTime,
      durationMinutes,
      periodMinutes,
      dayOfWeek: def.dayOfWeek,
    },
  };
}
