/** Arithmetic on local `YYYY-MM-DDTHH:MM:SS` times (no zone: computed as if UTC, which is exact). */
export function addSeconds(at: string, seconds: number): string {
  const ms = Date.parse(`${at}Z`) + seconds * 1000;
  if (!Number.isFinite(ms)) return at;
  return new Date(ms).toISOString().slice(0, 19);
}
