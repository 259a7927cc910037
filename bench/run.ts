/**
 * `npm run bench`: makes the fake Azure's throwaway CA, then starts the
 * benchmark in a child node with NODE_EXTRA_CA_CERTS set, because node reads
 * that variable only at process start. The CA is the one the tests use
 * (test/fake-azure/global-setup.ts), and is removed when the child exits.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { setup, teardown } from "../test/fake-azure/global-setup.js";

const BENCH = fileURLToPath(new URL("./run-benchmarks.js", import.meta.url));

/** Variables that could point a credential or a client somewhere other than the fake. */
const INHERITED_BUT_DROPPED = /^(AZURE_|IDENTITY_|MSI_|IMDS_|(HTTPS?|ALL|NO)_PROXY$)/i;

/** The child's environment: ours, minus Azure and proxy settings, plus the bench's. */
function makeBenchEnv(): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !INHERITED_BUT_DROPPED.test(name));

  return {
    ...Object.fromEntries(kept),
    // Only managed identity, and only the fake's token endpoint once the bench sets it.
    AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    // Nothing reports usage to Microsoft.
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "true",
    APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
  };
}

function runBench(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [BENCH, ...args], {
    env: makeBenchEnv(),
    stdio: "inherit",
  });

  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  // Ctrl-C reaches the child too; outlive it so the CA folder is still removed.
  process.on("SIGINT", () => {});
  // Sets NODE_EXTRA_CA_CERTS and DRIFT_TEST_TLS_DIR in this process's env.
  await setup();

  try {
    process.exitCode = await runBench(process.argv.slice(2));
  } finally {
    teardown();
  }
}

await main();
