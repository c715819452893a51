import type { EvidenceFact, EvidenceMessage } from "../diagnosis/types";
import type { FailureCause } from "../schemas/event";
import type { HistoryWindow, RuleContext, WantedFlag } from "./types";

/**
 * Flags about signing on and configuration: locked, password-expired, password-expiring,
 * auth-broken, config-error. Each is raised by the server's record or by the client's messages,
 * and cleared by what shared/domain.md names: the server's word, a new password date, a clean
 * session (a backup that signed on), or a fixed configuration.
 */

const DAY = 86_400_000;
type TimedMessage = EvidenceMessage & { at: Date };

/** Failures that mean the client never got a session. */
const SESSIONLESS = new Set<FailureCause>(["node-locked", "password-expired", "auth-failure", "server-refused"]);
/** shared/domain.md `auth-broken`, plus ANS5046E: the newer wording of ANS1353E. */
const AUTH_CODES = new Set(["ANS1025E", "ANS1353E", "ANS5046E", "ANS2050E", "ANS1503E", "ANS1835E"]);
/** shared/domain.md `config-error`. */
const CONFIG_CODES = new Set(["ANS1071E", "ANS1063E", "ANS1134E"]);

/**
 * Every message a rule here reads, as values a store can filter on: no other message can change
 * a node's flags, so a caller with a large fleet need not load the rest.
 */
export const FLAG_MESSAGES = {
  codes: [...AUTH_CODES, ...CONFIG_CODES],
  causes: ["node-locked", "password-expired"],
  flags: ["password-expiring"],
} as const;

const ran = (w: HistoryWindow) => w.outcome !== "missed" && w.outcome !== "in-progress";
const timeOf = (w: HistoryWindow) => (w.startedAt ?? w.scheduledStart).getTime();
const iso = (d: Date) => d.toISOString();
const msgFact = (m: TimedMessage): EvidenceFact => ({
  kind: "message",
  code: m.code,
  at: iso(m.at),
  text: `${m.code} logged at ${iso(m.at)}`,
});

/** The latest session that signed on: a backup that ran for any reason but a refused sign-on, or the server's last access. */
export function lastCleanSession(ctx: RuleContext): number {
  const sessions = ctx.history.filter((w) => ran(w) && !w.causes.some((c) => SESSIONLESS.has(c))).map(timeOf);
  return Math.max(Number.NEGATIVE_INFINITY, ...sessions, ctx.node.contact.lastAccessAt?.getTime() ?? Number.NEGATIVE_INFINITY);
}

/** Messages matching `pick` after `after`, oldest first. */
const since = (ctx: RuleContext, after: number, pick: (m: TimedMessage) => boolean) =>
  ctx.messages.filter((m) => m.at.getTime() > after && pick(m));

export function lockedFlag(ctx: RuleContext): WantedFlag | null {
  const clean = lastCleanSession(ctx);
  const { locked, serverCheckedAt } = ctx.node;
  const checked = serverCheckedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  // The server's "unlocked" clears messages older than its reading.
  const messages = since(ctx, Math.max(clean, locked === false ? checked : Number.NEGATIVE_INFINITY), (m) => m.cause === "node-locked");
  const serverSays = locked === true && checked >= clean;
  if (!serverSays && messages.length === 0) return null;
  const evidence = [
    ...(serverSays
      ? [{ kind: "node" as const, at: serverCheckedAt ? iso(serverCheckedAt) : null, text: "the TSM server's node record says LOCKED=YES" }]
      : []),
    ...messages.map(msgFact),
  ];
  const first = Math.min(messages[0]?.at.getTime() ?? Number.POSITIVE_INFINITY, serverSays ? checked : Number.POSITIVE_INFINITY);
  return {
    kind: "locked",
    since: new Date(Number.isFinite(first) ? first : ctx.now.getTime()),
    evidence,
    detail: "the node is locked on the TSM server",
  };
}

/** When the password expires by the server's record, or null (no record, or it never expires). */
function expiresAt(ctx: RuleContext): Date | null {
  const days = ctx.node.passwordExpiryDays ?? ctx.settings.passwordExpiryDays;
  if (!ctx.node.passwordSetAt || days === 0) return null;
  return new Date(ctx.node.passwordSetAt.getTime() + days * DAY);
}

