import type { useAction } from "~/lib/use-action";

type Action = Pick<ReturnType<typeof useAction>, "busy" | "disabled">;

/** A form's main button: it waits for the page to hydrate, and says what is happening while the action runs. */
export function SubmitButton({ action, label, busyLabel }: { action: Action; label: string; busyLabel: string }) {
  return (
    <button type="submit" className="button primary" disabled={action.disabled}>
      {action.busy ? busyLabel : label}
    </button>
  );
}
