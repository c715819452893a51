import { randomBytes } from "node:crypto";
import type { ApiKeyScope, Role } from "@fleetwatch/db/client";
import { z } from "zod";
import { type Caller, lowerRole } from "../../caller";
import type { Db } from "../../context";
import { DomainError, notFound } from "../../errors";
import { hashToken } from "../../tokens";
import { audit } from "./audit";

/** What each scope acts as: a key is a role, never more (and never more than its maker now is). */
export const SCOPE_ROLE: Record<ApiKeyScope, Role> = { read: "viewer", write: "operator", admin: "admin" };

export const apiKeyScope = z.enum(["read", "write", "admin"]);

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "give the key a name").max(100),
  scope: apiKeyScope,
  /** When the key stops working; null or absent: until revoked. */
  expiresAt: z.coerce.date().nullable().default(null),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

/** `fw_` and 32 random bytes: recognisable in a leak scan, unguessable, only its SHA-256 kept. */
function newApiKey(): string {
  return `fw_${randomBytes(32).toString("base64url")}`;
}

/** Shown in lists so a person can tell keys apart; far too short to be of use to anyone else. */
const prefixOf = (key: string) => key.slice(0, 7);

/** Make a key; the only time its text is returned. Audited. */
export async function createApiKey(db: Db, caller: Caller, input: CreateApiKeyInput & { now: Date }) {
  if (caller.kind !== "user") throw new DomainError("FORBIDDEN", "only a signed-in admin makes API keys");
  if (input.expiresAt && input.expiresAt.getTime() <= input.now.getTime()) {
    throw new DomainError("BAD_REQUEST", "expiresAt: the expiry must be in the future");
  }
  const key = newApiKey();
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        name: input.name,
        scope: input.scope,
        tokenHash: hashToken(key),
        prefix: prefixOf(key),
        createdById: caller.userId,
        createdAt: input.now,
        expiresAt: input.expiresAt,
      },
      select: { id: true, name: true, scope: true, prefix: true, createdAt: true, expiresAt: true },
    });
    await audit(tx, caller, {
      action: "apikey.create",
      targetType: "apikey",
      targetId: row.id,
      detail: { name: row.name, scope: row.scope, prefix: row.prefix, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { ...row, key };
  });
}

export async function listApiKeys(db: Db) {
  const rows = await db.apiKey.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      scope: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
  });
  return rows.map(({ createdBy, ...k }) => ({ ...k, createdBy: createdBy.email }));
}

/** Revoke a key at once: its next request is refused (401). Audited. */
export async function revokeApiKey(db: Db, caller: Caller, args: { keyId: string; now: Date }) {
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: args.keyId }, select: { id: true, name: true, prefix: true, revokedAt: true } });
    if (!key) throw notFound("API key");
    if (key.revokedAt) throw new DomainError("CONFLICT", `API key ${key.name} is already revoked`);
    await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: args.now } });
    await audit(tx, caller, {
      action: "apikey.revoke",
      targetType: "apikey",
      targetId: key.id,
      detail: { name: key.name, prefix: key.prefix },
    });
    return { id: key.id, revokedAt: args.now };
  });
}

/** Used-at is written at most this often per key: a script polling every second costs no write each time. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The caller an `Authorization: Bearer fw_…` header stands for, or null for no key, an unknown,
 * revoked or expired one, or one whose maker is disabled. The key acts as its scope's role capped
 * by its maker's role now: an admin demoted to viewer leaves keys that only read.
 */
export async function authenticateApiKey(db: Db, authorization: string | null, now: Date): Promise<Caller | null> {
  const bearer = authorization?.match(/^Bearer\s+(fw_\S+)$/i)?.[1];
  if (!bearer) return null;
  const key = await db.apiKey.findUnique({
    where: { tokenHash: hashToken(bearer) },
    select: {
      id: true,
      name: true,
      prefix: true,
      scope: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      createdById: true,
      createdBy: { select: { role: true, disabledAt: true } },
    },
  });
  if (!key || key.revokedAt || key.createdBy.disabledAt) return null;
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return null;
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  return {
    kind: "apiKey",
    keyId: key.id,
    name: key.name,
    prefix: key.prefix,
    role: lowerRole(SCOPE_ROLE[key.scope], key.createdBy.role),
    createdById: key.createdById,
  };
}
