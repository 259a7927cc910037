import { execFile } from "node:child_process";
import net from "node:net";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeDefaultEstate } from "./default-estate.js";
import { startFakeAzure } from "./fake-azure.js";
import type { FakeAzure } from "./fake-azure.js";
import { refusedConnections } from "./loopback-guard.js";

const run = promisify(execFile);

// Prints the status code of an unauthenticated GET, or the TLS error.
const PROBE = `
const url = process.argv[1];
require("node:https").get(url, (r) => { console.log(r.statusCode); r.resume(); })
  .on("error", (e) => { console.log(e.code || e.message); });
`;

describe("trust and reach of the test run", () => {
  let fake: FakeAzure;

  beforeAll(async () => {
    fake = await startFakeAzure(makeDefaultEstate());
  });

  afterAll(async () => {
    await fake.close();
  });

  it("should let a spawned child process trust the fake through NODE_EXTRA_CA_CERTS", async () => {
    const url = `${fake.armEndpoint}/subscriptions?api-version=2022-12-01`;

    const trusted = await run(process.execPath, ["-e", PROBE, url]);
    const untrusted = await run(process.execPath, ["-e", PROBE, url], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: "" },
    });

    expect(trusted.stdout.trim()).toBe("401");
    expect(untrusted.stdout.trim()).toMatch(/CERT|VERIFY/);
  });

  it("should refuse a connection beyond loopback before it leaves the process", async () => {
    const socket = net.connect(443, "192.0.2.1");

    const error = await new Promise<Error>((resolve) => socket.on("error", resolve));

    expect(error.message).toContain("only loopback is allowed");
    expect(refusedConnections).toContain("192.0.2.1");
  });
});
