import type { NextConfig } from "next";

const config: NextConfig = {
  // Internal packages ship TypeScript source; Next compiles them.
  transpilePackages: ["@fleetwatch/api", "@fleetwatch/core", "@fleetwatch/db"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "bcryptjs", "nodemailer", "node-cron"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
