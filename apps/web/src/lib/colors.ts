/**
 * Outcome colours for charts (SVG fills): the CSS variables of globals.css, so a chart follows the
 * light or dark theme as the strip and the badges do.
 */
export const outcomeColors: Record<string, string> = {
  completed: "var(--ok)",
  failed: "var(--bad)",
  severed: "var(--sev)",
  aborted: "var(--aborted)",
  "in-progress": "var(--progress)",
  missed: "var(--missed)",
};
