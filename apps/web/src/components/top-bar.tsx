import Link from "next/link";
import type { Role } from "~/lib/labels";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";
import styles from "./top-bar.module.css";

export function TopBar({ email, role, theme }: { email: string; role: Role; theme: "light" | "dark" | null }) {
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        Fleetwatch
      </Link>
      <NavLinks role={role} />
      <div className={styles.who}>
        <span className={styles.email} title={email}>
          {email}
        </span>
        <span className={styles.role}>{role}</span>
        <ThemeToggle chosen={theme} />
        <Link href="/preferences" className={styles.prefs} title="Time zone and appearance">
          Preferences
        </Link>
        <SignOutButton />
      </div>
    </header>
  );
}
