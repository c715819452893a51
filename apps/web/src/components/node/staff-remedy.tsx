import type { StaffRemedy as Remedy } from "@fleetwatch/core/diagnosis";
import { CopyButton } from "./copy-button";
import styles from "./timeline.module.css";

/** The backup team's half of a remedy: their steps, the dsmadmc commands to copy, the message for the user. */
export function StaffRemedy({ remedy }: { remedy: Remedy }) {
  return (
    <section aria-label="For the backup team" className={styles.staff} data-testid="staff-remedy">
      <h4>For the backup team</h4>
      <ol className={styles.remedy}>
        {remedy.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <ul className={styles.commands} aria-label="dsmadmc commands">
        {remedy.commands.map((c) => (
          <li key={c.command}>
            <div className={styles.commandRow}>
              <code className="mono" data-testid="staff-command">
                {c.command}
              </code>
              <CopyButton text={c.command} label={`Copy ${c.command}`} />
            </div>
            <div className="muted">{c.purpose}</div>
          </li>
        ))}
      </ul>
      {remedy.userMessage && (
        <details className={styles.userMessage}>
          <summary>Message to send the user</summary>
          <pre data-testid="user-message">{remedy.userMessage}</pre>
          <CopyButton text={remedy.userMessage} label="Copy the message to the user" />
        </details>
      )}
    </section>
  );
}
