import { Prisma } from "@fleetwatch/db/client";
import type { Caller } from "../../caller";
import type { Db } from "../../context";
import { DomainError, notFound } from "../../errors";
import { audit } from "../admin/audit";

type UserCaller = Extract<Caller, { kind: "user" }>;

/** A person's saved views, by name. */
export function listViews(db: Db, caller: UserCaller) {
  return db.savedView.findMany({
    where: { userId: caller.userId },
    select: { id: true, name: true, path: true, updatedAt: true },
    orderBy: { name: "asc" },
  });
}

const taken = (name: string) => new DomainError("CONFLICT", `you already have a view named “${name}”`);

/** Their own view, or not found (another person's view is not theirs to see or change). */
async function ownView(db: Prisma.TransactionClient, caller: UserCaller, id: string) {
  const view = await db.savedView.findFirst({ where: { id, userId: caller.userId }, select: { id: true, name: true, path: true } });
  if (!view) throw notFound("view");
  return view;
}

const uniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";

export async function saveView(db: Db, caller: UserCaller, args: { name: string; path: string }) {
  try {
    return await db.$transaction(async (tx) => {
      const view = await tx.savedView.create({
        data: { userId: caller.userId, name: args.name, path: args.path },
        select: { id: true, name: true, path: true },
      });
      await audit(tx, caller, {
        action: "view.save",
        targetType: "view",
        targetId: view.id,
        detail: { before: null, after: { name: view.name, path: view.path } },
      });
      return view;
    });
  } catch (e) {
    if (uniqueViolation(e)) throw taken(args.name);
    throw e;
  }
}

export async function renameView(db: Db, caller: UserCaller, args: { id: string; name: string }) {
  try {
    return await db.$transaction(async (tx) => {
      const before = await ownView(tx, caller, args.id);
      const view = await tx.savedView.update({
        where: { id: before.id },
        data: { name: args.name },
        select: { id: true, name: true, path: true },
      });
      await audit(tx, caller, {
        action: "view.rename",
        targetType: "view",
        targetId: view.id,
        detail: { before: { name: before.name }, after: { name: view.name } },
      });
      return view;
    });
  } catch (e) {
    if (uniqueViolation(e)) throw taken(args.name);
    throw e;
  }
}

export async function deleteView(db: Db, caller: UserCaller, args: { id: string }) {
  return db.$transaction(async (tx) => {
    const before = await ownView(tx, caller, args.id);
    await tx.savedView.delete({ where: { id: before.id } });
    await audit(tx, caller, {
      action: "view.delete",
      targetType: "view",
      targetId: before.id,
      detail: { before: { name: before.name, path: before.path }, after: null },
    });
    return { id: before.id };
  });
}
