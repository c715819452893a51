/**
 * The guide's remedies differ by operating system, and Windows power settings by version (XP/2003
 * against Vista/7 and later). Node and machine records name the OS many ways: the agent's
 * `process.platform` (win32, darwin, linux), TSM's PLATFORM_NAME (WinNT, Macintosh, Linux x86-64)
 * or CLIENT_OS_NAME (`WIN:Windows 7`, `MAC:Macintosh`).
 */
export type OsFamily = "windows-xp" | "windows" | "mac" | "linux" | "unix" | "unknown";

export function osFamily(os: string | null | undefined): OsFamily {
  const s = (os ?? "").toLowerCase();
  // "darwin" contains "win": the Mac test must come first.
  if (/darwin|mac|os ?x/.test(s)) return "mac";
  if (/win/.test(s)) return /\bxp\b|2003/.test(s) ? "windows-xp" : "windows";
  if (/linux/.test(s)) return "linux";
  if (/aix|solaris|sunos|hp-?ux|bsd|unix/.test(s)) return "unix";
  return "unknown";
}

export const isWindows = (f: OsFamily) => f === "windows" || f === "windows-xp";
export const isUnixLike = (f: OsFamily) => f === "linux" || f === "unix";
