import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      // Tests never report usage to Microsoft and never reach beyond loopback.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "true",
      AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    },
  },
});
