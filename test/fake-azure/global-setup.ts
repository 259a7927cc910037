/**
 * Vitest global setup: runs once in the main process before any worker.
 *
 * Vitest forks each worker with `{...process.env, ...test.env}`, so the two
 * variables set here reach every worker at its start, which is when Node
 * reads NODE_EXTRA_CA_CERTS. A CLI spawned from a test inherits the worker's
 * environment and trusts the fake the same way.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { createTestTls, TLS_DIR_ENV } from "./test-tls.js";

let createdDir: string | undefined;

export async function setup(): Promise<void> {
  const tls = await createTestTls();

  createdDir = tls.dir;
  process.env[TLS_DIR_ENV] = tls.dir;
  process.env.NODE_EXTRA_CA_CERTS = writeTrustBundle(tls.dir, tls.caFile);
}

// A developer behind a TLS-inspecting proxy may already need an extra CA;
// keep it trusted alongside ours instead of replacing it.
function writeTrustBundle(dir: string, caFile: string): string {
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  if (!existing || !existsSync(existing)) {
    return caFile;
  }

  const bundle = join(dir, "trust-bundle.pem");
  writeFileSync(bundle, readFileSync(existing, "utf8") + "\n" + readFileSync(caFile, "utf8"));

  return bundle;
}

export function teardown(): void {
  if (createdDir) {
    rmSync(createdDir, { recursive: true, force: true });
  }
}
