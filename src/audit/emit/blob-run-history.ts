/**
 * Run history in Azure Blob Storage: every run as its own JSON document,
 * and one ledger of every finding's lifecycle per subscription, updated
 * with ETag conditions so two runs at once (a timer that fires twice, an
 * HTTP run during the nightly one) never overwrite each other's changes.
 *
 *   runs/<yyyy-mm-dd>/<run id>.json          the run, findings and lifecycle
 *   ledgers/<subscription id>.json           the lifecycle of every finding
 *
 * A run whose clock is more than an hour behind the ledger's last update,
 * or ahead of the real one (--now), is kept, but does not move the ledger.
 *
 * Findings hold names, ids, kinds and dates only, never a setting value
 * or a secret, so neither document does either.
 */
import type { TokenCredential } from "@azure/identity";
import { BlobServiceClient, ContainerClient } from "@azure/storage-blob";

import type { AuditRun, RunHistory } from "../audit-run.js";
import { advanceLedger, emptyLedger } from "../findings/lifecycle.js";
import type { FindingLedger, RunLifecycle } from "../findings/lifecycle.js";
import type { HistorySettings } from "./history-settings.js";

export function ledgerBlobName(subscriptionId: string): string {
  return `ledgers/${subscriptionId.toLowerCase()}.json`;
}

/**
 * How far a run's clock may be from the ledger's or the real one. Runs at
 * the same time (a timer and an HTTP run) are seconds apart and both count;
 * a clock set back with --now does not move the ledger back, and one set
 * ahead does not freeze it for every real run after.
 */
const CLOCK_TOLERANCE_MS = 60 * 60 * 1000;

function isAheadOfRealClock(run: AuditRun): boolean {
  return Date.parse(run.now) > Date.parse(run.startedAt) + CLOCK_TOLERANCE_MS;
}

/**
 * A ledger whose last update is itself ahead of the real clock was moved by
 * a run with its clock set ahead; the first real run takes it over.
 */
function isBehindLedger(ledger: FindingLedger, run: AuditRun): boolean {
  const updatedAt = Date.parse(ledger.updatedAt);
  const ledgerIsReal = updatedAt <= Date.parse(run.startedAt) + CLOCK_TOLERANCE_MS;

  return (
    ledger.updatedAt !== "" && ledgerIsReal && updatedAt > Date.parse(run.now) + CLOCK_TOLERANCE_MS
  );
}

/** Another run changed the ledger between our read and our write this many times: give up. */
const MAX_LEDGER_ATTEMPTS = 5;

interface StoredLedger {
  ledger: FindingLedger;
  /** Undefined when there is no ledger yet. */
  etag: string | undefined;
}

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "statusCode" in error
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}

async function readText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }

  return Buffer.concat(chunks).toString("utf8");
}

async function readLedger(container: ContainerClient, name: string): Promise<StoredLedger> {
  try {
    const response = await container.getBlockBlobClient(name).download();
    const ledger = JSON.parse(await readText(response.readableStreamBody)) as FindingLedger;

    return { ledger, etag: response.etag };
  } catch (error) {
    if (statusOf(error) === 404) {
      return { ledger: emptyLedger(), etag: undefined };
    }

    throw error;
  }
}

async function uploadJson(
  container: ContainerClient,
  name: string,
  data: unknown,
  conditions: { ifMatch: string } | { ifNoneMatch: "*" },
): Promise<void> {
  const body = JSON.stringify(data, null, 2) + "\n";

  await container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
    conditions,
    blobHTTPHeaders: { blobContentType: "application/json; charset=utf-8" },
  });
}

/** 412 (ETag moved) and 409 (created meanwhile): someone else wrote first. */
function isWriteConflict(error: unknown): boolean {
  const status = statusOf(error);

  return status === 412 || status === 409;
}

