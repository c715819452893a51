import { z } from "zod";
import type { Db } from "../../context";

const KEY = "judge.lastRun";
const lastRun = z.object({ at: z.iso.datetime(), durationSeconds: z.number().nonnegative() });
export type JudgeRun = { at: Date; durationSeconds: number };

type SettingDb = Pick<Db, "setting">;

/**
 * The leader's last run, in the Setting table so every replica's /metrics reports the same run
 * (the judge runs on one replica, the scrape may reach another). Written in the run's transaction.
 */
export async function recordJudgeRun(db: SettingDb, run: JudgeRun): Promise<void> {
  const value = { at: run.at.toISOString(), durationSeconds: run.durationSeconds };
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
}

/** The last run recorded, or null before the first (or when the row is not ours to read). */
export async function lastJudgeRun(db: SettingDb): Promise<JudgeRun | null> {
  const row = await db.setting.findUnique({ where: { key: KEY }, select: { value: true } });
  const parsed = lastRun.safeParse(row?.value);
  return parsed.success ? { at: new Date(parsed.data.at), durationSeconds: parsed.data.durationSeconds } : null;
}
