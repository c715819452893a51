import { remedyFor } from "../diagnosis/remedy";
import type { DiagnosisCause } from "../diagnosis/types";
import { causeLabel, flagWords } from "../diagnosis/words";
import type { WantedFlag } from "../flags/types";
import { isSuccess } from "../fleet/node-state";
import type { WindowOutcome } from "../schemas/event";
import { type AlertCondition, type AlertSeverity, alertCondition, compareSeverity, conditionOfFlag, conditionsOfCause } from "./conditions";

/** One closed or open window of the node, as an alert reads it. */
export interface AlertWindow {
  scheduledStart: Date;
  /** The node's local start, `YYYY-MM-DDTHH:MM`: how staff name a night. */
  localStart: string;
  schedule: string;
  outcome: WindowOutcome;
  benign: boolean;
  cause: string | null;
}

/** Everything the alert rules read about one node in service. */
export interface NodeAlertFacts {
  name: string;
  os: string | null;
  /** The flags that are open now (after the judge reconciled them). */
  flags: readonly WantedFlag[];
  /** The node's newest windows, any order. */
  history: readonly AlertWindow[];
  /** The newest completed run, when the judge found it suspicious (its words). */
  suspicious: { window: AlertWindow; text: readonly string[]; summary: string } | null;
  /** The newest bad night a maintenance window excused (it is not in `history`). */
  excusedAt?: Date | null;
  /**
   * The node's duplicate pair (fleet/duplicates): the other's name, and whether this node is the
   * dead half (the one to deregister), the live one, or nobody can tell.
   */
  duplicate?: { otherName: string; role: "dead" | "live" | "unknown" } | null;
  /** The agent's last heartbeat, and the last sign of the node from elsewhere (its events, the TSM server's access). */
  contact?: { lastHeartbeatAt: Date | null; lastSeenElsewhereAt: Date | null };
  /** From the node's profile and override: bypassed (watched, never alerted), and the severity of "not backed up". */
  policy?: { bypass: boolean; backupSeverity: AlertSeverity | null };
  now?: Date;
}

/**
 * How long an agent may be silent, with nothing else seen of its node, before the silence is news:
 * a laptop asleep for the night or a PC switched off over a weekend is not.
 */
export const NEWS_GRACE_HOURS = 24;

/** A condition that is true now, in words, with how bad it is and how often it has happened. */
export interface ActiveCondition {
  condition: AlertCondition;
  severity: AlertSeverity;
  /** When the condition began (its first bad night, the flag's start). */
  since: Date;
  /** How many times it has happened since it began (bad nights); 1 for a standing condition. */
  occurrences: number;
  title: string;
  body: string;
  /** For "not backed up": its newest bad night (local date) and cause, which incidents group by. */
  newest?: { night: string; cause: string | null };
}

/** Bad nights listed in an alert's words; the count says how many there were in all. */
const NIGHTS_SHOWN = 7;

/** Causes that say a machine was simply not there: on a laptop or a switched-off PC, no news yet. */
const ABSENT: ReadonlySet<string> = new Set(["machine-off", "machine-asleep", "off-network"]);

const isBad = (w: AlertWindow) =>
  (w.outcome === "missed" || w.outcome === "failed" || w.outcome === "severed" || w.outcome === "aborted") && !w.benign;

