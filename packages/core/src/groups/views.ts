import { z } from "zod";

const noControl = (s: string) => !/[\x00-\x1f\x7f]/.test(s);

/** A saved view's name, as its owner reads it in their list. */
export const savedViewName = z
  .string()
  .trim()
  .min(1, "a view needs a name")
  .max(80, "a view's name is at most 80 characters")
  .refine(noControl, "control characters are not allowed in a name");

/** The pages a view can open: the overview and the node list (each with its filters and scope). */
export const viewPages = ["/", "/nodes"] as const;

/**
 * A view's address: one of our pages and its query, nothing else (no other host, no `//evil`,
 * no fragment), so opening a saved view can never lead off the site.
 */
export const savedViewPath = z
  .string()
  .trim()
  .max(2000, "a view's address is at most 2000 characters")
  .refine(noControl, "control characters are not allowed in an address")
  .refine((p) => {
    const q = p.indexOf("?");
    const page = q < 0 ? p : p.slice(0, q);
    return (viewPages as readonly string[]).includes(page) && !p.includes("#");
  }, "a view is the overview (/) or the node list (/nodes) with its filters");

/** Which page a saved path opens, for the list of views. */
export function viewPageOf(path: string): "overview" | "nodes" {
  return path.startsWith("/nodes") ? "nodes" : "overview";
}
