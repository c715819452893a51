"use client";

import type { FormEvent } from "react";
import type { Outputs } from "~/lib/api-types";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormActions } from "./form-actions";
import styles from "./settings.module.css";
import { SettingsForm } from "./settings-form";

type Site = Outputs["admin"]["settings"]["site"];

const fields: { key: keyof Site & string; label: string; hint: string; min: number; max: number }[] = [
  {
    key: "passwordExpiryDays",
    label: "Password expires after (days)",
    hint: "The TSM server's PASSEXP; 0 means never.",
    min: 0,
    max: 9999,
  },
  { key: "passwordWarningDays", label: "Warn before expiry (days)", hint: "Flag password-expiring this long before.", min: 0, max: 9999 },
  { key: "missesInARow", label: "Missed nights in a row", hint: "Then the node is flagged repeated-misses.", min: 1, max: 365 },
  { key: "failuresInARow", label: "Failed nights in a row", hint: "Then the node is flagged repeated-failures.", min: 1, max: 365 },
  { key: "atRiskHours", label: "At risk after (hours)", hint: "Without a completed backup.", min: 1, max: 9999 },
  { key: "staleDays", label: "Stale after (days)", hint: "Without contact of any kind: the first warning.", min: 1, max: 9999 },
  { key: "staleAgainDays", label: "Warn again after (days)", hint: "Naming the day deregistration will be proposed.", min: 1, max: 9999 },
  {
    key: "staleRemovalDays",
    label: "Propose deregistration after (days)",
    hint: "A final warning comes 7 days before.",
    min: 8,
    max: 9999,
  },
  { key: "agentSilentMinutes", label: "Agent silent after (minutes)", hint: "Without a heartbeat.", min: 1, max: 99999 },
];

/** The thresholds the rules use. The API validates them together (e.g. the warning must be shorter than the expiry). */
export function ThresholdsForm({ site }: { site: Site }) {
  const save = useAction((values: Record<string, number>) => trpcClient.admin.updateSettings.mutate({ site: values }));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.run(Object.fromEntries(fields.map((f) => [f.key, Number(data.get(f.key))])));
  }
  return (
    <SettingsForm id="thresholds-title" title="Thresholds" onSubmit={submit}>
      <div className={styles.fields}>
        {fields.map((f) => (
          <label key={f.key} className="field">
            {f.label}
            <input type="number" name={f.key} defaultValue={Number(site[f.key])} min={f.min} max={f.max} step={1} required />
            <span className="hint">{f.hint}</span>
          </label>
        ))}
      </div>
      <FormActions action={save} label="Save thresholds" done="Saved. The next judge run uses them." />
    </SettingsForm>
  );
}
