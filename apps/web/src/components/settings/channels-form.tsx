"use client";

import type { FormEvent } from "react";
import type { Outputs } from "~/lib/api-types";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormActions } from "./form-actions";
import styles from "./settings.module.css";
import { SettingsForm } from "./settings-form";

type Channels = Outputs["admin"]["settings"]["channels"];

/** Where alerts go: e-mail (recipients, sender, SMTP, the morning digest) and a webhook. */
export function ChannelsForm({ channels }: { channels: Channels }) {
  const save = useAction((next: Channels) => trpcClient.admin.updateSettings.mutate({ channels: next }));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    const text = (k: string) => String(d.get(k) ?? "").trim();
    save.run({
      email: {
        to: text("to")
          .split(/[\s,;]+/)
          .filter(Boolean),
        from: text("from"),
        smtpUrl: text("smtpUrl") || null,
        dailyDigestHour: Number(text("dailyDigestHour")),
        ownerReports: d.get("ownerReports") === "on",
      },
      webhook: { url: text("webhook") || null },
    });
  }
  return (
    <SettingsForm id="channels-title" title="Alert channels" onSubmit={submit}>
      <fieldset className={styles.fieldset}>
        <legend>E-mail</legend>
        <div className={styles.fields}>
          <label className="field">
            Send to
            <textarea name="to" defaultValue={channels.email.to.join("\n")} rows={3} placeholder="backup-team@example.org" />
            <span className="hint">One address per line.</span>
          </label>
          <label className="field">
            From
            <input type="email" name="from" defaultValue={channels.email.from} required />
          </label>
          <label className="field">
            SMTP server
            <input name="smtpUrl" defaultValue={channels.email.smtpUrl ?? ""} placeholder="smtp://mail.example.org:587" />
            <span className="hint">Its password comes from the server's environment, not from here.</span>
          </label>
          <label className="field">
            Morning digest at (hour)
            <input type="number" name="dailyDigestHour" defaultValue={channels.email.dailyDigestHour} min={0} max={23} required />
          </label>
          <label className="field">
            <span>
              <input type="checkbox" name="ownerReports" defaultChecked={channels.email.ownerReports} /> Owners' reports
            </span>
            <span className="hint">With the digest, each node's owner gets a report of their nodes' failed nights.</span>
          </label>
        </div>
      </fieldset>
      <fieldset className={styles.fieldset}>
        <legend>Webhook</legend>
        <label className="field">
          URL
          <input type="url" name="webhook" defaultValue={channels.webhook.url ?? ""} placeholder="https://chat.example.org/hooks/…" />
          <span className="hint">Each alert is POSTed here as JSON. Leave empty for none.</span>
        </label>
      </fieldset>
      <FormActions action={save} label="Save channels" done="Saved." />
    </SettingsForm>
  );
}
