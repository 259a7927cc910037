/**
 * A32: a secret rotated often has hundreds of versions over many pages, in
 * no useful order, and Key Vault cannot list only the newest. The collector
 * reads them all once per run, sorts them by `created`, and gives up at a
 * time limit with a gap rather than judge the pages it got.
 */
import { afterEach, describe, expect, it } from "vitest";

import { sortNewestFirst } from "../../src/audit/collect/list-secret-versions.js";
import type { CollectDeps } from "../../src/audit/collect/collect-snapshot.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { SecretVersionProperties } from "../../src/audit/snapshot/snapshot.js";
import {
  makeHexId,
  makeKeyVaultReference,
  makeSecretVersion,
  toUnixSeconds,
} from "../fake-azure/estate-builders.js";
import type { FakeEstate, FakeSecretVersion } from "../fake-azure/estate-model.js";
import type { FakeAzureOptions } from "../fake-azure/fake-azure.js";
import { AUDIT_NOW, makeSmallEstate, makeSmallPolicy, SMALL, toLine } from "./audit-fake-kit.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const VERSION_COUNT = 600;
const PAGE_SIZE = 25;
// Key Vault's first page is empty and its last says `nextLink: null`.
const FULL_LISTING_PAGES = VERSION_COUNT / PAGE_SIZE + 2;
const FIRST_CREATED = toUnixSeconds("2025-01-01T00:00:00Z");
const TWELVE_HOURS = 12 * 3600;
const SECRET_ID = `${SMALL.vaultId}/secrets/${SMALL.secret}`;

function versionId(index: number): string {
  return makeHexId(`a32-version-${index}`);
}

/**
 * Version `index` is created 12 hours after the one before. The two newest
 * are disabled (never put in use), so the last rotation is version 597; an
 * old version's tags were edited yesterday, which is no rotation (A20).
 */
function makeVersion(index: number): FakeSecretVersion {
  const created = FIRST_CREATED + index * TWELVE_HOURS;

  return makeSecretVersion({
    version: versionId(index),
    created,
    updated: index === 3 ? toUnixSeconds("2026-11-30T00:00:00Z") : created,
    expires: toUnixSeconds("2027-06-01T00:00:00Z"),
    enabled: index < VERSION_COUNT - 2 && index % 50 !== 7,
  });
}

/**
 * The small estate with 600 versions of its secret. The fake pages them in
 * version-id order, as Key Vault does; the ids are hashes, so the pages
 * arrive in no order of creation. The estate's own list is shuffled too.
 */
function makeManyVersionEstate(): FakeEstate {
  const estate = makeSmallEstate();
  const order = Array.from({ length: VERSION_COUNT }, (_, i) => (i * 7919) % VERSION_COUNT);
  estate.vaults[0]!.secrets[0]!.versions = order.map(makeVersion);
  estate.paging.vaultPageSize = PAGE_SIZE;

  return estate;
}

function versionRequests(harness: CollectHarness) {
  return harness.fake.requests((r) => r.path.endsWith(`/secrets/${SMALL.secret}/versions`));
}