/** `2026-12-02T21:00` -> `2 Dec`: the night as staff say it. */
export function nightWords(localStart: string): string {
  const [y, m, d] = localStart.slice(0, 10).split("-").map(Number) as [number, number, number];
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
  return `${d} ${month}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The conditions true on a node now, at most one per condition, from its open flags and its
 * newest windows. A night that failed or was missed opens "backup" even before any flag rule
 * (N in a row) holds; the flags make it worse, never a second alert.
 */
export function activeConditions(facts: NodeAlertFacts): ActiveCondition[] {
  // Bypassed: its windows, flags and verdicts are kept and shown, but nothing about it alerts.
  if (facts.policy?.bypass) return [];
  const backup = backupCondition(facts);
  const standing: ActiveCondition[] = [];
  const duplicate = duplicateCondition(facts, backup);
  if (duplicate) standing.push(duplicate);
  const silence = silenceCondition(facts);
  if (silence) standing.push(silence);
  const stale = staleCondition(facts);
  if (stale) standing.push(stale);
  const byCondition = new Map<AlertCondition, WantedFlag[]>();
  for (const f of facts.flags) {
    const c = conditionOfFlag[f.kind];
    if (c === "backup" || c === "duplicate-suspect" || c === "agent-silent" || c === "stale") continue;
    byCondition.set(c, [...(byCondition.get(c) ?? []), f]);
  }
  for (const [condition, flags] of byCondition) {
    const flag = flags[0] as WantedFlag;
    standing.push({
      condition,
      severity: flagSeverity(flag.kind),
      since: new Date(Math.min(...flags.map((f) => f.since.getTime()))),
      occurrences: 1,
      title: `${facts.name}: ${flagWords[flag.kind]}`,
      body: flags.map((f) => f.detail).join("\n"),
    });
  }
  const owner = backup ? ownerOfNights(unheldBadNights(facts), standing) : null;
  const out = owner ? standing.map((c) => (c === owner ? takeNights(c, backup as ActiveCondition) : c)) : standing;
  if (backup && !owner) out.push(backup);
  if (facts.suspicious && !backup) {
    const s = facts.suspicious;
    out.push({
      condition: "suspicious-run",
      severity: "warning",
      since: s.window.scheduledStart,
      occurrences: 1,
      title: `${facts.name}: suspicious run ${s.window.schedule} on ${nightWords(s.window.localStart)}`,
      body: [`Completed, but ${s.summary}: a silent failure?`, ...s.text.map((t) => `- ${t}`)].join("\n"),
    });
  }
  return out.sort((a, b) => compareSeverity(a.severity, b.severity));
}

/**
 * The standing condition that owns every one of these bad nights (conditionsOfCause), or null when
 * a night is none's: then "not backed up" is an alert of its own. A duplicate that is no dead half
 * (occurrences 0) owns nothing.
 */
function ownerOfNights(bad: readonly AlertWindow[], standing: readonly ActiveCondition[]): ActiveCondition | null {
  const first = bad[0];
  if (!first) return null;
  const claims = (w: AlertWindow, c: AlertCondition) => conditionsOfCause[(w.cause ?? "unknown") as DiagnosisCause]?.includes(c) ?? false;
  for (const condition of conditionsOfCause[(first.cause ?? "unknown") as DiagnosisCause] ?? []) {
    const owner = standing.find((c) => c.condition === condition && (condition !== "duplicate-suspect" || c.occurrences > 0));
    if (owner && bad.every((w) => claims(w, condition))) return owner;
  }
  return null;
}

/**
 * A standing condition grown by the bad nights it caused: their count, the worse severity, and
 * the nights' lines and remedy under its own words. The duplicate's and the stale ladder's own
 * words already say what their nights mean.
 */
function takeNights(owner: ActiveCondition, backup: ActiveCondition): ActiveCondition {
  if (owner.condition === "duplicate-suspect" || owner.condition === "stale") return owner;
  const what = backup.title.slice(backup.title.indexOf(": ") + 2);
  return {
    ...owner,
    severity: compareSeverity(backup.severity, owner.severity) < 0 ? backup.severity : owner.severity,
    since: backup.since.getTime() < owner.since.getTime() ? backup.since : owner.since,
    occurrences: backup.occurrences,
    title: `${owner.title}: ${what}`,
    body: [owner.body, backup.body].filter(Boolean).join("\n"),
  };
}

/**
 * The stale ladder as one alert that climbs: warned (info), warned again with the date, a final
 * warning, deregistration proposed (warnings). Each step grows the same alert.
 */
function staleCondition(facts: NodeAlertFacts): ActiveCondition | null {
  const flag = facts.flags.find((f) => f.kind === "stale");
  if (!flag?.ladder) return null;
  const { stage, step } = flag.ladder;
  const what = {
    warned: "no contact for weeks",
    announced: "no contact for weeks",
    final: "final warning before deregistration",
    proposed: "deregister it?",
  }[stage];
  return {
    condition: "stale",
    severity: stage === "final" || stage === "proposed" ? "warning" : "info",
    since: flag.since,
    occurrences: step,
    title: `${facts.name}: ${what}`,
    body: flag.detail,
  };
}

/** The nights missed since the agent fell silent: no news of them yet, so no verdict to alert on. */
function heldNights(facts: NodeAlertFacts): (w: AlertWindow) => boolean {
  const silentSince = facts.flags.some((f) => f.kind === "agent-silent") ? facts.contact?.lastHeartbeatAt : null;
  if (!silentSince) return () => false;
  return (w) => w.outcome === "missed" && w.scheduledStart.getTime() >= silentSince.getTime();
}

/**
 * An agent that stopped reporting is news when its node is seen otherwise (events, the server's
 * access: the machine is up, the agent is not) or after NEWS_GRACE_HOURS of silence; before
 * that it is a machine asleep or off, and its missed nights wait for the news.
 */
function silenceCondition(facts: NodeAlertFacts): ActiveCondition | null {
  const flag = facts.flags.find((f) => f.kind === "agent-silent");
  const last = facts.contact?.lastHeartbeatAt;
  if (!flag || !last) return null;
  const elsewhere = facts.contact?.lastSeenElsewhereAt;
  const seen = elsewhere !== null && elsewhere !== undefined && elsewhere.getTime() > last.getTime();
  const hours = facts.now ? (facts.now.getTime() - last.getTime()) / 3_600_000 : 0;
  if (!seen && hours < NEWS_GRACE_HOURS) return null;
  const held = badNights(facts).filter(heldNights(facts));
  return {
    condition: "agent-silent",
    severity: "warning",
    since: flag.since,
    occurrences: 1,
    title: `${facts.name}: no news for ${Math.floor(hours)} h${seen ? " (the node is seen, its agent silent)" : ""}`,
    body: [
      flag.detail,
      ...held.map((w) => `${w.schedule} on ${w.localStart.slice(0, 16).replace("T", " ")}: no news yet (backed up or not is unknown)`),
    ].join("\n"),
  };
}

/**
 * A duplicate pair is one problem: the alert goes to the half to deregister (or, when nobody can
 * tell, to one of the two), and takes over that half's misses when every one is a retired node's.
 */
function duplicateCondition(facts: NodeAlertFacts, backup: ActiveCondition | null): ActiveCondition | null {
  const flag = facts.flags.find((f) => f.kind === "duplicate-suspect");
  const pair = facts.duplicate;
  if (!flag || !pair || pair.role === "live" || (pair.role === "unknown" && facts.name > pair.otherName)) return null;
  const misses = backup ? badNights(facts) : [];
  const first = misses[0];
  if (pair.role !== "dead" || !backup || !first || !misses.every((w) => w.cause === "node-retired")) {
    return {
      condition: "duplicate-suspect",
      severity: "info",
      since: flag.since,
      occurrences: 0,
      title: `${facts.name}: looks like the same machine as ${pair.otherName}`,
      body: flag.detail,
    };
  }
  return {
    condition: "duplicate-suspect",
    severity: "warning",
    since: backup.since,
    occurrences: backup.occurrences,
    title: `${facts.name}: an old name of ${pair.otherName} (missed ${plural(misses.length, "night")} since ${nightWords(first.localStart)}): deregister it`,
    body: [flag.detail, `${pair.otherName} is backed up while ${facts.name} only misses: the same machine under a new name.`].join("\n"),
  };
}

function flagSeverity(kind: WantedFlag["kind"]): AlertSeverity {
  switch (kind) {
    case "locked":
    case "password-expired":
    case "auth-broken":
      return "critical";
    case "config-error":
    case "agent-silent":
      return "warning";
    default:
      return "info";
  }
}

/** The closed nights oldest first, and the index of the newest success (-1: none in the history read). */
function sinceLastSuccess(facts: NodeAlertFacts) {
  const closed = facts.history
    .filter((w) => w.outcome !== "in-progress")
    .sort((a, b) => a.scheduledStart.getTime() - b.scheduledStart.getTime());
  let lastSuccess = -1;
  closed.forEach((w, i) => {
    if (isSuccess(w)) lastSuccess = i;
  });
  return { closed, lastSuccess };
}

/** The bad nights since the last completed backup that are news (not held for a silent agent), oldest first. */
function unheldBadNights(facts: NodeAlertFacts): AlertWindow[] {
  const held = heldNights(facts);
  return badNights(facts).filter((w) => !held(w));
}

/** The bad nights since the last completed backup, oldest first. */
function badNights(facts: NodeAlertFacts): AlertWindow[] {
  const { closed, lastSuccess } = sinceLastSuccess(facts);
  return closed.slice(lastSuccess + 1).filter(isBad);
}

/**
 * Not backed up: the bad nights since the last completed backup, and the flags that read the
 * same history (repeats, at-risk, needs-manual-backup). One alert whose count and words grow.
 */
function backupCondition(facts: NodeAlertFacts): ActiveCondition | null {
  const flags = facts.flags.filter((f) => conditionOfFlag[f.kind] === "backup");
  const { closed, lastSuccess } = sinceLastSuccess(facts);
  const held = heldNights(facts);
  const allBad = closed.slice(lastSuccess + 1).filter(isBad);
  const bad = allBad.filter((w) => !held(w));
  if (bad.length === 0 && flags.length === 0) return null;
  // Silence alone (its nights held, its at-risk and repeats their consequence) is the agent's alert, not this one.
  if (bad.length === 0 && allBad.length > 0) return null;
  if (bad.length === 0 && flags.every((f) => f.kind === "at-risk") && facts.flags.some((f) => f.kind === "agent-silent")) return null;
  // No backup for a while because of maintenance is what maintenance means: at-risk alone waits
  // for a real bad night after it.
  const newestSuccess = closed[lastSuccess]?.scheduledStart.getTime() ?? Number.NEGATIVE_INFINITY;
  if (bad.length === 0 && flags.every((f) => f.kind === "at-risk") && facts.excusedAt && facts.excusedAt.getTime() > newestSuccess)
    return null;

  const has = (kind: WantedFlag["kind"]) => flags.some((f) => f.kind === kind);
  // Unsaved data is always critical; otherwise the profile may set how loud "not backed up" is.
  const severity: AlertSeverity = has("needs-manual-backup")
    ? "critical"
    : (facts.policy?.backupSeverity ??
      (flags.length > 0 || bad.some((w) => w.outcome !== "missed" || !ABSENT.has(w.cause ?? "")) ? "warning" : "info"));
  const first = bad[0];
  const newest = bad[bad.length - 1];
  // The history read is the newest nights only: when every one is bad the run may be longer.
  const atLeast = lastSuccess === -1 && bad.length === closed.length && closed.length > 1 ? "at least " : "";
  const missed = bad.filter((w) => w.outcome === "missed").length;
  const what =
    bad.length === 0
      ? ((flags.find((f) => f.kind === "at-risk") ?? flags[0])?.detail ?? "no completed backup")
      : missed === bad.length
        ? `missed ${atLeast}${plural(bad.length, "night")}${bad.length > 1 ? " in a row" : ""}`
        : missed === 0
          ? `failed ${atLeast}${plural(bad.length, "night")}${bad.length > 1 ? " in a row" : ""}`
          : `${atLeast}${plural(bad.length, "night")} without a backup (${missed} missed, ${bad.length - missed} failed)`;
  const title = `${facts.name}: ${what}${first ? ` since ${nightWords(first.localStart)}` : ""}${has("needs-manual-backup") ? ": run a manual backup" : ""}`;

  const lines: string[] = [];
  // Each bad night with its cause (the newest few), then what to do about the newest.
  const shown = bad.slice(-NIGHTS_SHOWN).reverse();
  for (const w of shown)
    lines.push(
      `${w.outcome.toUpperCase()} ${w.schedule} on ${w.localStart.slice(0, 16).replace("T", " ")}: ${causeLabel(w.cause ?? "unknown")}`,
    );
  if (bad.length > shown.length) lines.push(`(and ${plural(bad.length - shown.length, "earlier night")})`);
  if (newest) {
    lines.push("What to do:");
    lines.push(...remedyFor((newest.cause ?? "unknown") as DiagnosisCause, facts.os).map((s, i) => `${i + 1}. ${s}`));
  }
  for (const f of flags) lines.push(`${flagWords[f.kind]}: ${f.detail}`);
  return {
    ...(newest ? { newest: { night: newest.localStart.slice(0, 10), cause: newest.cause } } : {}),
    condition: "backup",
    severity,
    since: first?.scheduledStart ?? new Date(Math.min(...flags.map((f) => f.since.getTime()))),
    occurrences: Math.max(1, bad.length),
    title,
    body: lines.join("\n"),
  };
}

/** Why each condition that is not true now has cleared, in words, for the resolved alert's history. */
export function clearedReasons(facts: NodeAlertFacts): Record<AlertCondition, string> {
  if (facts.policy?.bypass) {
    const bypassed = "the node was bypassed: watched, never alerted";
    return Object.fromEntries(alertCondition.options.map((c) => [c, bypassed])) as Record<AlertCondition, string>;
  }
  const newestSuccess = [...facts.history]
    .filter((w) => w.outcome !== "in-progress" && isSuccess(w))
    .sort((a, b) => b.scheduledStart.getTime() - a.scheduledStart.getTime())[0];
  return {
    backup: newestSuccess ? `a completed backup on ${nightWords(newestSuccess.localStart)}` : "no bad night or flag is left",
    "suspicious-run": "a later run looked ordinary",
    locked: "the TSM server says the node is unlocked",
    password: "the TSM password was changed",
    "auth-broken": "the scheduler signed on again",
    "config-error": "the agent's DOMAIN check passed",
    "agent-silent": "the agent reported again",
    stale: "the node made contact again",
    "duplicate-suspect": "the node no longer looks like a duplicate",
  };
}
