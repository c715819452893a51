import type { Metadata } from "next";
import type { ReactNode } from "react";
import { chosenTheme } from "~/server/theme";
import "./globals.css";

// Every page renders per request: each carries its own CSP nonce (proxy.ts), which a page built
// once at build time could not.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Fleetwatch", description: "Backup fleet health for IBM Storage Protect clients" };

/** Light or dark after the system's setting (CSS), unless the person chose one (a cookie, set on the server: no flash). */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = await chosenTheme();
  return (
    <html lang="en" data-theme={theme ?? undefined}>
      <body>{children}</body>
    </html>
  );
}
