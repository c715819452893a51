import type { FlagKind } from "@fleetwatch/core/flags";
import type { Db } from "../../context";
import { fromFlagKind, toFlagKind } from "../judge/flag-kinds";
import { afterKey, type KeyCursor } from "./window-list";

/** Open flags on active nodes, newest first, by kind and node; read by key like the windows. */
export async function listOpenFlags(db: Db, args: { kind?: FlagKind; nodeId?: string; limit: number; after?: KeyCursor }) {
  const rows = await db.flag.findMany({
    where: {
      AND: [
        { clearedAt: null, node: { deregisteredAt: null } },
        args.kind ? { kind: toFlagKind(args.kind) } : {},
        args.nodeId ? { nodeId: args.nodeId } : {},
        afterKey("raisedAt", args.after),
      ],
    },
    orderBy: [{ raisedAt: "desc" }, { id: "desc" }],
    take: args.limit + 1,
    select: { id: true, kind: true, raisedAt: true, detail: true, node: { select: { id: true, name: true } } },
  });
  const page = rows.slice(0, args.limit);
  const last = page.at(-1);
  return {
    rows: page.map((f) => ({ ...f, kind: fromFlagKind(f.kind) })),
    next: rows.length > args.limit && last ? { at: last.raisedAt, id: last.id } : null,
  };
}
