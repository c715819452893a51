import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page renders per request: each carries its own CSP nonce (proxy.ts), which a page built
// once at build time could not.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Fleetwatch", description: "Backup fleet health for IBM Storage Protect clients" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
