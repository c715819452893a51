"use client";

import Link from "next/link";
import type { FormEvent } from "react";
import { trpcClient } from "~/lib/trpc-client";
import { useAction } from "~/lib/use-action";
import styles from "./groups.module.css";

const tagHref = (tag: string) => `/nodes?group=${encodeURIComponent(`tag:${tag}`)}`;

/**
 * A node's department and staff tags, each a link to its group's list; staff add and remove tags
 * and set the department (empty: back to the rule on the node's name).
 */
export function NodeGroups({
  nodeId,
  department,
  departmentSet,
  tags,
  staff,
}: {
  nodeId: string;
  department: string | null;
  departmentSet: string | null;
  tags: string[];
  staff: boolean;
}) {
  const tag = useAction((t: string, add: boolean) =>
    add ? trpcClient.groups.tag.mutate({ nodeIds: [nodeId], tag: t }) : trpcClient.groups.untag.mutate({ nodeIds: [nodeId], tag: t }),
  );
  const dept = useAction((d: string | null) => trpcClient.groups.setDepartment.mutate({ nodeId, department: d }));
  async function addTag(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (await tag.run(String(new FormData(form).get("tag") ?? ""), true)) form.reset();
  }
  function setDept(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = String(new FormData(event.currentTarget).get("department") ?? "").trim();
    dept.run(d || null);
  }
  const error = tag.error ?? dept.error;
  return (
    <div data-testid="node-groups">
      <p>
        Department:{" "}
        {department ? (
          <Link href={`/nodes?group=${encodeURIComponent(`department:${department}`)}`} data-testid="node-department">
            {department}
          </Link>
        ) : (
          <span data-testid="node-department">none</span>
        )}{" "}
        <span className="muted">{departmentSet ? "(set by staff)" : "(from the node's name)"}</span>
      </p>
      <p>
        Tags:{" "}
        <span className={styles.tags} data-testid="node-tags">
          {tags.length === 0 && <span className="muted">none</span>}
          {tags.map((t) => (
            <span key={t} className={styles.tag} data-testid="node-tag">
              <Link href={tagHref(t)}>{t}</Link>
              {staff && (
                <button type="button" aria-label={`Remove tag ${t}`} disabled={tag.disabled} onClick={() => tag.run(t, false)}>
                  ×
                </button>
              )}
            </span>
          ))}
        </span>
      </p>
      {staff && (
        <div className={styles.inline}>
          <form onSubmit={addTag} className={styles.inline} aria-label="Add a tag">
            <label className="field">
              New tag
              <input name="tag" required maxLength={40} placeholder="e.g. lab servers" />
            </label>
            <button type="submit" className="button" disabled={tag.disabled}>
              Add tag
            </button>
          </form>
          <form onSubmit={setDept} className={styles.inline} aria-label="Set the department">
            <label className="field">
              Department (empty: from the name)
              <input name="department" defaultValue={departmentSet ?? ""} maxLength={32} placeholder={department ?? "e.g. CHEM"} />
            </label>
            <button type="submit" className="button" disabled={dept.disabled}>
              Set department
            </button>
          </form>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
