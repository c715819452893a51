import type { CollectorSettings } from "../config/collector-config";
import type { Fsys } from "../fsys";

/** A password that cannot be read: the message names where it was looked for, never what it holds. */
export class PasswordError extends Error {
  override name = "PasswordError";
}

/**
 * The TSM admin password, from the file or environment variable the config names. Read at each
 * collection rather than kept from start-up, so a rotated password needs no restart.
 */
export async function readAdminPassword(
  c: Pick<CollectorSettings, "passwordFile" | "passwordEnv">,
  env: NodeJS.ProcessEnv,
  fs: Pick<Fsys, "readFile">,
): Promise<string> {
  let value: string;
  if (c.passwordFile) {
    try {
      value = await fs.readFile(c.passwordFile, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file" : code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? "unreadable");
      throw new PasswordError(`cannot read the admin password file ${c.passwordFile}: ${why}`);
    }
    // Editors and `echo pw > file` leave a final newline that is not part of the password.
    value = value.replace(/\r?\n$/, "");
    if (value === "") throw new PasswordError(`the admin password file ${c.passwordFile} is empty`);
  } else if (c.passwordEnv) {
    value = env[c.passwordEnv] ?? "";
    if (value === "") throw new PasswordError(`the environment variable ${c.passwordEnv} (collector.passwordEnv) is not set`);
  } else throw new PasswordError("the config names no admin password (collector.passwordFile or collector.passwordEnv)");
  if (/[\r\n\0]/.test(value)) throw new PasswordError("the admin password holds a line break or NUL, which dsmadmc cannot take");
  return value;
}
