import { DomainError } from "../errors";
import type { KeyCursor } from "../services/fleet/window-list";

/**
 * Cursors are opaque to callers (base64url JSON): a key (time, id) where the list is read by key,
 * else the page and page size the next read starts at. A cursor carries its page size, so a
 * `limit` given with a cursor is ignored.
 */
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

function decode(cursor: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // refused below, in one line
  }
  throw badCursor();
}

const badCursor = () => new DomainError("BAD_REQUEST", "cursor: not a cursor this API gave out; start again without one");

export const keyCursor = {
  encode: (key: KeyCursor | null) => (key ? encode({ at: key.at.toISOString(), id: key.id }) : null),
  decode(cursor: string | undefined): KeyCursor | undefined {
    if (cursor === undefined) return undefined;
    const { at, id } = decode(cursor);
    const when = typeof at === "string" ? new Date(at) : null;
    if (!when || Number.isNaN(when.getTime()) || typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw badCursor();
    return { at: when, id };
  },
};

export const pageCursor = {
  /** The cursor after `page` of `pageSize`, or null when it was the last of `total`. */
  next: (page: number, pageSize: number, total: number) => (page * pageSize < total ? encode({ page: page + 1, pageSize }) : null),
  decode(cursor: string | undefined, limit: number): { page: number; pageSize: number } {
    if (cursor === undefined) return { page: 1, pageSize: limit };
    const { page, pageSize } = decode(cursor);
    if (
      !Number.isInteger(page) ||
      !Number.isInteger(pageSize) ||
      (page as number) < 1 ||
      (pageSize as number) < 1 ||
      (pageSize as number) > 500
    )
      throw badCursor();
    return { page: page as number, pageSize: pageSize as number };
  },
};
