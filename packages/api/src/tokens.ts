import { createHash, randomBytes } from "node:crypto";

/** Tokens are random; only their SHA-256 is stored, so a database leak yields no credential. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newToken(prefix: "fwa" | "fwe" | "fwb"): string {
  return `${prefix}_${randomBytes(24).toString("base64url")}`;
}
