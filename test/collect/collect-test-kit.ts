/**
 * Shared set-up for collector tests: a fake Azure per test, the real
 * DefaultAzureCredential pointed at its token endpoint, and a logger that
 * keeps every line so tests can check nothing secret was logged.
 */
import { DefaultAzureCredential } from "@azure/identity";

import { collectSnapshot } from "../../src/audit/collect/collect-snapshot.js";
import type { CollectDeps } from "../../src/audit/collect/collect-snapshot.js";
import { createJsonLineLogger } from "../../src/audit/logger.js";
import type { Policy } from "../../src/audit/policy/policy-model.js";
import type { Snapshot } from "../../src/audit/snapshot/snapshot.js";
import { makeDefaultEstate } from "../fake-azure/default-estate.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";
import { startFakeAzure } from "../fake-azure/fake-azure.js";
import type { FakeAzure, FakeAzureOptions } from "../fake-azure/fake-azure.js";
import { makePolicyForFake } from "../fake-azure/policy-for-fake.js";

export interface CollectHarness {
  fake: FakeAzure;
  policy: Policy;
  logLines: string[];
  collect(overrides?: Partial<CollectDeps>): Promise<Snapshot>;
  close(): Promise<void>;
}

/** Starts a fake of `estate` (the seeded one by default) and a policy bound to it. */
export async function startHarness(
  estate: FakeEstate = makeDefaultEstate(),
  policyOverrides: Partial<Policy> = {},
  fakeOptions: FakeAzureOptions = {},
): Promise<CollectHarness> {
  const fake = await startFakeAzure(estate, fakeOptions);
  const restoreEnv = fake.useManagedIdentityEnv();
  const policy = makePolicyForFake(fake, policyOverrides);
  const logLines: string[] = [];
  const logger = createJsonLineLogger((line) => logLines.push(line));

  return {
    fake,
    policy,
    logLines,
    collect: (overrides = {}) =>
      collectSnapshot(policy, { credential: new DefaultAzureCredential(), logger, ...overrides }),
    close: async () => {
      restoreEnv();
      await fake.close();
    },
  };
}

/** Every setting value and secret value planted in an estate. */
export function plantedValues(estate: FakeEstate): string[] {
  const siteValues = estate.sites.flatMap((site) =>
    [site, ...site.slots].flatMap((config) => [
      ...Object.values(config.appSettings),
      ...Object.values(config.connectionStrings).map((c) => c.value),
    ]),
  );
  const secretValues = estate.vaults.flatMap((vault) => [
    ...vault.secrets.flatMap((s) => s.versions.map((v) => v.value)),
    ...vault.deletedSecrets.map((d) => d.current.value),
  ]);

  // Short values ("8000") could appear by coincidence; the planted secrets are long.
  return [...siteValues, ...secretValues].filter((value) => value.length >= 12);
}
