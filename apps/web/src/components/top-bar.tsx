import Link from "next/link";
import type { Role } from "~/lib/labels";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";
import styles from "./top-bar.module.css";

export function TopBar({ email, role }: { email: string; role: Role }) {
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
        <SignOutButton />
      </div>
    </header>
  );
}
