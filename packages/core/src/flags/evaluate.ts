import type { EvidenceMessage } from "../diagnosis/types";
import { agentSilence, staleLadder, staleness } from "../fleet/stale";
import type { SiteSettings } from "../settings/site-settings";
import { authBrokenFlag, configErrorFlag, lockedFlag, passwordExpiredFlag, passwordExpiringFlag } from "./access";
import { atRiskFlag, needsManualBackupFlag, repeatedFailuresFlag, repeatedMissesFlag } from "./history";
import { type FlagKind, flagKind } from "./kinds";
import type { FlagEvidenceInput, HistoryWindow, NodeFacts, RuleContext, WantedFlag } from "./types";

const iso = (d: Date) => d.toISOString();

/**
 * The flags that should be open on a node now: exactly shared/domain.md's table, each with when
 * it began, its evidence and a line for people, in the table's order. A deregistered node is off
 * every check: no flags. Messages with no time cannot be placed against a clean session: ignored.
 */
export function evaluateFlags(
  node: NodeFacts,
  history: readonly HistoryWindow[],
  evidence: FlagEvidenceInput,
  settings: SiteSettings,
  now: Date,
  opts: { skippedCountsAsFailure?: boolean } = {},
): WantedFlag[] {
  if (node.deregistered) return [];
  const ctx: RuleContext = {
    skippedCountsAsFailure: opts.skippedCountsAsFailure ?? false,
    node,
    history: [...history].sort((a, b) => a.scheduledStart.getTime() - b.scheduledStart.getTime()),
    messages: evidence.messages
      .filter((m): m is EvidenceMessage & { at: Date } => m.at !== null)
      .sort((a, b) => a.at.getTime() - b.at.getTime()),
    settings,
    now,
  };
  const expired = passwordExpiredFlag(ctx);
  const wanted = [
    lockedFlag(ctx),
    expired,
    // An expired password is past warning about.
    expired ? null : passwordExpiringFlag(ctx),
    authBrokenFlag(ctx),
    repeatedMissesFlag(ctx),
    repeatedFailuresFlag(ctx),
    needsManualBackupFlag(ctx),
    atRiskFlag(ctx),
    duplicateFlag(ctx),
    staleFlag(ctx),
    agentSilentFlag(ctx),
    configErrorFlag(ctx),
  ].filter((f): f is WantedFlag => f !== null);
  const order = flagKind.options;
  return wanted.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

function duplicateFlag(ctx: RuleContext): WantedFlag | null {
  const pair = ctx.node.duplicate;
  if (!pair) return null;
  return {
    kind: "duplicate-suspect",
    since: pair.since ?? ctx.now,
    evidence: pair.evidence.map((text) => ({ kind: "node", at: null, text })),
    detail: `looks like the same machine as ${pair.otherName} (score ${pair.score})`,
  };
}

function staleFlag(ctx: RuleContext): WantedFlag | null {
  const s = staleness(ctx.node.contact, ctx.settings, ctx.now);
  const from = s.lastContactAt ?? ctx.node.contact.knownSince;
  const ladder = from ? staleLadder(s, ctx.settings, from) : null;
  if (!s.stale || !s.staleSince || !ladder) return null;
  const removal = ladder.removalOn.toISOString().slice(0, 10);
  const step = {
    warned: "",
    announced: `: deregistration will be proposed on ${removal}`,
    final: `: final warning, deregistration will be proposed on ${removal}`,
    proposed: `: deregistration proposed (since ${removal})`,
  }[ladder.stage];
  return {
    ladder,
    kind: "stale",
    since: s.staleSince,
    evidence: [
      {
        kind: "node",
        at: s.lastContactAt ? iso(s.lastContactAt) : null,
        text: s.lastContactAt ? `last contact of any kind: ${iso(s.lastContactAt)}` : "no contact of any kind since the node became known",
      },
    ],
    detail: `no contact for ${s.daysSilent} days${step}`,
  };
}

function agentSilentFlag(ctx: RuleContext): WantedFlag | null {
  const s = agentSilence(ctx.node.contact.lastHeartbeatAt, ctx.settings, ctx.now);
  if (!s.silent || !s.silentSince || !s.lastHeartbeatAt) return null;
  return {
    kind: "agent-silent",
    since: s.silentSince,
    evidence: [{ kind: "heartbeat", at: iso(s.lastHeartbeatAt), text: `last heartbeat ${iso(s.lastHeartbeatAt)}` }],
    detail: `no heartbeat for ${s.minutesSilent} minutes`,
  };
}

/**
 * What to do with a node's open flags to match the wanted ones: raise the kinds not open, clear
 * the open kinds no longer wanted, and keep the rest (the open flag keeps its `since`; the wanted
 * one carries fresh evidence and detail, e.g. fewer days left). One open flag per kind.
 */
export function diffFlags<Open extends { kind: FlagKind }>(
  open: readonly Open[],
  wanted: readonly WantedFlag[],
): { raise: WantedFlag[]; clear: Open[]; keep: { open: Open; wanted: WantedFlag }[] } {
  const wantedByKind = new Map(wanted.map((w) => [w.kind, w]));
  const openKinds = new Set(open.map((o) => o.kind));
  const keep: { open: Open; wanted: WantedFlag }[] = [];
  const clear: Open[] = [];
  const seen = new Set<FlagKind>();
  for (const o of open) {
    const w = wantedByKind.get(o.kind);
    // A second open flag of one kind is a leftover: cleared, so one stays.
    if (w && !seen.has(o.kind)) keep.push({ open: o, wanted: w });
    else clear.push(o);
    seen.add(o.kind);
  }
  return { raise: wanted.filter((w) => !openKinds.has(w.kind)), clear, keep };
}
