/**
 * Everything that can go wrong while getting a database ready and that a person can fix.
 * `message` is one line that names the problem and a way out, so callers print it as-is
 * (`console.error(err.message)`) instead of a stack trace.
 */
export type DbSetupErrorCode =
  | "bad-config"
  | "connection-failed"
  | "not-empty"
  | "migration-folder-invalid"
  | "migration-modified"
  | "migration-failed-earlier"
  | "migration-failed"
  | "migration-lock-timeout"
  | "port-in-use"
  | "already-running"
  | "version-mismatch"
  | "data-dir-invalid"
  | "data-dir-unreachable"
  | "start-failed"
  | "no-space"
  | "no-test-server";

export class DbSetupError extends Error {
  override readonly name = "DbSetupError";

  constructor(
    readonly code: DbSetupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    // A message with line breaks would defeat the one-line promise; fold them here once.
    super(message.replace(/\s*\n\s*/g, " "), options);
  }
}

/** host:port/database of a connection URL, without the password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "the configured server";
  }
}

/** Turns a failed connect into a DbSetupError; returns other errors unchanged. */
export function connectionError(err: unknown, url: string, hint = "check DATABASE_URL"): unknown {
  const e = err as { code?: string; message?: string };
  const where = describeUrl(url);
  const database = where.split("/")[1] ?? "";
  switch (e.code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
      return new DbSetupError("connection-failed", `cannot reach PostgreSQL at ${where} (${e.code}): is the server running? ${hint}`, {
        cause: err,
      });
    case "3D000":
      return new DbSetupError(
        "connection-failed",
        `database "${database}" does not exist on ${where}: create it (createdb ${database}) or ${hint}`,
        { cause: err },
      );
    case "28P01":
    case "28000":
      return new DbSetupError("connection-failed", `PostgreSQL at ${where} refused the login (${e.message}): ${hint}`, { cause: err });
    default:
      return err;
  }
}
