import type { useAction } from "~/lib/use-action";
import { FormOutcome } from "../form-outcome";
import { SubmitButton } from "../submit-button";
import styles from "./settings.module.css";

type Action = Pick<ReturnType<typeof useAction>, "busy" | "disabled" | "error" | "result">;

/** A settings form's submit button with its one-line refusal or its confirmation. */
export function FormActions({ action, label, done }: { action: Action; label: string; done: string }) {
  return (
    <div className={styles.formActions}>
      <SubmitButton action={action} label={label} busyLabel="Saving…" />
      <FormOutcome error={action.error} done={action.result !== null && done} />
    </div>
  );
}
