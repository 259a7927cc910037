/**
 * TLS material for the loopback fake of Azure.
 *
 * The Azure SDK refuses bearer tokens over plain http, so the fake speaks
 * https with a certificate signed by a throwaway CA made for each test run.
 * Node trusts that CA only through NODE_EXTRA_CA_CERTS, which it reads once
 * at process start: the vitest global setup writes the files and sets the
 * variable before any test worker (or CLI child process) is started.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { generate } from "selfsigned";

/** Points at the folder holding `ca.pem`, `server-key.pem`, `server-cert.pem`. */
export const TLS_DIR_ENV = "DRIFT_TEST_TLS_DIR";

export interface TestTls {
  dir: string;
  caFile: string;
  key: string;
  cert: string;
}

/** Raised when the fake is started outside the vitest setup that trusts its CA. */
export class TestTlsMissingError extends Error {
  readonly code = "TEST_TLS_MISSING";

  constructor(detail: string) {
    super(
      `The fake's TLS material is not available (${detail}). Run tests through ` +
        "`npx vitest`, whose global setup (test/fake-azure/global-setup.ts) creates it, " +
        `or set ${TLS_DIR_ENV} and NODE_EXTRA_CA_CERTS before starting node.`,
    );
    this.name = "TestTlsMissingError";
  }
}

const LIFETIME_MS = 2 * 24 * 60 * 60 * 1000;

/** Creates a CA and a localhost server certificate in a fresh temp folder. */
export async function createTestTls(): Promise<TestTls> {
  const dir = mkdtempSync(join(tmpdir(), "drift-auditor-tls-"));
  const notAfterDate = new Date(Date.now() + LIFETIME_MS);
  const ca = await generate([{ name: "commonName", value: "drift-auditor test CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  writeFileSync(join(dir, "ca.pem"), ca.cert);
  writeFileSync(join(dir, "server-key.pem"), server.private, { mode: 0o600 });
  writeFileSync(join(dir, "server-cert.pem"), server.cert);

  return loadTestTls(dir);
}

/** Reads the material the global setup wrote; throws a typed error when absent. */
export function loadTestTls(dir = process.env[TLS_DIR_ENV]): TestTls {
  if (!dir) {
    throw new TestTlsMissingError(`${TLS_DIR_ENV} is not set`);
  }

  const caFile = join(dir, "ca.pem");
  if (!existsSync(caFile)) {
    throw new TestTlsMissingError(`${caFile} does not exist`);
  }

  return {
    dir,
    caFile,
    key: readFileSync(join(dir, "server-key.pem"), "utf8"),
    cert: readFileSync(join(dir, "server-cert.pem"), "utf8"),
  };
}
