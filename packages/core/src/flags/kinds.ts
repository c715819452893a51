import { z } from "zod";

/** The standing conditions of shared/domain.md "Flags on a node" (and the database's FlagKind). */
export const flagKind = z.enum([
  "locked",
  "password-expired",
  "password-expiring",
  "auth-broken",
  "repeated-misses",
  "repeated-failures",
  "needs-manual-backup",
  "at-risk",
  "duplicate-suspect",
  "stale",
  "agent-silent",
  "config-error",
]);
export type FlagKind = z.infer<typeof flagKind>;
