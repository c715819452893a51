"use client";

/** One line a person can act on; the details stay in the server log (the digest names them there). */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div className="page-error" role="alert">
      <p>This page could not be loaded{digest ? ` (reference ${digest})` : ""}. The server may be busy or restarting.</p>
      <button type="button" className="button" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
