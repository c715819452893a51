"use client";

import { signOut } from "next-auth/react";
import styles from "./top-bar.module.css";

export function SignOutButton() {
  return (
    <button type="button" className={styles.signOut} onClick={() => signOut({ callbackUrl: "/signin" })}>
      Sign out
    </button>
  );
}
