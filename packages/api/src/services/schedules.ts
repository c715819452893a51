import type { NextScheduled } from "@fleetwatch/core/schemas";
import { inferSchedules, type ScheduleDefinition, utcToLocal, windowMinutes } from "@fleetwatch/core/windows";
import type { Tx } from "../context";

const unitMinutes = { hours: 60, days: 1440, weeks: 10_080 } as const;

function storedPeriod(def: ScheduleDefinition): number | null {
  if (def.periodUnits === "hours" || def.periodUnits === "days" || def.periodUnits === "weeks")
    return def.period * unitMinutes[def.periodUnits];
  return null;
}

/**
 * Learn a node's schedules from what its own scheduler said: the windows it announced and the
 * window starts its events name. A definition from the TSM server (collector) or from staff is
 * never overwritten by an inference.
 */
export async function refreshSchedules(tx: Tx, args: { nodeId: string; utcOffsetMinutes: number; announced: readonly NextScheduled[] }) {
  const recent = await tx.window.findMany({
    where: { nodeId: args.nodeId, source: "agent" },
    orderBy: { scheduledStart: "desc" },
    take: 60,
    select: { schedule: true, localStart: true, startedAt: true },
  });
  const events = recent.map((w) => ({
    schedule: w.schedule,
    scheduledStart: w.localStart,
    startedAt: w.startedAt ? utcToLocal(w.startedAt, args.utcOffsetMinutes) : null,
  }));
  for (const inferred of inferSchedules(args.announced, events)) {
    const def = inferred.definition;
    const periodMinutes = storedPeriod(def);
    const durationMinutes = windowMinutes(def);
    if (periodMinutes === null || durationMinutes === null) continue;
    const facts = {
      startTime: def.startTime.length === 5 ? `${def.startTime}:00` : def.startTime,
      durationMinutes,
      periodMinutes,
      dayOfWeek: def.dayOfWeek,
    };
    const existing = await tx.schedule.findUnique({
      where: { server_name: { server: "", name: def.name } },
      select: { id: true, source: true },
    });
    const schedule = existing
      ? existing.source === "agent"
        ? await tx.schedule.update({ where: { id: existing.id }, data: facts, select: { id: true } })
        : existing
      : await tx.schedule.create({
          data: { server: "", name: def.name, action: "Incremental", source: "agent", ...facts },
          select: { id: true },
        });
    await tx.nodeSchedule.upsert({
      where: { nodeId_scheduleId: { nodeId: args.nodeId, scheduleId: schedule.id } },
      create: { nodeId: args.nodeId, scheduleId: schedule.id, source: "agent" },
      update: {},
    });
  }
}
