/**
 * State that must exist once per process, however the code that reaches for it is bundled.
 *
 * Next.js compiles our packages into several server chunks (instrumentation, each route handler),
 * and each chunk gets its own copy of every module: a module-level `new Map()` or `let` is then one
 * per chunk, not one per process. The first start with background jobs on failed that way (the
 * instrumentation chunk made the Prisma client, a route handler's copy of client.ts could not find
 * its pool). `Symbol.for` keys live in the runtime's global symbol registry, which every copy shares.
 */
export function perProcess<T>(name: string, make: () => T): T {
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`fleetwatch.${name}`);
  if (!(key in slots)) slots[key] = make();
  return slots[key] as T;
}

/** Forget a per-process value (a test that wants a fresh one, a client that was closed). */
export function forgetPerProcess(name: string): void {
  delete (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(`fleetwatch.${name}`)];
}