describe("collectSnapshot: many secret versions (A32)", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  async function audit(
    estate: FakeEstate,
    deps: Partial<CollectDeps> = {},
    fakeOptions: FakeAzureOptions = {},
  ) {
    const policy = { lastVerified: "2026-11-01", ...makeSmallPolicy() };
    harness = await startHarness(estate, policy, fakeOptions);
    const snapshot = await harness.collect(deps);
    const findings = evaluateRules({ policy: harness.policy, snapshot, now: AUDIT_NOW });

    return { snapshot, findings, lines: findings.map(toLine) };
  }

  it("should sort 600 versions from shuffled pages by created, listing them once", async () => {
    const estate = makeManyVersionEstate();
    // A second setting pinned to an old version: one more reason, no second listing.
    estate.sites[0]!.appSettings.DATABASE_URL_RO = makeKeyVaultReference(
      SMALL.vault,
      SMALL.secret,
      versionId(10),
    );

    const { snapshot, findings } = await audit(estate);

    expect(snapshot.gaps).toEqual([]);
    expect(versionRequests(harness)).toHaveLength(FULL_LISTING_PAGES);
    const versions = snapshot.vaults[0]!.secrets[0]!.versions!;
    expect(versions).toHaveLength(VERSION_COUNT);
    expect(versions.map((v) => v.version)).toEqual(
      Array.from({ length: VERSION_COUNT }, (_, i) => versionId(VERSION_COUNT - 1 - i)),
    );
    expect(versions.find((v) => v.enabled)?.version).toBe(versionId(597));
    const rotation = findings.filter((f) => f.ruleId === "ROTATION_OVERDUE");
    expect(rotation.map(toLine)).toEqual([
      "ROTATION_OVERDUE high: Secret POSTGRES-CONN in vault kv-ai-trader-prod was last rotated 400 days ago; its rotation limit is 90 days.",
    ]);
    expect(rotation[0]!.evidence.version).toBe(versionId(597));
    expect(harness.fake.secretValueRequests()).toEqual([]);
  });

  it("should abort a listing past its time limit with a gap, never a partial list", async () => {
    // The first five pages (100 versions) come at once; the sixth hangs.
    let pagesServed = 0;
    const slowAfterFivePages: FakeAzureOptions["extraLatencyMs"] = (_server, request) => {
      if (!request.path.endsWith("/versions")) {
        return 0;
      }
      pagesServed += 1;

      return pagesServed > 5 ? 4_000 : 0;
    };
    const started = Date.now();

    const { snapshot, findings, lines } = await audit(
      makeManyVersionEstate(),
      { versionListingTimeoutMs: 500 },
      { extraLatencyMs: slowAfterFivePages },
    );

    // Aborted, not waited out: the hanging page would have taken 4 s.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(snapshot.vaults[0]!.secrets[0]!.versions).toBeUndefined();
    expect(snapshot.gaps).toEqual([
      {
        resourceId: SECRET_ID,
        what: "secretVersions",
        reason:
          "the listing was cut off at its time limit of 0.5 s after 5 pages (100 versions), and " +
          "Key Vault has no newest-first query to read fewer; run the audit again at a quieter " +
          "hour, or raise the collector's versionListingTimeoutMs",
        statusCode: undefined,
        errorCode: "VersionListingTimedOut",
      },
    ]);
    expect(findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual([
      "SECRET_DISABLED POSTGRES-CONN",
      "NOT_EVALUATED secretVersions: POSTGRES-CONN",
    ]);
    expect(lines[1]).toBe(
      `NOT_EVALUATED medium: Could not read secretVersions of ${SECRET_ID}: ` +
        snapshot.gaps[0]!.reason,
    );
    expect(pagesServed).toBe(6);
  });

  it("should give up on a vault slow on every page, and judge no rotation", async () => {
    const { snapshot, findings } = await audit(
      makeManyVersionEstate(),
      { versionListingTimeoutMs: 150 },
      { latencyMs: 20 },
    );

    expect(snapshot.gaps.map((gap) => [gap.resourceId, gap.what, gap.errorCode])).toEqual([
      [SECRET_ID, "secretVersions", "VersionListingTimedOut"],
    ]);
    expect(snapshot.gaps[0]!.reason).toMatch(
      /^the listing was cut off at its time limit of 0\.15 s/,
    );
    expect(versionRequests(harness).length).toBeLessThan(FULL_LISTING_PAGES);
    expect(findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual([
      "SECRET_DISABLED POSTGRES-CONN",
      "NOT_EVALUATED secretVersions: POSTGRES-CONN",
    ]);
  });
});

describe("sortNewestFirst", () => {
  function version(id: string, createdOn: string | undefined): SecretVersionProperties {
    return {
      version: id,
      enabled: true,
      createdOn,
      updatedOn: undefined,
      expiresOn: undefined,
      notBefore: undefined,
    };
  }

  it("should order by created, then by id within one second, with unknown dates last", () => {
    const sorted = sortNewestFirst([
      version("c", undefined),
      version("b", "2026-11-01T00:00:00.000Z"),
      version("a", "2026-11-01T00:00:00.000Z"),
      version("d", "2026-11-02T00:00:00.000Z"),
    ]);

    expect(sorted.map((v) => v.version)).toEqual(["d", "a", "b", "c"]);
  });
});
