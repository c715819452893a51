import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./src/server/security-headers";

const config: NextConfig = {
  // Internal packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@fleetwatch/api", "@fleetwatch/core", "@fleetwatch/db"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs", "nodemailer", "node-cron"],
  poweredByHeader: false,
  typedRoutes: false,
  // On every response, static files and agents' calls included; the CSP and HSTS come from proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] }];
  },
  // Browsers still ask for /favicon.ico on their own (headless Chromium now and then): the icon is an SVG.
  async redirects() {
    return [{ source: "/favicon.ico", destination: "/icon.svg", permanent: true }];
  },
};

export default config;
