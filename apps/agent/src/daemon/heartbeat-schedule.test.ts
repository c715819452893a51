import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { nextMatch, plainFields, scheduleBeats } from "./heartbeat-schedule";

/** node-cron's own answer: the next run of a scheduled task, from the real clock. */
function nodeCronNext(expression: string): Date | null {
  const task = cron.schedule(expression, () => undefined);
  try {
    return task.getNextRun();
  } finally {
    task.destroy();
  }
}

describe("heartbeat schedule", () => {
  it.each([
    "*/5 * * * *",
    "* * * * * *",
    "*/20 * * * * *",
    "0 0 1 1 *",
    "@hourly",
    "@daily",
    "0 9 * * mon-fri",
    "30 2 * jan,feb sun",
    "15 3 29 2 *",
    "0 0 13 * 5",
    "0 */7 * * 7",
    "59 23 31 12 *",
  ])("finds the run node-cron would for %s", (expression) => {
    const plain = plainFields(cron.parse(expression));
    expect(plain).not.toBeNull();
    const expected = nodeCronNext(expression);
    const ours = nextMatch(plain!, new Date());
    // Both read the real clock: a second may tick between the two reads.
    if (expected && ours && ours.getTime() !== expected.getTime())
      expect(nextMatch(plain!, new Date(expected.getTime() - 1000))).toEqual(expected);
    else expect(ours).toEqual(expected);
  });

  it("leaves L, W and # to node-cron", () => {
    for (const expression of ["0 0 L * *", "0 0 * * 5#2", "0 0 15W * *"]) expect(plainFields(cron.parse(expression))).toBeNull();
  });

  it("beats on the second, and not again while a beat still runs", async () => {
    let beats = 0;
    let release: () => void = () => {};
    const schedule = scheduleBeats("* * * * * *", () => {
      beats++;
      return new Promise<void>((r) => (release = r));
    });
    await new Promise((r) => setTimeout(r, 2600));
    expect(beats).toBe(1); // the first beat has not ended: the next seconds are skipped
    release();
    await new Promise((r) => setTimeout(r, 1100));
    schedule.destroy();
    expect(beats).toBe(2);
    const after = beats;
    await new Promise((r) => setTimeout(r, 1100));
    expect(beats).toBe(after);
  });
});
