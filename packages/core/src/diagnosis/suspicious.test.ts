import { describe, expect, it } from "vitest";
import { formatDuration, judgeRun, learnTypical, MIN_HISTORY, type RunMeasure } from "./suspicious";

/** `n` steady nights, most recent first: objects around 220,000, about an hour, each a little different. */
const steadyNights = (n: number): RunMeasure[] =>
  Array.from({ length: n }, (_, i) => ({
    objectsInspected: 214_000 + ((i * 7) % 20) * 842,
    elapsedSeconds: 3000 + ((i * 613) % 900),
  }));

describe("suspicious runs", () => {
  it("calls nothing suspicious while the history is shorter than the minimum", () => {
    const history = steadyNights(MIN_HISTORY - 1);
    expect(judgeRun({ objectsInspected: 10, elapsedSeconds: 36_000 }, history)).toBeNull();
    expect(learnTypical(history).objectsInspected).toBeNull();
  });

  it("a steady night against a steady history is not suspicious", () => {
    expect(judgeRun({ objectsInspected: 221_000, elapsedSeconds: 3300 }, steadyNights(20))).toBeNull();
  });

  it("a tenth of the usual objects is suspicious, in words for staff", () => {
    const verdict = judgeRun({ objectsInspected: 21_400, elapsedSeconds: 3200 }, steadyNights(20));
    expect(verdict?.reasons).toEqual(["too-few-objects"]);
    expect(verdict?.text[0]).toBe(
      "inspected 21,400 objects, usually 216,000-228,000: a tenth of the usual; was a drive or DOMAIN entry lost?",
    );
  });

  it("ten times the usual duration is too long; a few minutes is too short", () => {
    const long = judgeRun({ objectsInspected: 220_000, elapsedSeconds: 34_400 }, steadyNights(20));
    expect(long?.reasons).toEqual(["too-long"]);
    expect(long?.text[0]).toMatch(/^ran 9 h 33 min, usually 51 min-1 h 3 min: 10 times the usual; /);
    const quick = judgeRun({ objectsInspected: 220_000, elapsedSeconds: 200 }, steadyNights(20));
    expect(quick?.reasons).toEqual(["too-short"]);
  });

  it("a lost drive that also ends quickly carries both reasons", () => {
    expect(judgeRun({ objectsInspected: 20_000, elapsedSeconds: 300 }, steadyNights(20))?.reasons).toEqual([
      "too-few-objects",
      "too-short",
    ]);
  });

  it("bounds are wide while the history is short", () => {
    const history = steadyNights(6);
    // A third of the usual objects: suspicious on a steady history, not yet on six nights.
    expect(judgeRun({ objectsInspected: 73_000, elapsedSeconds: 3300 }, steadyNights(20))?.reasons).toEqual(["too-few-objects"]);
    expect(judgeRun({ objectsInspected: 73_000, elapsedSeconds: 3300 }, history)).toBeNull();
    // A tenth is suspicious even then.
    expect(judgeRun({ objectsInspected: 21_000, elapsedSeconds: 3300 }, history)?.reasons).toEqual(["too-few-objects"]);
  });

  it("a node that grows a little every night is never suspicious", () => {
    // 60 nights, each 2% more objects and a little longer; judge each against its own earlier nights.
    const nights: RunMeasure[] = Array.from({ length: 60 }, (_, i) => ({
      objectsInspected: Math.round(100_000 * 1.02 ** i),
      elapsedSeconds: Math.round(1800 * 1.02 ** i),
    }));
    for (let i = 0; i < nights.length; i++) {
      const history = nights.slice(0, i).reverse();
      expect(judgeRun(nights[i]!, history), `night ${i}`).toBeNull();
    }
  });

  it("a noisy node's ordinary spread is not suspicious", () => {
    const noisy: RunMeasure[] = Array.from({ length: 20 }, (_, i) => ({ objectsInspected: 50_000, elapsedSeconds: i % 2 ? 600 : 4800 }));
    expect(judgeRun({ objectsInspected: 50_000, elapsedSeconds: 5400 }, noisy)).toBeNull();
  });

  it("short runs differ by minutes, not ratios: a 1-minute night after 10-second nights is fine", () => {
    const tiny: RunMeasure[] = Array.from({ length: 20 }, () => ({ objectsInspected: 1000, elapsedSeconds: 10 }));
    expect(judgeRun({ objectsInspected: 1000, elapsedSeconds: 60 }, tiny)).toBeNull();
  });

  it("runs without numbers are neither learned from nor judged", () => {
    const blank: RunMeasure[] = Array.from({ length: 20 }, () => ({ objectsInspected: null, elapsedSeconds: null }));
    expect(judgeRun({ objectsInspected: 1, elapsedSeconds: 1 }, blank)).toBeNull();
    expect(judgeRun({ objectsInspected: null, elapsedSeconds: null }, steadyNights(20))).toBeNull();
  });

  it("formats durations as staff read them", () => {
    expect([formatDuration(40), formatDuration(720), formatDuration(3600), formatDuration(7500)]).toEqual([
      "40 s",
      "12 min",
      "1 h",
      "2 h 5 min",
    ]);
  });
});
