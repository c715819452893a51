import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // One throwaway PostgreSQL for the run unless FLEETWATCH_TEST_PG_URL / DATABASE_URL names one.
    globalSetup: ["./src/testing-global-setup.ts"],
    // Starting real PostgreSQL servers (ensure tests) takes seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