/** Read, advance, write only if unchanged since the read; on a conflict, again. */
async function advanceStoredLedger(
  container: ContainerClient,
  run: AuditRun,
): Promise<RunLifecycle | undefined> {
  const name = ledgerBlobName(run.subscriptionId);

  if (isAheadOfRealClock(run)) {
    return undefined;
  }

  for (let attempt = 1; ; attempt += 1) {
    const stored = await readLedger(container, name);

    if (isBehindLedger(stored.ledger, run)) {
      return undefined;
    }

    const { ledger, lifecycle } = advanceLedger(stored.ledger, run);

    try {
      await uploadJson(
        container,
        name,
        ledger,
        stored.etag ? { ifMatch: stored.etag } : { ifNoneMatch: "*" },
      );

      return lifecycle;
    } catch (error) {
      if (!isWriteConflict(error) || attempt >= MAX_LEDGER_ATTEMPTS) {
        throw error;
      }
    }
  }
}

const CLAIMS = "claims/";

function claimPrefix(scope: string): string {
  return `${CLAIMS}${scope.toLowerCase().replace(/[^0-9a-z-]/g, "-")}/`;
}

/** `claims/<subscription>/2026-12-01T02-00Z.json`: one claim per scope and slot. */
export function claimBlobName(scope: string, runKey: string): string {
  return `${claimPrefix(scope)}${runKey.replace(/[^0-9A-Za-z-]/g, "-")}.json`;
}

/** `…/2026-12-01T02-00Z.json` back to `2026-12-01T02:00Z`. */
function runKeyOfClaim(name: string): string | undefined {
  const match = /\/(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2}Z)\.json$/.exec(name);

  return match ? `${match[1] ?? ""}:${match[2] ?? ""}` : undefined;
}

export function runBlobName(run: AuditRun): string {
  return `runs/${run.startedAt.slice(0, 10)}/${run.id}.json`;
}

export function createBlobRunHistory(container: ContainerClient): RunHistory {
  let ready: Promise<unknown> | undefined;
  // Once per process; a failed attempt is tried again by the next call.
  const ensureContainer = () =>
    (ready ??= container.createIfNotExists().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));

  return {
    name: "run history",
    async record(run) {
      await ensureContainer();

      const lifecycle = await advanceStoredLedger(container, run);
      // A run id is new each run, so the run document is written once.
      await uploadJson(container, runBlobName(run), { ...run, lifecycle }, { ifNoneMatch: "*" });

      return lifecycle;
    },
    async previousClaim(scope, runKey) {
      await ensureContainer();

      let latest: string | undefined;
      for await (const blob of container.listBlobsFlat({ prefix: claimPrefix(scope) })) {
        const key = runKeyOfClaim(blob.name);
        if (key && key < runKey && (!latest || key > latest)) {
          latest = key;
        }
      }

      return latest;
    },
    async claim(scope, runKey) {
      await ensureContainer();

      try {
        await uploadJson(
          container,
          claimBlobName(scope, runKey),
          { scope, runKey },
          { ifNoneMatch: "*" },
        );

        return true;
      } catch (error) {
        if (isWriteConflict(error)) {
          return false;
        }

        throw error;
      }
    },
  };
}

// A few quick retries: an unreachable account should fail the run in
// seconds, not hold a Function for the SDK's default minutes.
const STORAGE_OPTIONS = {
  retryOptions: { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 5000 },
  userAgentOptions: { userAgentPrefix: "drift-auditor" },
};

/**
 * The history the settings describe; no request is made here. An account
 * URL signs in with `credential`; a connection string carries its own key.
 */
export function openBlobRunHistory(
  settings: HistorySettings,
  credential: TokenCredential | undefined,
): RunHistory {
  if (settings.kind === "connectionString") {
    const service = BlobServiceClient.fromConnectionString(
      settings.connectionString,
      STORAGE_OPTIONS,
    );

    return createBlobRunHistory(service.getContainerClient(settings.container));
  }

  if (!credential) {
    throw new Error("A run history at an account URL needs a credential to sign in with.");
  }

  const url = `${settings.accountUrl}/${settings.container}`;

  return createBlobRunHistory(new ContainerClient(url, credential, STORAGE_OPTIONS));
}
