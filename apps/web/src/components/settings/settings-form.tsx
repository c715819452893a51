import type { FormEvent, ReactNode } from "react";
import styles from "./settings.module.css";

/** A settings panel: one form under its heading, with a line saying what it is for. */
export function SettingsForm({
  id,
  title,
  intro,
  onSubmit,
  children,
}: {
  /** The heading's id, which names the form. */
  id: string;
  title: string;
  intro?: ReactNode;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <form className={`panel ${styles.form}`} onSubmit={onSubmit} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro && (
        <p className="muted" style={{ margin: 0 }}>
          {intro}
        </p>
      )}
      {children}
    </form>
  );
}
