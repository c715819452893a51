import { crc32 } from "../crc32";

/**
 * One spool record: `FWR1` | payload length (u32) | sequence (u64) | CRC-32 of sequence + payload
 * (u32) | payload (UTF-8 JSON). The checksum tells a torn or zero-filled write from a record.
 */
export const MAGIC = 0x31525746; // "FWR1" little-endian
export const HEADER = 20;
const MAX_PAYLOAD = 64 * 1024 * 1024;

export type SpoolKind = "event" | "problem" | "announcement" | "heartbeat";
export interface SpoolItem {
  kind: SpoolKind;
  /** The node the item is about (heartbeat thinning keeps each node's newest). */
  node: string;
  data: unknown;
}

export function encodeRecord(seq: number, item: SpoolItem): Buffer {
  const payload = Buffer.from(JSON.stringify({ k: item.kind, n: item.node, d: item.data }), "utf8");
  const out = Buffer.alloc(HEADER + payload.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(payload.length, 4);
  out.writeBigUInt64LE(BigInt(seq), 8);
  payload.copy(out, HEADER);
  out.writeUInt32LE(crc32(out.subarray(HEADER), crc32(out.subarray(8, 16))), 16);
  return out;
}

export type Decoded =
  | { ok: true; seq: number; length: number; item: SpoolItem }
  /** `short`: the record runs past the end of the data (a torn append). */
  | { ok: false; why: "short" | "magic" | "length" | "checksum" | "payload" };

export function decodeRecord(buf: Buffer, at: number): Decoded {
  if (buf.length - at < HEADER) return { ok: false, why: "short" };
  if (buf.readUInt32LE(at) !== MAGIC) return { ok: false, why: "magic" };
  const length = buf.readUInt32LE(at + 4);
  if (length > MAX_PAYLOAD) return { ok: false, why: "length" };
  if (buf.length - at < HEADER + length) return { ok: false, why: "short" };
  const crc = crc32(buf.subarray(at + HEADER, at + HEADER + length), crc32(buf.subarray(at + 8, at + 16)));
  if (crc !== buf.readUInt32LE(at + 16)) return { ok: false, why: "checksum" };
  try {
    const parsed = JSON.parse(buf.toString("utf8", at + HEADER, at + HEADER + length)) as { k: SpoolKind; n: string; d: unknown };
    const seq = Number(buf.readBigUInt64LE(at + 8));
    return { ok: true, seq, length: HEADER + length, item: { kind: parsed.k, node: parsed.n, data: parsed.d } };
  } catch {
    return { ok: false, why: "payload" };
  }
}

/** Is there any intact record after `from`? If so, a bad record before it is corruption, not a torn tail. */
export function intactAfter(buf: Buffer, from: number): boolean {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(MAGIC, 0);
  for (let i = buf.indexOf(magic, from + 1); i >= 0; i = buf.indexOf(magic, i + 1)) {
    if (decodeRecord(buf, i).ok) return true;
  }
  return false;
}
