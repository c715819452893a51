import { type GroupScope, groupTitle } from "@fleetwatch/core/groups";
import Link from "next/link";
import styles from "./groups.module.css";

/** The group a page is scoped to, and the way back to the whole fleet. */
export function ScopeLabel({ scope, clearHref }: { scope: GroupScope; clearHref: string }) {
  return (
    <span className={styles.scope} data-testid="scope">
      {groupTitle(scope)} · <Link href={clearHref}>whole fleet</Link>
    </span>
  );
}
