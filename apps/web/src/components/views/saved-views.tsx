"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import type { Outputs } from "~/lib/api-types";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import styles from "../groups/groups.module.css";

type View = Outputs["views"]["list"][number];

/** The person's saved views: each opens its URL; renamed or deleted in place. */
export function SavedViews({ views, current }: { views: View[]; current: string }) {
  return (
    <details data-testid="saved-views">
      <summary>My views ({views.length})</summary>
      {views.length === 0 ? (
        <p className="muted">None yet: set the filters and group, then save the view under a name.</p>
      ) : (
        <ul className={styles.views}>
          {views.map((v) => (
            <ViewItem key={v.id} view={v} current={v.path === current} />
          ))}
        </ul>
      )}
    </details>
  );
}

function ViewItem({ view, current }: { view: View; current: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const rename = useAction((name: string) => trpcClient.views.rename.mutate({ id: view.id, name }));
  const remove = useAction(() => trpcClient.views.delete.mutate({ id: view.id }));
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await rename.run(String(new FormData(event.currentTarget).get("name") ?? ""))) setRenaming(false);
  }
  return (
    <li data-testid="saved-view">
      {renaming ? (
        <form onSubmit={submit} className={styles.inline}>
          <label className="field">
            New name
            <input name="name" defaultValue={view.name} required maxLength={80} />
          </label>
          <button type="submit" className="button small" disabled={rename.disabled}>
            Rename
          </button>
          <button type="button" className="button small" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <Link href={view.path} aria-current={current ? "page" : undefined}>
            {view.name}
          </Link>
          <span className="muted">{view.path.startsWith("/nodes") ? "node list" : "overview"}</span>
          <button type="button" className="button small" onClick={() => setRenaming(true)} aria-label={`Rename ${view.name}`}>
            Rename
          </button>
          <button
            type="button"
            className="button small danger"
            disabled={remove.disabled}
            onClick={() => remove.run()}
            aria-label={`Delete ${view.name}`}
          >
            Delete
          </button>
        </>
      )}
      {(rename.error ?? remove.error) && (
        <p className="form-error" role="alert">
          {rename.error ?? remove.error}
        </p>
      )}
    </li>
  );
}
