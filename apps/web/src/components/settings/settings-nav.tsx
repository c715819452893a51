"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./settings.module.css";

const tabs = [
  { href: "/settings", label: "Thresholds and alerts" },
  { href: "/settings/agents", label: "Agents and enrollment" },
  { href: "/settings/users", label: "Users" },
  { href: "/settings/badges", label: "Status badges" },
  { href: "/settings/api-keys", label: "API keys" },
];

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className={styles.tabs}>
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={pathname === t.href ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
