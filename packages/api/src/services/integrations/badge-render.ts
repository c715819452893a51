import { type ProtectionState, protectionWords } from "@fleetwatch/core/fleet";
import { makeBadge } from "badge-maker";

/** What a badge says: one node's state, or a group's counts (the fleet, one TSM server). */
export type BadgeView =
  | { kind: "node"; label: string; state: ProtectionState | "deregistered" }
  | { kind: "group"; label: string; counts: Record<ProtectionState, number> };

const colors: Record<ProtectionState | "deregistered" | "empty", string> = {
  protected: "brightgreen",
  "at-risk": "yellow",
  failing: "red",
  deregistered: "lightgrey",
  empty: "lightgrey",
};

/** The state the badge's colour shows: a group's worst (failing over at risk over protected). */
function shownState(view: BadgeView): keyof typeof colors {
  if (view.kind === "node") return view.state;
  const { counts } = view;
  if (counts.failing) return "failing";
  if (counts["at-risk"]) return "at-risk";
  return counts.protected ? "protected" : "empty";
}

export function badgeMessage(view: BadgeView): string {
  if (view.kind === "node") return view.state === "deregistered" ? "deregistered" : protectionWords[view.state];
  const { counts } = view;
  if (!counts.protected && !counts["at-risk"] && !counts.failing) return "no nodes";
  return `${counts.protected} protected, ${counts["at-risk"]} at risk, ${counts.failing} failing`;
}

export function badgeSvg(view: BadgeView): string {
  return makeBadge({ label: view.label, message: badgeMessage(view), color: colors[shownState(view)] });
}

/**
 * shields.io's endpoint badge (https://shields.io/badges/endpoint-badge): a status page or README
 * can show it through `https://img.shields.io/endpoint?url=<this URL>`. The schema admits no other
 * keys, so the counts are in the message. cacheSeconds: shields' own floor is 300.
 */
export function badgeJson(view: BadgeView) {
  return { schemaVersion: 1 as const, label: view.label, message: badgeMessage(view), color: colors[shownState(view)], cacheSeconds: 300 };
}
