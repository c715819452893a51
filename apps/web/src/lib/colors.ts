/** Outcome colours for charts (SVG fills); the same values as the CSS variables in globals.css. */
export const outcomeColors: Record<string, string> = {
  completed: "#1a7f37",
  failed: "#cf222e",
  severed: "#bc4c00",
  aborted: "#9a6700",
  "in-progress": "#0969da",
  missed: "#8250df",
};
