import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // One throwaway PostgreSQL for the run unless FLEETWATCH_TEST_PG_URL / DATABASE_URL names one.
    globalSetup: ["@fleetwatch/db/testing-global-setup"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
