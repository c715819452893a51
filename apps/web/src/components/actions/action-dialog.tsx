"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useId, useRef, useState } from "react";
import { errorLine } from "~/lib/trpc-client";
import { useHydrated } from "~/lib/use-hydrated";

export interface ActionDialogProps {
  /** The button that opens the dialog. */
  trigger: string;
  title: string;
  /** What will happen, in one or two sentences. */
  description: string;
  /** The text field's label ("Reason", "Note"); null for a plain confirmation. */
  reasonLabel: string | null;
  reasonRequired?: boolean;
  /** Inputs asked for above the reason (an edit rather than a plain action); `run` reads them from the form's data. */
  fields?: ReactNode;
  confirm: string;
  tone?: "danger" | "primary";
  /** The opening button without the tone's colour, for an edit that sits beside what it changes. */
  plainTrigger?: boolean;
  /** Calls the API; throws on refusal. The page re-reads its data afterwards. */
  run: (reason: string, data: FormData) => Promise<unknown>;
  /** Shown after success, e.g. "ENG-PC031 deregistered." */
  done: string;
  small?: boolean;
  /** After success and the refresh, e.g. go to a page that offers Undo. */
  afterDone?: () => void;
}

/** A button that opens a native dialog asking for a reason, runs one mutation, then refreshes the page. */
export function ActionDialog(props: ActionDialogProps) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const hydrated = useHydrated();

  function open() {
    setError(null);
    setDone(null);
    dialog.current?.showModal();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const reason = String(data.get("reason") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      await props.run(reason, data);
      dialog.current?.close();
      form.reset();
      setDone(props.done);
      if (props.afterDone) props.afterDone();
      else router.refresh();
    } catch (e) {
      setError(errorLine(e));
    } finally {
      setBusy(false);
    }
  }

  const tone = props.tone === "danger" ? "danger" : "primary";
  return (
    <>
      <button
        type="button"
        className={`button${props.plainTrigger ? "" : ` ${tone}`}${props.small ? " small" : ""}`}
        onClick={open}
        disabled={!hydrated}
      >
        {props.trigger}
      </button>
      {done && (
        <span role="status" className="form-ok">
          {done}
        </span>
      )}
      <dialog ref={dialog} className="dialog" aria-labelledby={`${id}-title`}>
        <form onSubmit={submit}>
          <h2 id={`${id}-title`}>{props.title}</h2>
          <p className="muted" style={{ margin: 0 }}>
            {props.description}
          </p>
          {props.fields}
          {props.reasonLabel && (
            <label className="field">
              {props.reasonLabel}
              {props.reasonRequired ? "" : " (optional)"}
              <textarea name="reason" required={props.reasonRequired} minLength={props.reasonRequired ? 3 : undefined} maxLength={500} />
            </label>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" className={`button ${tone}`} disabled={busy}>
              {busy ? "Working…" : props.confirm}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
