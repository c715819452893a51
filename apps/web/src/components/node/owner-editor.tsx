"use client";

import { ActionDialog } from "~/components/actions/action-dialog";
import { trpcClient } from "~/lib/trpc-client";

/**
 * Staff set who a node's morning report goes to, over the TSM server's CONTACT and e-mail; both
 * fields empty give the server's back. The API validates and audits.
 */
export function OwnerEditor({
  nodeId,
  name,
  contact,
  email,
}: {
  nodeId: string;
  name: string;
  contact: string | null;
  email: string | null;
}) {
  return (
    <ActionDialog
      trigger="Set owner…"
      plainTrigger
      small
      title={`Owner of ${name}`}
      description="Who gets this node's morning report. What you set here wins over the TSM server's contact and e-mail; leave both empty to go back to the server's."
      fields={
        <>
          <label className="field">
            Contact
            <input name="contact" defaultValue={contact ?? ""} maxLength={256} placeholder="J. Bloggs, Chemistry" />
          </label>
          <label className="field">
            E-mail
            <input name="email" type="email" defaultValue={email ?? ""} placeholder="j.bloggs@example.ac.uk" />
          </label>
        </>
      }
      reasonLabel="Reason"
      confirm="Save owner"
      run={(reason, data) => {
        const text = (k: string) => String(data.get(k) ?? "").trim();
        return trpcClient.nodes.setOwner.mutate({ nodeId, contact: text("contact"), email: text("email"), reason: reason || null });
      }}
      done="Owner saved."
    />
  );
}
