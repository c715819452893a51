import type { Diagnosis } from "@fleetwatch/core/diagnosis";
import type { Outputs } from "~/lib/api-types";

export type NodeDetail = Outputs["nodes"]["byId"];
export type NodeWindow = NodeDetail["windows"][number];

/** The stored diagnosis JSON, as core writes it. */
export function diagnosisOf(w: Pick<NodeWindow, "diagnosis">): Diagnosis | null {
  return (w.diagnosis ?? null) as Diagnosis | null;
}
