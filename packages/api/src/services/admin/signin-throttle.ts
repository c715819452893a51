import type { Db, SessionUser } from "../../context";
import { DomainError } from "../../errors";
import { audit } from "./audit";
import { verifyCredentials } from "./users";

/**
 * Password sign-in with throttling per account and per client address. The counts live in the
 * database ("SignInThrottle"), so every web replica on it sees the same ones. After a few failures
 * the wrong answers come slower; past the limit the key is refused (429) for a back-off that
 * doubles with each further failure up to `maxBackoffSeconds`, never for good: a correct password
 * once the back-off is over signs in and clears the account's count, so the last admin can always
 * get back in by waiting. Unknown emails are counted like known ones (no hint which exist).
 */
export interface SignInPolicy {
  account: { slowAfter: number; blockAfter: number };
  address: { slowAfter: number; blockAfter: number };
  /** The first back-off; each further failure doubles it, up to maxBackoffSeconds. */
  firstBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** The extra wait per failure past slowAfter, up to maxDelayMs. */
  delayStepMs: number;
  maxDelayMs: number;
  /** A key whose last failure is older than this starts again from none. */
  forgetAfterSeconds: number;
}

export const DEFAULT_SIGNIN_POLICY: SignInPolicy = {
  account: { slowAfter: 3, blockAfter: 5 },
  address: { slowAfter: 10, blockAfter: 20 },
  firstBackoffSeconds: 60,
  maxBackoffSeconds: 15 * 60,
  delayStepMs: 500,
  maxDelayMs: 3000,
  forgetAfterSeconds: 60 * 60,
};

/** The site's policy: FLEETWATCH_SIGNIN_BACKOFF_SECONDS (config/server-config.ts) sets the first back-off. */
export function signInPolicy(firstBackoffSeconds: number): SignInPolicy {
  if (firstBackoffSeconds === DEFAULT_SIGNIN_POLICY.firstBackoffSeconds) return DEFAULT_SIGNIN_POLICY;
  return { ...DEFAULT_SIGNIN_POLICY, firstBackoffSeconds };
}

type Scope = "account" | "address";
interface Key {
  scope: Scope;
  key: string;
}

function keysOf(email: string, address: string | null): Key[] {
  const keys: Key[] = [{ scope: "account", key: `account:${email.trim().toLowerCase()}` }];
  if (address) keys.push({ scope: "address", key: `address:${address}` });
  return keys;
}

export interface Refusal {
  scope: Scope;
  retryAfterSeconds: number;
  message: string;
}

/** Whether sign-ins for this email or from this address are refused now, and for how long. */
export async function signInRefusal(db: Db, args: { email: string; address: string | null; now: Date }): Promise<Refusal | null> {
  const keys = keysOf(args.email, args.address);
  const rows = await db.signInThrottle.findMany({
    where: { key: { in: keys.map((k) => k.key) }, blockedUntil: { gt: args.now } },
    select: { key: true, blockedUntil: true },
  });
  let refusal: Refusal | null = null;
  for (const row of rows) {
    const scope = keys.find((k) => k.key === row.key)?.scope ?? "account";
    const seconds = Math.max(1, Math.ceil(((row.blockedUntil as Date).getTime() - args.now.getTime()) / 1000));
    if (refusal && refusal.retryAfterSeconds >= seconds) continue;
    const whose = scope === "account" ? "for this account" : "from this address";
    refusal = { scope, retryAfterSeconds: seconds, message: `Too many failed sign-ins ${whose}; try again in ${waitText(seconds)}.` };
  }
  return refusal;
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

export type PasswordSignIn = { user: SessionUser; delayMs: 0 } | { user: null; delayMs: number };

/**
 * Check an email + password, counting the failure against the account and the address. Throws
 * TOO_MANY_REQUESTS (with retryAfterSeconds) while either is backed off, without looking at the
 * password. A failure answers with `delayMs`, how long the caller waits before saying so.
 */
export async function passwordSignIn(
  db: Db,
  args: { email: string; password: string; address: string | null; now: Date; policy?: SignInPolicy },
): Promise<PasswordSignIn> {
  const policy = args.policy ?? DEFAULT_SIGNIN_POLICY;
  const refusal = await signInRefusal(db, args);
  if (refusal) throw new DomainError("TOO_MANY_REQUESTS", refusal.message, { retryAfterSeconds: refusal.retryAfterSeconds });
  const user = await verifyCredentials(db, args.email, args.password);
  const keys = keysOf(args.email, args.address);
  if (user) {
    // The account's count goes; the address's stays (one good account must not reset a guesser's count).
    await db.signInThrottle.deleteMany({ where: { key: keys[0]?.key } });
    return { user, delayMs: 0 };
  }
  let delayMs = 0;
  for (const k of keys) delayMs = Math.max(delayMs, await countFailure(db, k, args, policy));
  return { user: null, delayMs };
}

/** One more failure for a key (atomic, whichever replica counts it); the wait it earns. */
async function countFailure(
  db: Db,
  k: Key,
  args: { email: string; address: string | null; now: Date },
  policy: SignInPolicy,
): Promise<number> {
  const forgetBefore = new Date(args.now.getTime() - policy.forgetAfterSeconds * 1000);
  const [row] = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO "SignInThrottle" ("key", "failures", "lastFailure") VALUES (${k.key}, 1, ${args.now})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "SignInThrottle"."lastFailure" < ${forgetBefore} THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
      "blockedUntil" = CASE WHEN "SignInThrottle"."lastFailure" < ${forgetBefore} THEN NULL ELSE "SignInThrottle"."blockedUntil" END,
      "lastFailure" = ${args.now}
    RETURNING "failures"`;
  const failures = row?.failures ?? 1;
  const limits = policy[k.scope];
  if (failures >= limits.blockAfter) {
    const seconds = Math.min(policy.firstBackoffSeconds * 2 ** (failures - limits.blockAfter), policy.maxBackoffSeconds);
    const until = new Date(args.now.getTime() + seconds * 1000);
    // The later of two replicas' answers wins, whichever commits last.
    await db.$executeRaw`UPDATE "SignInThrottle" SET "blockedUntil" = GREATEST(COALESCE("blockedUntil", ${until}), ${until}) WHERE "key" = ${k.key}`;
    const account = k.scope === "account" ? await accountOf(db, args.email) : null;
    await audit(
      db,
      { kind: "anonymous" },
      {
        action: "signin.throttled",
        targetType: k.scope === "account" ? "user" : "address",
        targetId: k.scope === "account" ? (account?.id ?? null) : args.address,
        detail: { email: args.email.trim().toLowerCase(), address: args.address, failures, until: until.toISOString() },
      },
    );
  }
  // Forgotten keys go with the failures that touch the table, so unknown emails do not pile up.
  await db.signInThrottle.deleteMany({
    where: { lastFailure: { lt: forgetBefore }, OR: [{ blockedUntil: null }, { blockedUntil: { lt: args.now } }] },
  });
  return failures > limits.slowAfter ? Math.min((failures - limits.slowAfter) * policy.delayStepMs, policy.maxDelayMs) : 0;
}

function accountOf(db: Db, email: string) {
  return db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
}
