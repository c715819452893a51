import { builtInProfiles, chooseProfile, nodePolicy } from "../profiles";
import { defaultSiteSettings } from "../settings/site-settings";
import type { DemoNode } from "./fleet";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The date (UTC, as the demo's clients keep time) of the latest window at `hour` that closed at
 * least `graceMinutes` before `now`. The demo's windows last an hour (TSM's default DURATION).
 */
export function lastClosedNight(hour: number, now: number, graceMinutes = 0): string {
  const today = new Date(now).toISOString().slice(0, 10);
  const closes = Date.parse(`${today}T00:00:00Z`) + (hour + 1) * HOUR_MS + graceMinutes * 60_000;
  return now >= closes ? today : new Date(now - DAY_MS).toISOString().slice(0, 10);
}

/** The built-in profiles as a new site has them, for the demo nodes' rules. */
const newSiteProfiles = builtInProfiles.map((p) => ({ ...p, id: p.name }));

/** How long after a demo node's window the judge of a new site waits before calling it MISSED. */
export function demoGraceMinutes(node: Pick<DemoNode, "name" | "os">): number {
  const facts = { name: node.name, os: node.os, policyDomain: null, server: "", profileIdByHand: null, override: null };
  return nodePolicy(defaultSiteSettings, chooseProfile(facts, newSiteProfiles), null).policy.settings.judgeGraceMinutes;
}

/**
 * A demo node's newest night at `now`: its latest window the judge of a new site has closed. Every
 * night the judge can call MISSED is in the log and none it cannot close yet, so a missed last night
 * reads as missed the moment the demo is loaded, at whatever hour.
 */
export function demoNightOf(node: Pick<DemoNode, "name" | "os" | "startHour">, now: number): string {
  return lastClosedNight(node.startHour, now, demoGraceMinutes(node));
}
