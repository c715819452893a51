import { policyWords } from "@fleetwatch/core/profiles";
import Link from "next/link";
import type { Outputs } from "~/lib/api-types";
import { NodeProfileForm } from "./node-profile-form";

/** Which profile judges the node, how it got there, and the exceptions staff made for it. */
export function NodeProfile({ nodeId, profile, operator }: { nodeId: string; profile: Outputs["profiles"]["ofNode"]; operator: boolean }) {
  const own = policyWords(profile.override);
  const fromProfile = policyWords(profile.profilePolicy);
  return (
    <div data-testid="node-profile">
      <p style={{ margin: 0 }}>
        Profile <Link href="/profiles">{profile.profile?.name ?? "none"}</Link> <span className="muted">({profile.how})</span>
        {profile.effective.bypass && (
          <strong className="notice" style={{ marginLeft: "0.5rem", padding: "0.1rem 0.4rem" }}>
            bypassed: watched, never alerted
          </strong>
        )}
      </p>
      {fromProfile.length > 0 && (
        <p className="muted" style={{ margin: "0.2rem 0 0" }}>
          Its profile: {fromProfile.join("; ")}.
        </p>
      )}
      {own.length > 0 && <p style={{ margin: "0.2rem 0 0" }}>Its own exceptions: {own.join("; ")}.</p>}
      {profile.problems.map((p) => (
        <p key={p} className="form-error" role="alert">
          Left out: {p}
        </p>
      ))}
      {operator && (
        <NodeProfileForm
          nodeId={nodeId}
          profileId={profile.profile?.id ?? null}
          setByHand={profile.setByHand}
          profiles={profile.profiles}
          override={profile.override}
          below={profile.below}
        />
      )}
    </div>
  );
}
