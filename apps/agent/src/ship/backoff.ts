/**
 * Exponential backoff with full jitter (a random wait between 0 and base * 2^n, capped): a fleet
 * whose server comes back does not return in lockstep. A Retry-After from the server wins.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  get attempts(): number {
    return this.failures;
  }

  next(retryAfterMs: number | null = null): number {
    this.failures++;
    if (retryAfterMs !== null) return Math.min(retryAfterMs, 3_600_000) + Math.floor(this.random() * 1000);
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures - 1, 30));
    return Math.floor(this.random() * ceiling);
  }

  reset(): void {
    this.failures = 0;
  }
}

/** A sleep that an AbortSignal ends early. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
