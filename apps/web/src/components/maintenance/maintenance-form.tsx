"use client";

import { type FormEvent, useState } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { SubmitButton } from "../submit-button";

type Scope = "fleet" | "server" | "node" | "profile" | "group";

/** Define a maintenance window: once (from, until, in the browser's time zone) or recurring (cron). */
export function MaintenanceForm() {
  const [recurring, setRecurring] = useState(false);
  const [scope, setScope] = useState<Scope>("fleet");
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const create = useAction((input: Parameters<typeof trpcClient.maintenance.create.mutate>[0]) =>
    trpcClient.maintenance.create.mutate(input),
  );
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    const text = (k: string) => String(d.get(k) ?? "").trim();
    const when = (k: string) => (text(k) ? new Date(text(k)) : null);
    const made = await create.run({
      name: text("name"),
      scope,
      target: scope === "fleet" ? "" : text("target"),
      ...(recurring
        ? { cron: text("cron"), timeZone: text("timeZone") || "UTC", durationMinutes: Number(text("durationMinutes")) || null }
        : { startsAt: when("startsAt"), endsAt: when("endsAt"), timeZone: browserZone }),
    });
    if (made) form.reset();
  }
  return (
    <form
      className="panel"
      onSubmit={submit}
      aria-labelledby="maintenance-title"
      style={{ display: "grid", gap: "0.6rem", marginBottom: "1rem" }}
    >
      <h2 id="maintenance-title">New maintenance window</h2>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", gap: "0.6rem", alignItems: "end" }}>
        <label className="field">
          Name
          <input name="name" required maxLength={120} placeholder="e.g. Saturday patching" />
        </label>
        <label className="field">
          Covers
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)}>
            <option value="fleet">the whole fleet</option>
            <option value="server">one TSM server's nodes</option>
            <option value="node">one node</option>
            <option value="profile">one profile's nodes</option>
            <option value="group">one group's nodes</option>
          </select>
        </label>
        {scope !== "fleet" && (
          <label className="field">
            {{ node: "Node name", profile: "Profile", group: "Group (department:CHEM, tag:lab…)", server: "TSM server" }[scope]}
            <input name="target" required maxLength={128} />
          </label>
        )}
        <label className="field">
          Repeats
          <select value={recurring ? "yes" : "no"} onChange={(e) => setRecurring(e.currentTarget.value === "yes")}>
            <option value="no">once</option>
            <option value="yes">on a schedule (cron)</option>
          </select>
        </label>
        {recurring ? (
          <>
            <label className="field">
              Cron (minute hour day month weekday)
              <input name="cron" required placeholder="0 20 * * 6" maxLength={100} />
            </label>
            <label className="field">
              Time zone
              <input name="timeZone" defaultValue={browserZone} maxLength={64} />
            </label>
            <label className="field">
              Lasts (minutes)
              <input name="durationMinutes" type="number" min={1} max={20160} required defaultValue={480} />
            </label>
          </>
        ) : (
          <>
            <label className="field">
              From ({browserZone})
              <input name="startsAt" type="datetime-local" required />
            </label>
            <label className="field">
              Until
              <input name="endsAt" type="datetime-local" required />
            </label>
          </>
        )}
        <SubmitButton action={create} label="Add" busyLabel="Saving…" />
      </div>
      <FormOutcome error={create.error} done={create.result && `Added “${create.result.name}”.`} />
    </form>
  );
}
