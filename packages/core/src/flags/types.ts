import type { EvidenceFact, EvidenceMessage } from "../diagnosis/types";
import type { ContactFacts, StaleLadder } from "../fleet/stale";
import type { FailureCause, WindowOutcome } from "../schemas/event";
import type { SiteSettings } from "../settings/site-settings";
import type { FlagKind } from "./kinds";

/** What the server knows of a node, beyond its windows. */
export interface NodeFacts {
  name: string;
  /** Taken out of service by staff: off every check. */
  deregistered: boolean;
  /** NODES.LOCKED as last read from the TSM server; null when nothing reads it. */
  locked: boolean | null;
  /** When the server's node record (LOCKED, PWSET_TIME) was last read. */
  serverCheckedAt: Date | null;
  /** NODES.PWSET_TIME. */
  passwordSetAt: Date | null;
  /** NODES.PASSEXP for this node when set (0: never expires); null: the site's passwordExpiryDays. */
  passwordExpiryDays: number | null;
  /** Contact of every kind; `knownSince` is the registration or when Fleetwatch first knew the node. */
  contact: ContactFacts;
  /** The node's last completed backup as the derived state keeps it, for a history passed only in part. */
  lastCompletedAt: Date | null;
  /** The node's unresolved duplicate pair (fleet/duplicates), or null. */
  duplicate: { otherName: string; score: number; evidence: readonly string[]; since: Date | null } | null;
  /** The agent's latest check of the DOMAIN entries: the ones that are no file system. */
  domainCheck: { at: Date; invalid: readonly string[] } | null;
}

/** One window of the node's history with its outcome. Any order. */
export interface HistoryWindow {
  scheduledStart: Date;
  outcome: WindowOutcome;
  benign: boolean;
  startedAt: Date | null;
  endedAt: Date | null;
  /** From the status block; null when there was none. */
  failedObjects: number | null;
  returnCode: number | null;
  causes: readonly FailureCause[];
}

/** Messages around the node (its events' and problems'), with instants. Any order. */
export interface FlagEvidenceInput {
  messages: readonly EvidenceMessage[];
}

/** A flag that should be open, from when, why, and a line for people. */
export interface WantedFlag {
  kind: FlagKind;
  since: Date;
  evidence: EvidenceFact[];
  detail: string;
  /** For `stale`: where the node stands on the stale ladder. */
  ladder?: StaleLadder;
}

export interface RuleContext {
  node: NodeFacts;
  /** Oldest first. */
  history: readonly HistoryWindow[];
  messages: readonly (EvidenceMessage & { at: Date })[];
  settings: SiteSettings;
  /** The node's profile counts a run that skipped files (rc 4) as a failure. */
  skippedCountsAsFailure?: boolean;
  now: Date;
}
