import { locateDsmadmc, onPath } from "../collector/locate";
import { PasswordError, readAdminPassword } from "../collector/password";
import type { Fsys } from "../fsys";
import type { CollectorSettings } from "./collector-config";

/**
 * What `validate` and `run` can tell about the collector before it runs: a password that cannot
 * be read is a problem (no collection could work); a dsmadmc not found yet, or a password file
 * others can read, is a warning.
 */
export async function collectorFindings(
  c: CollectorSettings,
  host: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; fs: Pick<Fsys, "readFile" | "stat"> },
): Promise<{ problems: string[]; warnings: string[] }> {
  const problems: string[] = [];
  const warnings: string[] = [];
  try {
    await readAdminPassword(c, host.env, host.fs);
  } catch (error) {
    if (!(error instanceof PasswordError)) throw error;
    problems.push(`collector: ${error.message}`);
  }
  if (c.passwordFile && host.platform !== "win32") {
    const mode = await host.fs.stat(c.passwordFile).then(
      (s) => s.mode,
      () => null,
    );
    if (mode !== null && (mode & 0o077) !== 0)
      warnings.push(`collector: ${c.passwordFile} can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
  }
  const dsmadmc = await locateDsmadmc(c, host.platform, host.fs);
  if (!(await onPath(dsmadmc, host.env, host.platform, host.fs)))
    warnings.push(`collector: dsmadmc not found (${dsmadmc}); install the administrative client or set collector.dsmadmc`);
  return { problems, warnings };
}
