import { departmentNamePrefixes, departmentOf, type GroupScope } from "@fleetwatch/core/groups";
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

/** What `inGroup` reads of a node for these groups: the profile's name and the groups' tags only when asked. */
export function groupFactsSelect(scopes: readonly GroupScope[]) {
  const tags = scopes.flatMap((s) => (s.kind === "tag" ? [s.value] : []));
  return {
    id: true,
    name: true,
    department: true,
    contact: true,
    server: true,
    profile: scopes.some((s) => s.kind === "profile") ? { select: { name: true } } : false,
    tags: tags.length ? { where: { tag: { in: tags } }, select: { tag: true } } : false,
  } as const;
}

export interface GroupFacts {
  name: string;
  department: string | null;
  contact: string | null;
  server: string;
  profile?: { name: string } | null;
  tags?: { tag: string }[];
}

/**
 * Is a node already read (groupFactsSelect) in the group: what `scopeWhere` matches, for telling
 * apart which of several groups read at once hold it. A department is the staff's, else the name's
 * prefix: core's rule, which the prefixes scopeWhere matches agree with.
 */
export function inGroup(node: GroupFacts, scope: GroupScope): boolean {
  switch (scope.kind) {
    case "department":
      return departmentOf(node) === scope.value;
    case "contact":
      return node.contact === scope.value;
    case "server":
      return node.server === scope.value;
    case "profile":
      return node.profile?.name === scope.value;
    case "tag":
      return node.tags?.some((t) => t.tag === scope.value) ?? false;
  }
}

/** The ids of a group's active nodes, for the queries that read windows rather than nodes. */
export async function scopedNodeIds(db: Db, scope: GroupScope): Promise<string[]> {
  const rows = await db.node.findMany({ where: { deregisteredAt: null, ...scopeWhere(scope) }, select: { id: true } });
  return rows.map((r) => r.id);
}
