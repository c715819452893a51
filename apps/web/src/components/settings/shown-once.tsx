import type { ReactNode } from "react";
import styles from "./settings.module.css";

/** What the server hands out one time only (a key, a token, a badge's addresses), under the warning to copy it now. */
export function ShownOnce({ warning = "Copy it now: it is not shown again.", children }: { warning?: string; children: ReactNode }) {
  return (
    <div className={styles.token} role="status">
      <strong>{warning}</strong>
      {children}
    </div>
  );
}
