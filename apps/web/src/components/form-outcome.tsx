import type { ReactNode } from "react";

/** Under a form: its one-line problem (announced at once), else what its save did. */
export function FormOutcome({ error, done }: { error: string | null; done: ReactNode | null }) {
  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  return done ? (
    <p className="form-ok" role="status">
      {done}
    </p>
  ) : null;
}
