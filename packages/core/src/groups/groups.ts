import { z } from "zod";

/**
 * How staff group nodes. A new kind added here fails to compile in the services' `scopeWhere`
 * and `listGroups` until they say which nodes it holds.
 */
export const groupKinds = ["department", "contact", "server", "profile", "tag"] as const;
export const groupKind = z.enum(groupKinds);
export type GroupKind = z.infer<typeof groupKind>;

export const groupKindLabel: Record<GroupKind, string> = {
  department: "department",
  contact: "owner / contact",
  server: "TSM server",
  profile: "profile",
  tag: "tag",
};

const noControl = (s: string) => !/[\x00-\x1f\x7f]/.test(s);

/** A department: letters and digits, as a node name's prefix carries it (CHEM, MATHS, CS). */
export const departmentName = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{1,32}$/, "a department is 1 to 32 letters or digits, e.g. CHEM");

/** The characters that end a department prefix in a node name: CHEM-PC025, LAW_SRV1. */
const PREFIX_SEPARATORS = ["-", "_"] as const;

/**
 * A node's department from its name when staff set none: the letters and digits before the first
 * `-` or `_` (the site names nodes DEPT-KIND###: CHEM-PC025 is Chemistry's). A name without one
 * (SERVER1) has no department, so it is not guessed.
 */
export function departmentFromName(nodeName: string): string | null {
  const m = /^([A-Za-z0-9]{1,32})[-_]/.exec(nodeName);
  return m ? (m[1] as string).toUpperCase() : null;
}

/** The node's department: the one staff set, else the name's rule. */
export function departmentOf(node: { name: string; department: string | null }): string | null {
  return node.department ?? departmentFromName(node.name);
}

/**
 * The name prefixes that give `department` by the rule (CHEM- and CHEM_): what a database
 * filter matches with a case-insensitive startsWith, so SQL and `departmentFromName` agree.
 */
export function departmentNamePrefixes(department: string): string[] {
  return PREFIX_SEPARATORS.map((s) => `${department}${s}`);
}

/** A staff tag: lower case, so "Lab" and "lab" are one tag; letters, digits, space, . _ - */
export const tagName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "a tag needs a name")
  .max(40, "a tag is at most 40 characters")
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    "a tag is letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit",
  );

/** One group: a kind and its value (a department, a contact address, a server name, a tag). */
export const groupScope = z.object({
  kind: groupKind,
  value: z.string().trim().min(1, "a group needs a value").max(256).refine(noControl, "control characters are not allowed in a group"),
});
export type GroupScope = z.infer<typeof groupScope>;

/** The scope as a URL carries it: `group=department:CHEM` (split at the first colon). */
export function groupParam(scope: GroupScope): string {
  return `${scope.kind}:${scope.value}`;
}

/** A URL's `group` value as a scope, or null when it is not one (an unknown kind, no value). */
export function parseGroupParam(raw: string | undefined | null): GroupScope | null {
  if (!raw) return null;
  const at = raw.indexOf(":");
  if (at < 0) return null;
  const parsed = groupScope.safeParse({ kind: raw.slice(0, at), value: raw.slice(at + 1) });
  if (!parsed.success) return null;
  // A department or tag is normalised the way it is stored; an unnormalisable one is no group.
  if (parsed.data.kind === "department") {
    const d = departmentName.safeParse(parsed.data.value);
    return d.success ? { kind: "department", value: d.data } : null;
  }
  if (parsed.data.kind === "tag") {
    const t = tagName.safeParse(parsed.data.value);
    return t.success ? { kind: "tag", value: t.data } : null;
  }
  return parsed.data;
}

/** "department CHEM", "tag lab-servers": how a page names its scope. */
export function groupTitle(scope: GroupScope): string {
  return `${groupKindLabel[scope.kind]} ${scope.value || "(none)"}`;
}
