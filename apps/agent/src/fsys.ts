import * as fsp from "node:fs/promises";
import { dirname } from "node:path";

/**
 * The file-system calls the agent makes, as one object: the daemon passes node:fs/promises, tests
 * pass a wrapper that fails on cue (ENOSPC, EIO) to prove a failing disk never moves a cursor.
 */
export type Fsys = Pick<
  typeof fsp,
  "open" | "stat" | "lstat" | "readdir" | "mkdir" | "rename" | "unlink" | "rm" | "readFile" | "writeFile" | "truncate" | "copyFile"
>;

export const nodeFsys: Fsys = fsp;

export const isErrno = (error: unknown, ...codes: string[]): boolean =>
  typeof error === "object" && error !== null && codes.includes((error as NodeJS.ErrnoException).code ?? "");

/** fsync a directory so a rename in it survives a power cut; Windows cannot open directories: skip there. */
export async function syncDir(fs: Fsys, dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, "EISDIR", "EPERM", "EACCES", "EINVAL", "ENOTSUP")) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Replace a file all or nothing: write a temp file, fsync it, rename it over, fsync the folder.
 * A crash leaves either the old file or the new one (or a stray `.tmp` that loaders ignore).
 */
export async function writeFileAtomic(fs: Fsys, path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await fs.open(tmp, "w", mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, path);
  await syncDir(fs, dirname(path));
}

/**
 * Reads exactly `length` bytes at `position` (fewer only at end of file), into `into` when it is
 * big enough (the tailer reuses one buffer: megabytes read per second need not be megabytes of garbage).
 */
export async function readAt(handle: fsp.FileHandle, position: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
  const buffer = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
