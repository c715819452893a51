"use client";

import { type ProfilePolicy, type ProfileRule, parseRuleLine, ruleLine } from "@fleetwatch/core/profiles";
import type { SiteSettings } from "@fleetwatch/core/settings";
import { type FormEvent, useState } from "react";
import { policyFromForm } from "~/lib/policy-form";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { PolicyFields } from "./policy-fields";

export interface ProfileFormValue {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  position: number;
  rules: readonly ProfileRule[];
  policy: ProfilePolicy;
}

/** Make a profile, or change one: its rules as lines (`name=*-SRV* os=linux`), its policy as fields. */
export function ProfileForm({ profile, site }: { profile: ProfileFormValue | null; site: SiteSettings }) {
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAction(async (input: Parameters<typeof trpcClient.profiles.create.mutate>[0]) =>
    profile ? trpcClient.profiles.update.mutate({ id: profile.id, profile: input }) : trpcClient.profiles.create.mutate(input),
  );
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    const text = (k: string) => String(d.get(k) ?? "").trim();
    const rules: ProfileRule[] = [];
    for (const line of text("rules")
      .split("\n")
      .filter((l) => l.trim())) {
      const r = parseRuleLine(line);
      if ("problem" in r) return setProblem(`rule "${line.trim()}": ${r.problem}`);
      rules.push(r.rule);
    }
    const policy = policyFromForm(d);
    if ("problem" in policy) return setProblem(policy.problem);
    setProblem(null);
    const saved = await save.run({
      name: text("name"),
      description: text("description"),
      position: Number(text("position")) || 100,
      isDefault: d.get("isDefault") === "on",
      rules,
      policy: policy.policy,
    });
    if (saved && !profile) form.reset();
  }
  const id = profile ? `profile-${profile.id}` : "profile-new";
  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-title`} style={{ display: "grid", gap: "0.6rem" }}>
      <h3 id={`${id}-title`}>{profile ? `Change ${profile.name}` : "New profile"}</h3>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(13rem, 1fr))", gap: "0.6rem", alignItems: "end" }}>
        <label className="field">
          Name
          <input name="name" required maxLength={40} defaultValue={profile?.name ?? ""} placeholder="e.g. lab-pc" />
        </label>
        <label className="field">
          Description
          <input name="description" maxLength={300} defaultValue={profile?.description ?? ""} />
        </label>
        <label className="field">
          Tried in order (lower first)
          <input name="position" type="number" min={0} max={10000} defaultValue={profile?.position ?? 100} />
        </label>
        <label style={{ display: "flex", alignItems: "center", gap: "0.4rem", paddingBottom: "0.5rem" }}>
          <input name="isDefault" type="checkbox" defaultChecked={profile?.isDefault ?? false} style={{ width: "auto" }} />
          The default (nodes no rule puts elsewhere)
        </label>
      </div>
      <label className="field">
        Rules, one per line: a node is in this profile when every part of any line holds (name=pattern, os=windows|mac|linux|unix, domain=,
        server=)
        <textarea name="rules" rows={3} defaultValue={(profile?.rules ?? []).map(ruleLine).join("\n")} placeholder="name=*-SRV*" />
      </label>
      <PolicyFields value={profile?.policy ?? {}} below={site} bypass />
      <div>
        <button type="submit" className="button primary" disabled={save.disabled}>
          {save.busy ? "Saving…" : profile ? "Save" : "Add profile"}
        </button>
      </div>
      <FormOutcome
        error={problem ?? save.error}
        done={save.result && `Saved “${save.result.name}”; its nodes are judged by it from now on.`}
      />
    </form>
  );
}
