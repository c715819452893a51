import type { Role } from "@fleetwatch/db";

/** Who is calling: an agent (bearer token), a signed-in user (session), or nobody. */
export type Caller =
  | { kind: "agent"; agentId: string; machineRef: string | null; collector: boolean }
  | { kind: "user"; userId: string; email: string; role: Role }
  | { kind: "anonymous" };

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(caller: Caller, needed: Role): boolean {
  return caller.kind === "user" && rank[caller.role] >= rank[needed];
}

export function actorLabel(caller: Caller): string {
  switch (caller.kind) {
    case "user":
      return caller.email;
    case "agent":
      return `agent:${caller.agentId}`;
    default:
      return "anonymous";
  }
}
