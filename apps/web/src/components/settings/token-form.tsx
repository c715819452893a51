"use client";

import type { FormEvent } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { SubmitButton } from "../submit-button";
import { CopyButton } from "./copy-button";
import styles from "./settings.module.css";
import { SettingsForm } from "./settings-form";
import { ShownOnce } from "./shown-once";

/** Create a one-time enrollment token; it is shown once, with the command that uses it. */
export function TokenForm({ serverUrl }: { serverUrl: string }) {
  const create = useAction((note: string | null, ttlHours: number, collector: boolean) =>
    trpcClient.admin.createEnrollmentToken.mutate({ note, ttlHours, collector }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    create.run(String(d.get("note") ?? "").trim() || null, Number(d.get("ttlHours")), d.get("collector") === "on");
  }
  const token = create.result?.token;
  const command = token ? `fleetwatch-agent enroll --server ${serverUrl} --token ${token}` : "";
  return (
    <SettingsForm
      id="token-title"
      title="Enroll an agent"
      onSubmit={submit}
      intro="A token lets one agent enroll once. Give it to whoever installs the agent on a client machine."
    >
      <div className={styles.inline3}>
        <label className="field">
          Note
          <input name="note" maxLength={200} placeholder="e.g. ENG lab PCs, room 2.14" />
        </label>
        <label className="field">
          Valid for (hours)
          <input type="number" name="ttlHours" defaultValue={72} min={1} max={720} required />
        </label>
        <label className={styles.check}>
          <input type="checkbox" name="collector" />
          For a TSM server collector (reads NODES, schedules and EVENTS with dsmadmc)
        </label>
        <SubmitButton action={create} label="Create token" busyLabel="Creating…" />
      </div>
      <FormOutcome error={create.error} done={null} />
      {token && (
        <ShownOnce>
          <code data-testid="enrollment-token">{token}</code>
          <span>
            {create.result?.collector
              ? "On a machine with dsmadmc and a query-only administrator ID, run (then add a collector section to its config):"
              : "On the client machine, run:"}
          </span>
          <code>{command}</code>
          <span>
            <CopyButton text={command} label="Copy the command" />
          </span>
        </ShownOnce>
      )}
    </SettingsForm>
  );
}
