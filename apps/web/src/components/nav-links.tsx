"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { can, type Role } from "~/lib/labels";
import styles from "./top-bar.module.css";

const links: { href: string; label: string; role: Role }[] = [
  { href: "/", label: "Overview", role: "viewer" },
  { href: "/nodes", label: "Nodes", role: "viewer" },
  { href: "/review", label: "Duplicates & stale", role: "viewer" },
  { href: "/alerts", label: "Alerts", role: "viewer" },
  { href: "/maintenance", label: "Maintenance", role: "viewer" },
  { href: "/profiles", label: "Profiles", role: "viewer" },
  { href: "/report", label: "Morning report", role: "viewer" },
  { href: "/api-docs", label: "API", role: "viewer" },
  { href: "/audit", label: "Audit log", role: "admin" },
  { href: "/settings", label: "Settings", role: "admin" },
];

export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  const active = (href: string) => (href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`));
  const nav = useRef<HTMLElement>(null);
  // On a phone the links scroll sideways: keep the current page's link in view.
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <nav aria-label="Main" className={styles.nav} ref={nav}>
      {links
        .filter((l) => can(role, l.role))
        .map((l) => (
          <Link key={l.href} href={l.href} aria-current={active(l.href) ? "page" : undefined} className={styles.link}>
            {l.label}
          </Link>
        ))}
    </nav>
  );
}
