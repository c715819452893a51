import type { CSSProperties } from "react";

/** Recharts draws its tooltip with inline colours: these follow the theme's. */
export const tooltipStyle: CSSProperties = { background: "var(--card)", borderColor: "var(--line)", color: "var(--fg)" };
