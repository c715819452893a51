import type { FileHandle } from "node:fs/promises";
import { type Fsys, nodeFsys } from "../fsys";

/**
 * node:fs/promises that fails writes on cue, as a full disk or a dying one does: `fail` is asked
 * before every write, sync, rename and truncate and may return an errno code to throw.
 */
export function faultyFsys(fail: (op: string, path: string) => string | null): Fsys {
  const err = (code: string, path: string) => Object.assign(new Error(`${code}: simulated, ${path}`), { code, path });
  const check = (op: string, path: string) => {
    const code = fail(op, path);
    if (code) throw err(code, path);
  };
  const wrap = (handle: FileHandle, path: string): FileHandle =>
    new Proxy(handle, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if (prop === "write" || prop === "writeFile" || prop === "sync" || prop === "datasync" || prop === "appendFile") {
          return async (...args: unknown[]) => {
            check(String(prop), path);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  return {
    ...nodeFsys,
    open: (async (path: string, flags?: string, mode?: number) => {
      if (flags && flags !== "r") check("open", String(path));
      return wrap(await nodeFsys.open(path, flags, mode), String(path));
    }) as Fsys["open"],
    rename: async (from, to) => {
      check("rename", String(to));
      return nodeFsys.rename(from, to);
    },
    truncate: async (path, len) => {
      check("truncate", String(path));
      return nodeFsys.truncate(path, len);
    },
  };
}
