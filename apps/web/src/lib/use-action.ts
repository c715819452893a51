"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorLine } from "./trpc-client";
import { useHydrated } from "./use-hydrated";

/**
 * One mutation's state for a button or form: busy while it runs, a one-line error if the API
 * refused, the result when it worked; the page's server data is re-read afterwards.
 * `disabled` also holds until the page is hydrated, when a click could not yet run.
 */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const hydrated = useHydrated();
  async function run(...args: A): Promise<R | null> {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await fn(...args);
      setResult(r);
      router.refresh();
      return r;
    } catch (e) {
      setError(errorLine(e));
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, disabled: busy || !hydrated, error, result };
}
