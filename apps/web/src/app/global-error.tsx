"use client";

import "./globals.css";

/** When even the page frame fails: one line and a way back, never a stack trace. */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <main>
          <div className="page-error" role="alert">
            <p>Fleetwatch could not be loaded. The server may be restarting.</p>
            <button type="button" className="button" onClick={() => retry()}>
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
