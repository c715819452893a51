import { BlockList, isIP } from "node:net";

/** Who may read /metrics without a key when FLEETWATCH_METRICS_ALLOW is not set: this machine only. */
export const DEFAULT_METRICS_ALLOW = "127.0.0.0/8,::1";

/** An entry of FLEETWATCH_METRICS_ALLOW that is not an address or block; said after the variable's name. */
export class MetricsConfigError extends Error {}

/**
 * FLEETWATCH_METRICS_ALLOW: addresses and CIDR blocks, comma-separated (`10.0.0.0/8, 192.0.2.7,
 * fd00::/8`); `none` allows no address (a key is then the only way in). Node's own BlockList does
 * the matching, IPv4 and IPv6.
 */
export function parseAllowList(value: string | undefined): BlockList {
  const list = new BlockList();
  const text = value?.trim() || DEFAULT_METRICS_ALLOW;
  if (text.toLowerCase() === "none") return list;
  for (const entry of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = "", prefix, extra] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : isIP(address) === 4 ? "ipv4" : null;
    const bits = prefix === undefined ? null : Number(prefix);
    const max = type === "ipv6" ? 128 : 32;
    if (!type || extra !== undefined || (bits !== null && (!/^\d+$/.test(prefix ?? "") || bits > max))) {
      throw new MetricsConfigError(`has '${entry}', which is not an address or CIDR block (e.g. 10.0.0.0/8, ::1)`);
    }
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/** Whether a client address (as client-address.ts reads it; null when unknown) is on the list. */
export function addressAllowed(list: BlockList, address: string | null): boolean {
  if (!address) return false;
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const type = isIP(plain);
  return type !== 0 && list.check(plain, type === 6 ? "ipv6" : "ipv4");
}
