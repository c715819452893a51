import { lowerRole, roleAtLeast } from "@fleetwatch/core/schemas";
import type { Role } from "@fleetwatch/db";

/**
 * Who is calling: an agent (bearer token), a signed-in user (session), a script with an API key
 * (bearer `fw_` key on /api/v1, acting as a role no higher than its maker's now), or nobody.
 */
export type Caller =
  | { kind: "agent"; agentId: string; machineRef: string | null; collector: boolean }
  | { kind: "user"; userId: string; email: string; role: Role }
  | { kind: "apiKey"; keyId: string; name: string; prefix: string; role: Role; createdById: string }
  | { kind: "anonymous" };

export function hasRole(caller: Caller, needed: Role): boolean {
  return (caller.kind === "user" || caller.kind === "apiKey") && roleAtLeast(caller.role, needed);
}

export { lowerRole };

export function actorLabel(caller: Caller): string {
  switch (caller.kind) {
    case "user":
      return caller.email;
    case "agent":
      return `agent:${caller.agentId}`;
    case "apiKey":
      return `api key "${caller.name}" (${caller.prefix}…)`;
    default:
      return "anonymous";
  }
}
