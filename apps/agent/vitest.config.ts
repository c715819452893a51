import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Unit tests beside the code: real temp files, no database.
        test: { name: "unit", include: ["src/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        // The agent against a real server (appRouter over HTTP on a throwaway PostgreSQL).
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          globalSetup: ["@fleetwatch/db/testing-global-setup"],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
