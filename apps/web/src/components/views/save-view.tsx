"use client";

import type { FormEvent } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import styles from "../groups/groups.module.css";

/** Save this page's URL (filters and group) under a name, in the person's own views. */
export function SaveView({ path }: { path: string }) {
  const save = useAction((name: string) => trpcClient.views.save.mutate({ name, path }));
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (await save.run(String(new FormData(form).get("name") ?? ""))) form.reset();
  }
  return (
    <form onSubmit={submit} className={styles.inline} aria-label="Save this view">
      <label className="field">
        Save this view as
        <input name="name" required maxLength={80} placeholder="e.g. Chemistry, failing" />
      </label>
      <button type="submit" className="button" disabled={save.disabled}>
        {save.busy ? "Saving…" : "Save view"}
      </button>
      {save.error && (
        <p className="form-error" role="alert">
          {save.error}
        </p>
      )}
      {save.result && (
        <p className="muted" role="status">
          Saved as “{save.result.name}”.
        </p>
      )}
    </form>
  );
}
