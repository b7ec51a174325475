import { defineConfig } from "vitest/config";

// Two tiers: `unit` needs nothing running; `integration` talks to the real PostgreSQL,
// OpenSearch and moto servers that test/global-setup.ts starts when they are not up yet.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{stacks,local-cloud,components,cli,policies,apps,scripts,test}/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**", "dist/**"],
          pool: "forks",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["{stacks,local-cloud,components,cli,policies,apps,scripts,test}/**/*.integration.test.ts"],
          exclude: ["**/node_modules/**", "dist/**"],
          globalSetup: ["test/global-setup.ts"],
          pool: "forks",
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
