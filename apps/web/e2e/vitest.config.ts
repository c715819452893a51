import { defineConfig } from "vitest/config";

// End-to-end tests drive Debian's Chromium against a running stack (scripts/e2e.ts starts one).
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
