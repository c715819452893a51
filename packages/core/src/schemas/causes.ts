/**
 * Failure causes in the parse contract's priority order. A plain array, apart from the zod schema
 * built on it, so the agent's bundle can read the order without loading zod.
 */
export const failureCauses = [
  "node-locked",
  "password-expired",
  "auth-failure",
  "server-refused",
  "cancelled-by-server",
  "server-out-of-space",
  "invalid-domain",
  "out-of-memory",
  "pre-command-failed",
  "communication-lost",
  "corrupt-files",
  "files-changed",
  "files-skipped",
  "aborted",
  "sign-off-only",
  "unknown",
] as const;
