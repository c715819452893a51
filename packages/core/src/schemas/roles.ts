import { z } from "zod";

/** What a person (or an API key) may do: read, act on nodes and alerts, or run the site. */
export const staffRole = z.enum(["viewer", "operator", "admin"]);
export type StaffRole = z.infer<typeof staffRole>;

const rank: Record<StaffRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do what `needed` may. */
export function roleAtLeast(role: StaffRole, needed: StaffRole): boolean {
  return rank[role] >= rank[needed];
}

/** The lower of two roles: what a key may do is its scope's role, capped by its maker's. */
export function lowerRole(a: StaffRole, b: StaffRole): StaffRole {
  return rank[a] <= rank[b] ? a : b;
}
