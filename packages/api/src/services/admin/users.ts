import bcrypt from "bcryptjs";
import type { Db, SessionUser } from "../../context";
import { DomainError } from "../../errors";
import { audit } from "./audit";

const COST = 10;

/** Check an email + password sign-in; the same answer for an unknown email and a wrong password. */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, role: true, passwordHash: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return null;
  if (!(await bcrypt.compare(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, role: user.role };
}

export async function createUser(
  db: Db,
  args: { email: string; password: string; role: SessionUser["role"]; name?: string | null },
): Promise<SessionUser> {
  if (args.password.length < 10) throw new DomainError("BAD_REQUEST", "password must be at least 10 characters");
  const email = args.email.trim().toLowerCase();
  const exists = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (exists) throw new DomainError("CONFLICT", `a user ${email} already exists`);
  const user = await db.user.create({
    data: { email, name: args.name ?? null, role: args.role, passwordHash: await bcrypt.hash(args.password, COST) },
    select: { id: true, email: true, role: true },
  });
  return user;
}

/** The first admin: created once when there is no admin at all; returns null when one exists. */
export async function ensureFirstAdmin(db: Db, args: { email: string; password: string }): Promise<SessionUser | null> {
  const admins = await db.user.count({ where: { role: "admin" } });
  if (admins > 0) return null;
  return createUser(db, { email: args.email, password: args.password, role: "admin", name: "Administrator" });
}

/**
 * A user signing in through the site's single sign-on, by the email the identity provider vouched
 * for. A known user keeps the role staff gave them; an unknown one is let in only when the site
 * named a role for newcomers (created with no usable password), otherwise refused.
 */
export async function ssoUser(db: Db, args: { email: string; newcomerRole: SessionUser["role"] | null }): Promise<SessionUser | null> {
  const email = args.email.trim().toLowerCase();
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (user) return user.disabledAt ? null : { id: user.id, email: user.email, role: user.role };
  if (!args.newcomerRole) return null;
  return db.$transaction(async (tx) => {
    const created = await tx.user.create({
      // Not a bcrypt hash: no password can ever match it, so this user signs in only through SSO.
      data: { email, role: args.newcomerRole as SessionUser["role"], passwordHash: "!sso" },
      select: { id: true, email: true, role: true },
    });
    await audit(
      tx,
      { kind: "user", userId: created.id, email: created.email, role: created.role },
      { action: "user.sso-create", targetType: "user", targetId: created.id, detail: { role: created.role } },
    );
    return created;
  });
}
