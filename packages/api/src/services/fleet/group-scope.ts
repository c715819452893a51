import { departmentNamePrefixes, type GroupScope } from "@fleetwatch/core/groups";
import type { Prisma } from "@fleetwatch/db/client";
import type { Db } from "../../context";

/** `value` matched literally by LIKE (the department prefix CHEM_ holds a `_`). */
const literal = (value: string) => value.replace(/[\\%_]/g, "\\$&");

/**
 * The nodes of one group as a filter. A department is the staff's, else the name's prefix
 * (core/groups departmentFromName): the prefixes core gives match exactly the names its rule maps there.
 */
export function scopeWhere(scope: GroupScope): Prisma.NodeWhereInput {
  switch (scope.kind) {
    case "department":
      return {
        OR: [
          { department: scope.value },
          {
            department: null,
            OR: departmentNamePrefixes(scope.value).map((p) => ({ name: { startsWith: literal(p), mode: "insensitive" as const } })),
          },
        ],
      };
    case "contact":
      return { contact: scope.value };
    case "server":
      return { server: scope.value };
    case "profile":
      return { profile: { name: scope.value } };
    case "tag":
      return { tags: { some: { tag: scope.value } } };
  }
}

/** The ids of a group's active nodes, for the queries that read windows rather than nodes. */
export async function scopedNodeIds(db: Db, scope: GroupScope): Promise<string[]> {
  const rows = await db.node.findMany({ where: { deregisteredAt: null, ...scopeWhere(scope) }, select: { id: true } });
  return rows.map((r) => r.id);
}
