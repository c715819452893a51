"use client";

import type { ProfilePolicy } from "@fleetwatch/core/profiles";
import type { SiteSettings } from "@fleetwatch/core/settings";
import { type FormEvent, useState } from "react";
import { FormOutcome } from "~/components/form-outcome";
import { PolicyFields } from "~/components/profiles/policy-fields";
import { policyFromForm } from "~/lib/policy-form";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";

/** Staff's exceptions for one node: its profile by hand (or by the rules), and its own override or bypass. */
export function NodeProfileForm(props: {
  nodeId: string;
  profileId: string | null;
  setByHand: boolean;
  profiles: readonly { id: string; name: string }[];
  override: ProfilePolicy;
  below: SiteSettings;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAction(async (profileId: string | null, override: ProfilePolicy) => {
    if (profileId !== (props.setByHand ? props.profileId : null))
      await trpcClient.profiles.setNodeProfile.mutate({ nodeId: props.nodeId, profileId });
    return trpcClient.profiles.setNodeOverride.mutate({ nodeId: props.nodeId, override });
  });
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    const policy = policyFromForm(d);
    if ("problem" in policy) return setProblem(policy.problem);
    setProblem(null);
    const chosen = String(d.get("profileId") ?? "");
    await save.run(chosen || null, policy.policy);
  }
  return (
    <details className="panel" style={{ marginTop: "0.6rem" }}>
      <summary>Change its profile or make an exception</summary>
      <form onSubmit={submit} aria-label="Profile and exceptions" style={{ display: "grid", gap: "0.6rem", marginTop: "0.6rem" }}>
        <label className="field" style={{ maxWidth: "20rem" }}>
          Profile
          <select name="profileId" defaultValue={props.setByHand ? (props.profileId ?? "") : ""}>
            <option value="">as the rules put it</option>
            {props.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} (by hand)
              </option>
            ))}
          </select>
        </label>
        <p className="muted" style={{ margin: 0 }}>
          Its own settings, over its profile's (empty: the profile's, shown faint):
        </p>
        <PolicyFields value={props.override} below={props.below} bypass />
        <div>
          <button type="submit" className="button primary" disabled={save.disabled}>
            {save.busy ? "Saving…" : "Save"}
          </button>
        </div>
        <FormOutcome error={problem ?? save.error} done={save.result && "Saved: the judge's next run judges it so."} />
      </form>
    </details>
  );
}
