import type { useAction } from "~/lib/use-action";
import styles from "./settings.module.css";

type Action = Pick<ReturnType<typeof useAction>, "busy" | "disabled" | "error" | "result">;

/** A settings form's submit button with its one-line refusal or its confirmation. */
export function FormActions({ action, label, done }: { action: Action; label: string; done: string }) {
  return (
    <div className={styles.formActions}>
      <button type="submit" className="button primary" disabled={action.disabled}>
        {action.busy ? "Saving…" : label}
      </button>
      {action.error && (
        <p className="form-error" role="alert">
          {action.error}
        </p>
      )}
      {action.result !== null && (
        <p className="form-ok" role="status">
          {done}
        </p>
      )}
    </div>
  );
}
