"use client";

import { type FormEvent, useState } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import styles from "./groups.module.css";

export const TAG_FORM = "tag-nodes";

/**
 * Tag the nodes ticked in the list (their checkboxes belong to this form by its id), or take a
 * tag off them. For staff; the API refuses anyone else anyway.
 */
export function TagSelected({ tags }: { tags: string[] }) {
  const [action, setAction] = useState<"add" | "remove">("add");
  const change = useAction((nodeIds: string[], tag: string, act: "add" | "remove") =>
    act === "add" ? trpcClient.groups.tag.mutate({ nodeIds, tag }) : trpcClient.groups.untag.mutate({ nodeIds, tag }),
  );
  const [none, setNone] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const nodeIds = data.getAll("nodeId").map(String);
    setNone(nodeIds.length === 0);
    if (!nodeIds.length) return;
    await change.run(nodeIds, String(data.get("tag") ?? ""), action);
  }
  return (
    <form id={TAG_FORM} onSubmit={submit} className={styles.inline} aria-label="Tag nodes">
      <label className="field">
        Tag the ticked nodes
        <input name="tag" required maxLength={40} list="tags-in-use" placeholder="e.g. lab servers" />
      </label>
      <datalist id="tags-in-use">
        {tags.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <button type="submit" className="button" disabled={change.disabled} onClick={() => setAction("add")}>
        Add tag
      </button>
      <button type="submit" className="button" disabled={change.disabled} onClick={() => setAction("remove")}>
        Remove tag
      </button>
      {none && (
        <p className="form-error" role="alert">
          Tick the nodes to tag first.
        </p>
      )}
      {change.error && (
        <p className="form-error" role="alert">
          {change.error}
        </p>
      )}
      {change.result && (
        <p className="muted" role="status" data-testid="tag-result">
          “{change.result.tag}” {action === "add" ? "added to" : "taken off"} {change.result.changed}{" "}
          {change.result.changed === 1 ? "node" : "nodes"}
          {change.result.unchanged > 0 && ` (${change.result.unchanged} already ${action === "add" ? "had it" : "without it"})`}.
        </p>
      )}
    </form>
  );
}

/** Tick or untick every node on this page. */
export function SelectAll() {
  return (
    <input
      type="checkbox"
      aria-label="Tick every node on this page"
      onChange={(e) => {
        for (const box of document.querySelectorAll<HTMLInputElement>(`input[form="${TAG_FORM}"][name="nodeId"]`))
          box.checked = e.currentTarget.checked;
      }}
    />
  );
}
