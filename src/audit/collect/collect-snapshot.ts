/**
 * Collects a snapshot of the live estate the policy is bound to, with the
 * real Azure SDKs: sites and slots with their settings (classified, values
 * dropped), vault secret properties (never a value), and role assignments.
 * Every failed read becomes a CollectionGap; nothing is silently skipped.
 */
import type { TokenCredential } from "@azure/identity";

import { AuditError } from "../audit-error.js";
import type { Logger } from "../logger.js";
import type { Policy } from "../policy/policy-model.js";
import { SNAPSHOT_SCHEMA_VERSION } from "../snapshot/snapshot.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import { createAzureClients } from "./azure-clients.js";
import type { CollectContext } from "./collect-context.js";
import { collectDirectory } from "./collect-directory.js";
import { collectRoles } from "./collect-roles.js";
import { collectSites } from "./collect-sites.js";
import { collectVaults } from "./collect-vaults.js";
import { CollectionRecord } from "./collection-record.js";

export interface CollectDeps {
  /** `new DefaultAzureCredential()` in production. */
  credential: TokenCredential;
  logger: Logger;
  /** Apps, vaults or principals read at once; default 8. */
  concurrency?: number;
  /** Retries after a failed request; default 1, so a second failure becomes a gap. */
  maxRetries?: number;
  /** Longest Retry-After worth waiting for; default 60 s. */
  maxRetryAfterSeconds?: number;
  /**
   * Longest one secret's version listing may take (all its pages); default
   * 30 s. Past it the listing is aborted and recorded as a gap (A32).
   */
  versionListingTimeoutMs?: number;
  /** Clock for `collectedAt`; the real one by default. */
  now?: () => Date;
}

const DEFAULT_CONCURRENCY = 8;
// Far inside a Function's 10-minute budget, and long enough for thousands
// of versions at Key Vault's 25 per page.
const DEFAULT_VERSION_LISTING_TIMEOUT_MS = 30_000;

/**
 * One token up front: if the credential cannot sign in, every read would
 * fail the same way (and managed identity retries each one), so stop with
 * one actionable error instead of hundreds of identical gaps.
 */
async function checkCredential(credential: TokenCredential, policy: Policy): Promise<void> {
  let failure: unknown;
  try {
    if (await credential.getToken(policy.endpoints.armScope)) {
      return;
    }
  } catch (error) {
    failure = error;
  }

  const detail =
    failure instanceof Error ? (failure.message.split("\n")[0] ?? "") : "no token was returned";

  throw new AuditError(
    "AZURE_SIGN_IN_FAILED",
    `Could not get an Azure token for ${policy.endpoints.armScope}: ${detail}. ` +
      "Sign in with `az login`, or run where a managed identity is available.",
    { cause: failure },
  );
}

async function runStage<T>(
  context: CollectContext,
  stage: string,
  work: () => Promise<T>,
  count: (result: T) => number,
): Promise<T> {
  const started = Date.now();
  const gapsBefore = context.record.gaps.length;
  const result = await work();

  context.logger.info(`collected ${stage}`, {
    count: count(result),
    gaps: context.record.gaps.length - gapsBefore,
    durationMs: Date.now() - started,
  });

  return result;
}

/** Collects the snapshot; throws only when no read at all could succeed. */
export async function collectSnapshot(policy: Policy, deps: CollectDeps): Promise<Snapshot> {
  const collectedAt = (deps.now ?? (() => new Date()))().toISOString();

  await checkCredential(deps.credential, policy);

  const context: CollectContext = {
    policy,
    clients: createAzureClients(policy, deps.credential, {
      maxRetries: deps.maxRetries ?? 1,
      maxRetryAfterSeconds: deps.maxRetryAfterSeconds ?? 60,
    }),
    record: new CollectionRecord(deps.logger, { subscriptionId: policy.subscriptionId }),
    logger: deps.logger,
    concurrency: Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY),
    versionListingTimeoutMs: deps.versionListingTimeoutMs ?? DEFAULT_VERSION_LISTING_TIMEOUT_MS,
  };
  const sites = await runStage(
    context,
    "sites",
    () => collectSites(context),
    (s) => s.length,
  );
  const [vaults, roles, directoryPrincipals] = await Promise.all([
    runStage(
      context,
      "vaults",
      () => collectVaults(context, sites),
      (v) => v.length,
    ),
    runStage(
      context,
      "role assignments",
      () => collectRoles(context, sites),
      (r) => r.roleAssignments.length,
    ),
    runStage(
      context,
      "directory principals",
      () => collectDirectory(context),
      (d) => d?.length ?? 0,
    ),
  ]);

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collectedAt,
    subscriptionId: policy.subscriptionId,
    vaults,
    sites,
    ...roles,
    gaps: context.record.gaps,
    notFound: context.record.notFound,
    ...(directoryPrincipals ? { directoryPrincipals } : {}),
  };
}