export function passwordExpiredFlag(ctx: RuleContext): WantedFlag | null {
  const clean = lastCleanSession(ctx);
  const setAt = ctx.node.passwordSetAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const expiry = expiresAt(ctx);
  const byRecord = expiry !== null && expiry.getTime() <= ctx.now.getTime() && clean <= expiry.getTime();
  const messages = since(ctx, Math.max(clean, setAt), (m) => m.cause === "password-expired");
  if (!byRecord && messages.length === 0) return null;
  const evidence: EvidenceFact[] = messages.map(msgFact);
  if (byRecord && ctx.node.passwordSetAt) {
    const days = Math.round((expiry.getTime() - ctx.node.passwordSetAt.getTime()) / DAY);
    evidence.unshift({
      kind: "node",
      at: iso(ctx.node.passwordSetAt),
      text: `password set ${iso(ctx.node.passwordSetAt)}, expired after ${days} days on ${iso(expiry)}`,
    });
  }
  const first = Math.min(byRecord ? expiry.getTime() : Number.POSITIVE_INFINITY, messages[0]?.at.getTime() ?? Number.POSITIVE_INFINITY);
  return { kind: "password-expired", since: new Date(first), evidence, detail: "the node's password has expired" };
}

export function passwordExpiringFlag(ctx: RuleContext): WantedFlag | null {
  const now = ctx.now.getTime();
  const warn = ctx.settings.passwordWarningDays * DAY;
  const setAt = ctx.node.passwordSetAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  // Each source: when the password expires, and from when that was known to be soon.
  const candidates: { expiry: number; knownAt: number; fact: EvidenceFact; logged: boolean }[] = [];
  const expiry = expiresAt(ctx);
  if (expiry) {
    const e = expiry.getTime();
    candidates.push({
      expiry: e,
      knownAt: e - warn,
      logged: false,
      fact: { kind: "node", at: iso(expiry), text: `the server's record says the password expires on ${iso(expiry)}` },
    });
  }
  // ANS8004W "expires within N days" raises it whatever the warning period; a newer password date makes it moot.
  const warning = since(ctx, setAt, (m) => m.flag === "password-expiring" && m.days != null).at(-1);
  if (warning) {
    const t = warning.at.getTime();
    candidates.push({ expiry: t + (warning.days ?? 0) * DAY, knownAt: t, logged: true, fact: msgFact(warning) });
  }
  const soonest = candidates.filter((c) => c.expiry > now && (c.logged || c.expiry - now <= warn)).sort((a, b) => a.expiry - b.expiry)[0];
  if (!soonest) return null;
  const daysLeft = Math.ceil((soonest.expiry - now) / DAY);
  return {
    kind: "password-expiring",
    since: new Date(soonest.knownAt),
    evidence: [soonest.fact],
    detail: `the password expires in ${daysLeft} day(s), on ${iso(new Date(soonest.expiry)).slice(0, 10)}`,
  };
}

export function authBrokenFlag(ctx: RuleContext): WantedFlag | null {
  const messages = since(ctx, lastCleanSession(ctx), (m) => AUTH_CODES.has(m.code));
  if (messages.length === 0) return null;
  return {
    kind: "auth-broken",
    since: (messages[0] as TimedMessage).at,
    evidence: messages.map(msgFact),
    detail: "the scheduler cannot sign on: its stored password is wrong or missing",
  };
}

export function configErrorFlag(ctx: RuleContext): WantedFlag | null {
  const check = ctx.node.domainCheck;
  const goodRuns = ctx.history.filter((w) => ran(w) && !w.causes.includes("invalid-domain")).map(timeOf);
  const lastGood = Math.max(
    Number.NEGATIVE_INFINITY,
    ...goodRuns,
    check && check.invalid.length === 0 ? check.at.getTime() : Number.NEGATIVE_INFINITY,
  );
  const messages = since(ctx, lastGood, (m) => CONFIG_CODES.has(m.code));
  const badCheck = check && check.invalid.length > 0 && check.at.getTime() > lastGood ? check : null;
  if (messages.length === 0 && !badCheck) return null;
  const evidence = messages.map(msgFact);
  if (badCheck)
    evidence.unshift({ kind: "agent", at: iso(badCheck.at), text: `DOMAIN names what is no file system: ${badCheck.invalid.join(", ")}` });
  const first = Math.min(messages[0]?.at.getTime() ?? Number.POSITIVE_INFINITY, badCheck?.at.getTime() ?? Number.POSITIVE_INFINITY);
  return {
    kind: "config-error",
    since: new Date(first),
    evidence,
    detail: "the client's DOMAIN names a drive or path that is no file system",
  };
}
