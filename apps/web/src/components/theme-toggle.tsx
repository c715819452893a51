"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { THEME_COOKIE } from "~/lib/zone";
import styles from "./top-bar.module.css";

/**
 * Light or dark at one click: the opposite of what shows now (the choice, else the system's).
 * The choice is a cookie, so the server renders the next page in it; Preferences can go back to
 * the system's setting.
 */
export function ThemeToggle({ chosen }: { chosen: "light" | "dark" | null }) {
  const router = useRouter();
  const [systemDark, setSystemDark] = useState(false);
  useEffect(() => {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    setSystemDark(query.matches);
    const onChange = () => setSystemDark(query.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  const dark = chosen ? chosen === "dark" : systemDark;
  const next = dark ? "light" : "dark";
  function toggle() {
    // biome-ignore lint/suspicious/noDocumentCookie: a theme word needs no escaping; the Cookie Store API is not in every browser.
    document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    document.documentElement.dataset.theme = next;
    router.refresh();
  }
  return (
    <button type="button" className={styles.prefs} onClick={toggle} aria-label={`Switch to ${next} mode`} data-testid="theme-toggle">
      {dark ? "Light" : "Dark"}
    </button>
  );
}
