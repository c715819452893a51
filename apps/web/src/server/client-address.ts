/**
 * The address a request came from, for throttling sign-ins per address. Route handlers (and
 * next-auth's authorize) see no socket, only headers: `next start` puts the socket's address in
 * X-Forwarded-For when the request has none, and keeps one that came with the request.
 *
 * Trust assumption: the LAST entry of X-Forwarded-For is the peer the nearest hop saw, that is
 * the socket's address when browsers reach `next start` directly, or the client's address when
 * one reverse proxy in front appends it (nginx `proxy_add_x_forwarded_for`, Caddy, Traefik and
 * the usual load balancers do). Entries before it are whatever the client sent and are ignored.
 * Exposed directly, a client can still name any address of its own in X-Forwarded-For, which
 * dodges the per-address count (never the per-account one): put Fleetwatch behind a proxy that
 * appends or overwrites the header. X-Real-IP is read only when there is no X-Forwarded-For.
 */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>): string | null {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value.join(",") : value;
  };
  const forwarded = get("x-forwarded-for")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return normalise(forwarded ?? get("x-real-ip")?.trim() ?? "");
}

/** One spelling per address: IPv4-mapped IPv6 as IPv4, at most 64 characters (a key, not free text). */
function normalise(address: string): string | null {
  const plain = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1").toLowerCase();
  if (!plain || plain.length > 64 || !/^[0-9a-f.:[\]%a-z-]+$/.test(plain)) return null;
  return plain;
}
