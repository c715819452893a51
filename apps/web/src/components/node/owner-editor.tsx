"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useRef, useState } from "react";
import { errorLine, trpcClient } from "~/lib/trpc-client";
import { useHydrated } from "~/lib/use-hydrated";

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
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const hydrated = useHydrated();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const d = new FormData(event.currentTarget);
    const text = (k: string) => String(d.get(k) ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await trpcClient.nodes.setOwner.mutate({ nodeId, contact: text("contact"), email: text("email"), reason: text("reason") || null });
      dialog.current?.close();
      setDone("Owner saved.");
      router.refresh();
    } catch (e) {
      setError(errorLine(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={!hydrated}
        onClick={() => {
          setError(null);
          setDone(null);
          dialog.current?.showModal();
        }}
      >
        Set owner…
      </button>
      {done && (
        <span role="status" className="form-ok">
          {done}
        </span>
      )}
      <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`}>
        <form onSubmit={submit}>
          <h2 id={`${id}-title`}>Owner of {name}</h2>
          <p className="muted" style={{ margin: 0 }}>
            Who gets this node's morning report. What you set here wins over the TSM server's contact and e-mail; leave both empty to go
            back to the server's.
          </p>
          <label className="field">
            Contact
            <input name="contact" defaultValue={contact ?? ""} maxLength={256} placeholder="J. Bloggs, Chemistry" />
          </label>
          <label className="field">
            E-mail
            <input name="email" type="email" defaultValue={email ?? ""} placeholder="j.bloggs@example.ac.uk" />
          </label>
          <label className="field">
            Reason (optional)
            <textarea name="reason" maxLength={500} />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? "Working…" : "Save owner"}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
