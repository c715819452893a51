"use client";

import { type FormEvent, useState } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { SubmitButton } from "../submit-button";
import { CopyButton } from "./copy-button";
import styles from "./settings.module.css";
import { SettingsForm } from "./settings-form";
import { ShownOnce } from "./shown-once";

type Scope = "fleet" | "server" | "node";

/** Make a status badge for the fleet, one TSM server's nodes, or one node; its URLs are shown once. */
export function BadgeForm({ siteUrl }: { siteUrl: string }) {
  const [scope, setScope] = useState<Scope>("fleet");
  const create = useAction((target: Parameters<typeof trpcClient.admin.createBadge.mutate>[0]["target"], note: string | null) =>
    trpcClient.admin.createBadge.mutate({ target, note }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    const server = String(d.get("server") ?? "").trim();
    const node = String(d.get("node") ?? "").trim();
    const note = String(d.get("note") ?? "").trim() || null;
    if (scope === "fleet") create.run({ scope }, note);
    else if (scope === "server") create.run({ scope, server }, note);
    else create.run({ scope, node, ...(server ? { server } : {}) }, note);
  }
  const made = create.result;
  const svg = made ? `${siteUrl}${made.svgPath}` : "";
  const json = made ? `${siteUrl}${made.jsonPath}` : "";
  return (
    <SettingsForm
      id="badge-title"
      title="Make a status badge"
      onSubmit={submit}
      intro="Anyone with a badge's address sees it (protected, at risk, failing, with counts): put it on a status page. Groups are the whole fleet or one TSM server's nodes until profiles exist."
    >
      <div className={styles.inline3}>
        <label className="field">
          For
          <select name="scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="fleet">The fleet</option>
            <option value="server">One TSM server</option>
            <option value="node">One node</option>
          </select>
        </label>
        {scope === "node" && (
          <label className="field">
            Node
            <input name="node" required maxLength={255} placeholder="e.g. ENG-PC7" />
          </label>
        )}
        {scope !== "fleet" && (
          <label className="field">
            TSM server{scope === "node" ? " (if the name is on several)" : ""}
            <input name="server" maxLength={255} placeholder="empty: the default server" />
          </label>
        )}
        <label className="field">
          Note
          <input name="note" maxLength={200} placeholder="e.g. IT status page" />
        </label>
        <SubmitButton action={create} label="Make badge" busyLabel="Making…" />
      </div>
      <FormOutcome error={create.error} done={null} />
      {made && (
        <ShownOnce warning="Copy the addresses now: they are not shown again.">
          <span>SVG (an image for any page):</span>
          <code data-testid="badge-svg-url">{svg}</code>
          <span>
            <CopyButton text={svg} label="Copy the SVG address" />
          </span>
          <span>JSON (shields.io's endpoint format: img.shields.io/endpoint?url=…):</span>
          <code data-testid="badge-json-url">{json}</code>
          <span>
            <CopyButton text={json} label="Copy the JSON address" />
          </span>
        </ShownOnce>
      )}
    </SettingsForm>
  );
}
