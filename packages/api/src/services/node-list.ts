import { flagKind } from "@fleetwatch/core/flags";
import { hasNoControl } from "@fleetwatch/core/schemas";
import type { Prisma } from "@fleetwatch/db/client";
import { z } from "zod";
import type { Db } from "../context";
import { fromFlagKind, toFlagKind } from "./flag-kinds";
import { fromOutcome, toOutcome } from "./ingest";

/** Text a person typed into a filter: bounded, and no control characters (NUL cannot reach a query). */
const typed = (max: number) => z.string().trim().max(max).refine(hasNoControl, "control characters are not allowed in a search");

/** `value` matched literally by LIKE: `%`, `_` and the escape character itself lose their meaning. */
export const literalLike = (value: string) => value.replace(/[\\%_]/g, "\\$&");

export const nodeListInput = z.object({
  search: typed(64).optional(),
  flag: flagKind.optional(),
  outcome: z.enum(["completed", "failed", "severed", "aborted", "in-progress", "missed", "none"]).optional(),
  os: typed(64).optional(),
  server: typed(64).optional(),
  owner: typed(256).optional(),
  deregistered: z.boolean().default(false),
  sort: z.enum(["name", "lastOutcome", "lastCompletedAt", "lastContactAt", "missedStreak", "failedStreak"]).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});
export type NodeListInput = z.infer<typeof nodeListInput>;

function where(input: NodeListInput): Prisma.NodeWhereInput {
  const and: Prisma.NodeWhereInput[] = [{ deregisteredAt: input.deregistered ? { not: null } : null }];
  if (input.search) and.push({ name: { contains: literalLike(input.search), mode: "insensitive" } });
  if (input.outcome) and.push({ lastOutcome: input.outcome === "none" ? null : toOutcome(input.outcome) });
  if (input.os) and.push({ OR: [{ os: input.os }, { machine: { os: input.os } }] });
  if (input.server !== undefined) and.push({ server: input.server });
  if (input.owner) and.push({ contact: { contains: literalLike(input.owner), mode: "insensitive" } });
  if (input.flag) and.push({ flags: { some: { kind: toFlagKind(input.flag), clearedAt: null } } });
  return { AND: and };
}

/** The node list: server-side filters, search, sort and pages; each row with its open flags. */
export async function listNodes(db: Db, input: NodeListInput) {
  const filter = where(input);
  const nulls = input.dir === "asc" ? "last" : "first";
  const orderBy: Prisma.NodeOrderByWithRelationInput[] =
    input.sort === "name" || input.sort === "missedStreak" || input.sort === "failedStreak"
      ? [{ [input.sort]: input.dir }, { name: "asc" }]
      : [{ [input.sort]: { sort: input.dir, nulls } }, { name: "asc" }];
  const [total, rows] = await Promise.all([
    db.node.count({ where: filter }),
    db.node.findMany({
      where: filter,
      orderBy,
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      select: {
        id: true,
        name: true,
        server: true,
        contact: true,
        os: true,
        lastOutcome: true,
        lastCause: true,
        lastCompletedAt: true,
        lastContactAt: true,
        missedStreak: true,
        failedStreak: true,
        deregisteredAt: true,
        machine: { select: { hostname: true, os: true } },
        flags: { where: { clearedAt: null }, select: { kind: true, raisedAt: true, detail: true }, orderBy: { raisedAt: "asc" } },
      },
    }),
  ]);
  return {
    total,
    page: input.page,
    pageSize: input.pageSize,
    rows: rows.map((n) => ({
      ...n,
      os: n.os ?? n.machine?.os ?? null,
      hostname: n.machine?.hostname ?? null,
      lastOutcome: n.lastOutcome ? fromOutcome(n.lastOutcome) : null,
      flags: n.flags.map((f) => ({ ...f, kind: fromFlagKind(f.kind) })),
    })),
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Every node that matches the filter (no paging), as CSV for a spreadsheet. */
export async function exportNodesCsv(db: Db, input: NodeListInput): Promise<string> {
  const header = [
    "node",
    "server",
    "hostname",
    "os",
    "contact",
    "last outcome",
    "cause",
    "last completed",
    "last contact",
    "missed in a row",
    "failed in a row",
    "flags",
  ];
  const lines = [header.join(",")];
  for (let page = 1; ; page++) {
    const { rows } = await listNodes(db, { ...input, page, pageSize: 500 });
    for (const n of rows) {
      lines.push(
        [
          n.name,
          n.server,
          n.hostname,
          n.os,
          n.contact,
          n.lastOutcome,
          n.lastCause,
          n.lastCompletedAt,
          n.lastContactAt,
          n.missedStreak,
          n.failedStreak,
          n.flags.map((f) => f.kind).join(" "),
        ]
          .map(csvCell)
          .join(","),
      );
    }
    if (rows.length < 500) break;
  }
  return `${lines.join("\r\n")}\r\n`;
}
