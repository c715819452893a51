import { cookies } from "next/headers";
import { THEME_COOKIE } from "~/lib/zone";

/** The viewer's chosen theme, or null to follow the system's setting. */
export async function chosenTheme(): Promise<"light" | "dark" | null> {
  const v = (await cookies()).get(THEME_COOKIE)?.value;
  return v === "light" || v === "dark" ? v : null;
}
