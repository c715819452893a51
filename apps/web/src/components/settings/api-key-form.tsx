"use client";

import Link from "next/link";
import type { FormEvent } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { SubmitButton } from "../submit-button";
import { CopyButton } from "./copy-button";
import styles from "./settings.module.css";
import { SettingsForm } from "./settings-form";
import { ShownOnce } from "./shown-once";

type Scope = "read" | "write" | "admin";

/** Make an API key for /api/v1; it is shown once, with a curl line that uses it. */
export function ApiKeyForm({ siteUrl }: { siteUrl: string }) {
  const create = useAction((name: string, scope: Scope, expiresAt: Date | null) =>
    trpcClient.admin.createApiKey.mutate({ name, scope, expiresAt }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    const expires = String(d.get("expires") ?? "");
    // The key works through the whole of the chosen day, in the admin's own time zone.
    create.run(String(d.get("name") ?? "").trim(), String(d.get("scope")) as Scope, expires ? new Date(`${expires}T23:59:59`) : null);
  }
  const key = create.result?.key;
  const example = key ? `curl -H "Authorization: Bearer ${key}" "${siteUrl}/api/v1/nodes?flag=locked"` : "";
  return (
    <SettingsForm
      id="apikey-title"
      title="Make an API key"
      onSubmit={submit}
      intro={
        <>
          For scripts, ticket systems and monitoring: the <Link href="/api-docs">HTTP API</Link> with <code>Authorization: Bearer</code>. A
          key acts as a role, never more than yours.
        </>
      }
    >
      <div className={styles.inline3}>
        <label className="field">
          Name
          <input name="name" maxLength={100} required placeholder="e.g. ServiceNow sync" />
        </label>
        <label className="field">
          Scope
          <select name="scope" defaultValue="read">
            <option value="read">Read-only (acts as a viewer)</option>
            <option value="write">Read-write: acknowledge, deregister (acts as an operator)</option>
            <option value="admin">Admin: also run the judge (acts as an admin)</option>
          </select>
        </label>
        <label className="field">
          Expires (optional)
          <input type="date" name="expires" />
        </label>
        <SubmitButton action={create} label="Make key" busyLabel="Making…" />
      </div>
      <FormOutcome error={create.error} done={null} />
      {key && (
        <ShownOnce>
          <code data-testid="api-key">{key}</code>
          <span>
            <CopyButton text={key} label="Copy the key" />
          </span>
          <span>Try it:</span>
          <code>{example}</code>
        </ShownOnce>
      )}
    </SettingsForm>
  );
}
