/**
 * Section 3: the real `collectSnapshot` with the real DefaultAzureCredential
 * (managed identity) against the loopback fake of Azure holding hundreds of
 * apps, every answer delayed as ARM's would be, once one app at a time and
 * once at the default concurrency. From the faster run it extrapolates
 * whether 500 apps fit in the Function's 10-minute timeout.
 */
import { DefaultAzureCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/identity";

import { collectSnapshot } from "../src/audit/collect/collect-snapshot.js";
import type { LogFields, Logger } from "../src/audit/logger.js";
import type { Policy } from "../src/audit/policy/policy-model.js";
import type { Snapshot } from "../src/audit/snapshot/snapshot.js";
import { startFakeAzure } from "../test/fake-azure/fake-azure.js";
import type { FakeAzure } from "../test/fake-azure/fake-azure.js";
import { describeCollection } from "./describe-collection.js";
import type { CollectRun, CollectSetup } from "./describe-collection.js";
import { PLAN_IDS, planEstate } from "./estate-plan.js";
import type { EstatePlan } from "./estate-plan.js";
import { makePlanEstate } from "./make-plan-estate.js";
import { makePlanPolicy } from "./make-plan-policy.js";
import { measureOnce } from "./measure.js";

/** What the section measures; the report names every one of these. */
export const COLLECT_SETUP: CollectSetup = {
  apps: 300,
  latencyMs: 20,
  defaultConcurrency: 8,
  targetApps: 500,
  timeoutSeconds: 600,
};

const WARMUP_APPS = 10;

/** A logger that keeps each stage's duration and counts warnings. */
function makeStageLogger(stages: Record<string, number>, warnings: string[]): Logger {
  return {
    info(message: string, fields: LogFields = {}) {
      if (message.startsWith("collected ") && typeof fields.durationMs === "number") {
        stages[message.slice("collected ".length)] = fields.durationMs;
      }
    },
    warn(message: string, fields: LogFields = {}) {
      warnings.push(`${message} ${String(fields.what ?? "")} ${String(fields.statusCode ?? "")}`);
    },
    error(message: string) {
      warnings.push(message);
    },
  };
}

function isLoopbackUrl(url: string | undefined): boolean {
  return url !== undefined && URL.canParse(url) && new URL(url).hostname === "127.0.0.1";
}

/**
 * Refuses to build a credential unless every endpoint it or the clients
 * could reach is the loopback fake, and only managed identity is in play.
 */
function requireLoopbackOnly(fake: FakeAzure, policy: Policy): void {
  const env = process.env;
  const problems = [
    env.IDENTITY_ENDPOINT !== fake.identityEndpoint && "IDENTITY_ENDPOINT is not the fake's",
    env.IDENTITY_HEADER !== fake.identityHeader && "IDENTITY_HEADER is not the fake's",
    !isLoopbackUrl(env.IDENTITY_ENDPOINT) && "IDENTITY_ENDPOINT is not on 127.0.0.1",
    env.AZURE_TOKEN_CREDENTIALS !== "ManagedIdentityCredential" &&
      "AZURE_TOKEN_CREDENTIALS is not ManagedIdentityCredential",
    !isLoopbackUrl(policy.endpoints.armEndpoint) && "the ARM endpoint is not on 127.0.0.1",
    Object.values(policy.vaults).some((v) => !isLoopbackUrl(v.vaultUrl)) &&
      "a vault URL is not on 127.0.0.1",
  ].filter((problem): problem is string => typeof problem === "string");

  if (problems.length > 0) {
    throw new Error(`Refusing to collect: ${problems.join("; ")}. Start with \`npm run bench\`.`);
  }
}

function makePolicyFor(fake: FakeAzure, plan: EstatePlan): Policy {
  const endpoints = {
    armEndpoint: fake.armEndpoint,
    armScope: `${fake.armAudience}/.default`,
    disableChallengeResourceVerification: true,
    graphEndpoint: fake.graphEndpoint,
    graphScope: `${fake.graphAudience}/.default`,
    verifyPrincipals: true,
  };

  return makePlanPolicy(plan, endpoints, fake.vaultUrl(PLAN_IDS.vaultName));
}

function countBy(fake: FakeAzure, prefix: string): number {
  return fake.requests((entry) => entry.server.startsWith(prefix)).length;
}

async function collectOnce(
  fake: FakeAzure,
  credential: TokenCredential,
  policy: Policy,
  concurrency: number,
): Promise<CollectRun> {
  const stages: Record<string, number> = {};
  const warnings: string[] = [];
  const logger = makeStageLogger(stages, warnings);

  fake.clearLog();
  const cpuBefore = process.cpuUsage();
  const { ms, result } = await measureOnce(() =>
    collectSnapshot(policy, { credential, logger, concurrency }),
  );
  const cpu = process.cpuUsage(cpuBefore);

  return {
    concurrency,
    wallMs: ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    stages,
    warnings,
    requests: { arm: countBy(fake, "arm"), vault: countBy(fake, "vault:") },
    tokenRequests: countBy(fake, "identity"),
    unsafeRequests: fake.secretValueRequests().length + fake.writeRequests().length,
    snapshot: summarize(result),
  };
}

function summarize(snapshot: Snapshot): CollectRun["snapshot"] {
  return {
    sites: snapshot.sites.length,
    secrets: snapshot.vaults.reduce((sum, vault) => sum + vault.secrets.length, 0),
    roleAssignments: snapshot.roleAssignments.length,
    gaps: snapshot.gaps.length,
  };
}

/** Runs the collection benchmark and returns the report lines. */
export async function benchCollect(): Promise<string[]> {
  const setup = COLLECT_SETUP;
  const plan = planEstate(setup.apps);
  const fake = await startFakeAzure(makePlanEstate(plan), { latencyMs: setup.latencyMs });
  const restoreEnv = fake.useManagedIdentityEnv();

  try {
    const policy = makePolicyFor(fake, plan);
    const warmup = makePolicyFor(fake, { ...plan, apps: plan.apps.slice(0, WARMUP_APPS) });

    requireLoopbackOnly(fake, policy);
    const credential = new DefaultAzureCredential();

    // First token, TLS sessions and JIT, so neither measured run pays for them.
    await collectOnce(fake, credential, warmup, setup.defaultConcurrency);
    const serial = await collectOnce(fake, credential, policy, 1);
    const parallel = await collectOnce(fake, credential, policy, setup.defaultConcurrency);

    return describeCollection(setup, plan, serial, parallel);
  } finally {
    restoreEnv();
    await fake.close();
  }
}
