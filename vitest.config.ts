import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Creates the fake Azure's CA and sets NODE_EXTRA_CA_CERTS before workers
    // (and the CLI processes they spawn) start; see test/fake-azure/test-tls.ts.
    globalSetup: ["test/fake-azure/global-setup.ts"],
    // Fails any test whose code tries to connect beyond loopback.
    setupFiles: ["test/fake-azure/loopback-guard.ts"],
    env: {
      // Tests never report usage to Microsoft and never reach beyond loopback.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "true",
      APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
      AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    },
  },
});
