import { z } from "zod";
import type { FailureCause, Message } from "../schemas/event";

/** Causes of a MISSED window (shared/domain.md "Diagnosis"), in the order they are tried. */
export const missedCause = z.enum([
  "node-retired",
  "node-locked",
  "password-expired",
  "started-too-late",
  "pre-command-failed",
  "machine-off",
  "machine-asleep",
  "off-network",
  "scheduler-not-running",
  "unknown",
]);
export type MissedCause = z.infer<typeof missedCause>;

/**
 * Every cause a diagnosis can name: a missed window's, a failure's from the client log (parse
 * contract), or `machine-died` for an in-progress event whose agent fell silent past its window.
 */
export type DiagnosisCause = MissedCause | FailureCause | "machine-died";

/** One fact behind a diagnosis, as a person reads it. `at` is an ISO instant when the fact has a time. */
export interface EvidenceFact {
  kind: "flag" | "message" | "heartbeat" | "clock-jump" | "boot" | "node" | "status-block" | "agent";
  text: string;
  at: string | null;
  /** The ANS message ID, for `message` facts. */
  code?: string;
}

export interface Diagnosis {
  cause: DiagnosisCause;
  /** Facts behind the cause, strongest first. */
  evidence: EvidenceFact[];
  /** Steps a person can follow, in order. */
  remedy: string[];
  /** A failure that lost no data (sign-off-only): shown, but nothing to act on. */
  benign: boolean;
}

/** An ANS message the server holds (in an event or a problem), with its instant. */
export type EvidenceMessage = Pick<Message, "code" | "cause" | "days"> & {
  flag?: Message["flag"] | null;
  at: Date | null;
};

/** One agent heartbeat: is the machine on, awake, on the network, its scheduler up. */
export interface HeartbeatEvidence {
  at: Date;
  bootedAt: Date | null;
  /** Seconds the wall clock jumped past the monotonic clock since the previous beat: the machine slept. */
  clockJumpSeconds: number | null;
  serverReachable: boolean | null;
  schedulerRunning: boolean | null;
}
