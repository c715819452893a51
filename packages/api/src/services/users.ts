import bcrypt from "bcryptjs";
import type { Db, SessionUser } from "../context";
import { DomainError } from "../errors";

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
