/**
 * Azurite's blob service, started by the tests on a free loopback port,
 * in memory and with its telemetry off; stopped when the test is done.
 *
 *   const azurite = await startAzurite();
 *   ... BlobServiceClient.fromConnectionString(azurite.connectionString) ...
 *   await azurite.stop();
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Azurite {
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  readonly blobEndpoint: string;
  readonly connectionString: string;
  stop(): Promise<void>;
}

// Azurite's documented development account; it guards nothing but the emulator.
const ACCOUNT = "devstoreaccount1";
const ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const LISTENING = /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/;
const START_TIMEOUT_MS = 30_000;

function blobMain(): string {
  return createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
}

function waitForEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      reject(new Error(`Azurite did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };

    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${String(code)} before listening:\n${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startAzurite(): Promise<Azurite> {
  // In memory, but Azurite still resolves its workspace from the cwd: keep it off the repo.
  const cwd = await mkdtemp(join(tmpdir(), "drift-azurite-"));
  const child = spawn(
    process.execPath,
    [
      blobMain(),
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--skipApiVersionCheck",
    ],
    {
      cwd,
      env: { ...process.env, APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const origin = await waitForEndpoint(child);
  const blobEndpoint = `${origin}/${ACCOUNT}`;

  return {
    blobEndpoint,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};` +
      `BlobEndpoint=${blobEndpoint};`,
    async stop() {
      await stopChild(child);
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
