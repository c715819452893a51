"use client";

import type { FormEvent } from "react";
import { roles } from "~/lib/labels";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { SubmitButton } from "../submit-button";
import styles from "./settings.module.css";
import { SettingsForm } from "./settings-form";

type Role = (typeof roles)[number];

/** Add a person: viewers read, operators act on nodes and alerts, admins change settings and users. */
export function UserForm() {
  const create = useAction((email: string, password: string, role: Role) => trpcClient.admin.createUser.mutate({ email, password, role }));
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    const ok = await create.run(String(d.get("email")).trim(), String(d.get("password")), String(d.get("role")) as Role);
    if (ok) form.reset();
  }
  return (
    <SettingsForm id="user-title" title="Add a user" onSubmit={submit}>
      <div className={styles.inline3}>
        <label className="field">
          Email
          <input type="email" name="email" required autoComplete="off" />
        </label>
        <label className="field">
          Password
          <input type="password" name="password" required minLength={10} autoComplete="new-password" />
        </label>
        <label className="field">
          Role
          <select name="role" defaultValue="viewer">
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <SubmitButton action={create} label="Add user" busyLabel="Adding…" />
      </div>
      <p className="muted" style={{ margin: 0 }}>
        At least 10 characters. Viewers read; operators also deregister, restore, request unlocks and acknowledge alerts; admins also change
        settings, agents and users.
      </p>
      <FormOutcome error={create.error} done={create.result && `${create.result.email} can sign in now.`} />
    </SettingsForm>
  );
}
