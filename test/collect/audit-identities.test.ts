/**
 * Who the documented identities are, judged on what the real collector
 * read: each slot's own system-assigned identity, and user-assigned
 * identities no audited site carries, read from Microsoft.ManagedIdentity.
 */
import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { DEFAULT_IDS } from "../fake-azure/default-estate.js";
import { makeSlot, makeSystemIdentity } from "../fake-azure/estate-builders.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";
import {
  auditThroughFake,
  grant,
  makeSmallEstate,
  makeSmallIdentity,
  makeSmallPolicy,
  SMALL,
  userAssignedId,
} from "./audit-fake-kit.js";

const STAGING_PRINCIPAL = "33333333-0000-4000-8000-000000000003";
const BATCH_PRINCIPAL = "44444444-0000-4000-8000-000000000004";
const UAI = userAssignedId("id-batch");

/** The small estate with slot staging and, unless told, its own identity granted like production. */
function withStagingSlot(hasIdentity = true): FakeEstate {
  const principalId = hasIdentity ? STAGING_PRINCIPAL : undefined;
  const estate = makeSmallEstate();
  estate.sites[0]!.slots.push(
    makeSlot({
      name: "staging",
      identity: principalId ? makeSystemIdentity(principalId, DEFAULT_IDS.tenantId) : undefined,
      appSettings: { ...estate.sites[0]!.appSettings },
    }),
  );
  if (principalId) {
    estate.roleAssignments.push(grant(principalId, "Key Vault Secrets User", SMALL.vaultId));
  }

  return estate;
}

function stagingPolicy(): Partial<Policy> {
  const policy = makeSmallPolicy();
  policy.apps!.api!.slots = ["staging"];

  return policy;
}

/** The doc adds user-assigned identity id-batch with Key Vault Secrets User on the vault. */
function batchPolicy(): Partial<Policy> {
  return makeSmallPolicy({
    identities: [
      makeSmallIdentity(),
      makeSmallIdentity({
        name: "id-batch",
        principal: { kind: "userAssigned", resourceId: UAI },
        objectIdSuffix: undefined,
      }),
    ],
  });
}

/** The small estate with id-batch existing on its own, holding `granted` roles. */
function withBatchIdentity(granted: boolean): FakeEstate {
  const estate = makeSmallEstate();
  estate.userAssignedIdentities = [
    {
      resourceGroup: DEFAULT_IDS.resourceGroup,
      name: "id-batch",
      principalId: BATCH_PRINCIPAL,
      clientId: "55555555-0000-4000-8000-000000000005",
      location: "westeurope",
    },
  ];
  if (granted) {
    estate.roleAssignments.push(grant(BATCH_PRINCIPAL, "Key Vault Secrets User", SMALL.vaultId));
  }

  return estate;
}

describe("slot identities through the fake", () => {
  it("should accept a slot whose own identity holds the documented roles, and list its grants", async () => {
    const audit = await auditThroughFake(withStagingSlot(), { policy: stagingPolicy() });

    expect(audit.lines).toEqual([
      "SETTING_NOT_STICKY info: Setting DATABASE_URL on app ai-trader-api is not a slot setting; it swaps with the code.",
    ]);
    expect(audit.snapshot.principalsQueried).toContain(STAGING_PRINCIPAL);
  });

  it("should judge a slot's own identity against the documented roles, under the slot's name", async () => {
    const estate = withStagingSlot();
    estate.roleAssignments.pop();
    estate.roleAssignments.push(
      grant(STAGING_PRINCIPAL, "Key Vault Secrets User", SMALL.resourceGroupId),
      grant(STAGING_PRINCIPAL, "Reader", SMALL.resourceGroupId),
    );

    const audit = await auditThroughFake(estate, { policy: stagingPolicy() });

    expect(audit.lines.filter((line) => line.startsWith("ROLE_"))).toEqual([
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi (slot staging) holds Reader at ${SMALL.resourceGroupId}, which the doc does not list.`,
      `ROLE_SCOPE_BROADER_THAN_DOCUMENTED medium: Identity ai-trader-api-mi (slot staging) holds Key Vault Secrets User only at ${SMALL.resourceGroupId}, broader than the documented kv-ai-trader-prod; it applies to every resource below that scope.`,
    ]);
  });

  it("should report a slot without a system-assigned identity as its identity missing", async () => {
    const audit = await auditThroughFake(withStagingSlot(false), { policy: stagingPolicy() });

    expect(audit.lines.filter((line) => line.startsWith("IDENTITY_"))).toEqual([
      "IDENTITY_MISSING high: Slot staging of app ai-trader-api has no system-assigned managed identity, so documented identity ai-trader-api-mi (slot staging) does not exist.",
    ]);
    expect(audit.lines.some((line) => line.startsWith("ROLE_"))).toBe(false);
  });

  it("should not compare the doc's production object id with a slot's principal", async () => {
    const audit = await auditThroughFake(withStagingSlot(), { policy: stagingPolicy() });

    expect(audit.snapshot.sites.map((site) => site.identity?.principalId)).toEqual([
      SMALL.principalId,
      STAGING_PRINCIPAL,
    ]);
    expect(audit.findings.filter((f) => f.ruleId === "IDENTITY_OBJECT_ID_MISMATCH")).toEqual([]);
  });

  it("should say not evaluated, never role missing, when a slot's assignments cannot be listed", async () => {
    const audit = await auditThroughFake(withStagingSlot(), {
      policy: stagingPolicy(),
      prepare: (harness) => harness.fake.failArm(/roleAssignments$/),
    });

    expect(audit.lines).toContain(
      `NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi (slot staging): role assignments of principal ${STAGING_PRINCIPAL} were not listed.`,
    );
    expect(audit.lines.some((line) => line.startsWith("ROLE_MISSING"))).toBe(false);
  });
});

describe("user-assigned identities no audited site carries, through the fake", () => {
  it("should read the identity and accept it when it holds the documented roles", async () => {
    const audit = await auditThroughFake(withBatchIdentity(true), { policy: batchPolicy() });

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.principalsQueried).toContain(BATCH_PRINCIPAL);
  });

  it("should judge the identity it read: a documented role it lacks is missing", async () => {
    const audit = await auditThroughFake(withBatchIdentity(false), { policy: batchPolicy() });

    expect(audit.lines).toEqual([
      `ROLE_MISSING high: Identity id-batch (principal ${BATCH_PRINCIPAL}) does not hold Key Vault Secrets User on kv-ai-trader-prod, as the doc says it does.`,
    ]);
  });

  it("should report an identity Azure answers 404 for as missing, not as a gap", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), { policy: batchPolicy() });

    expect(audit.lines).toEqual([
      `IDENTITY_MISSING high: User-assigned identity ${UAI} does not exist (Azure answered 404), so documented identity id-batch does not exist; it was probably deleted.`,
    ]);
  });

  it("should say not evaluated when the identity cannot be read", async () => {
    const audit = await auditThroughFake(withBatchIdentity(false), {
      policy: batchPolicy(),
      prepare: (harness) => harness.fake.failArm(/userAssignedIdentities\/id-batch$/),
    });

    expect(audit.findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual([
      "NOT_EVALUATED id-batch",
      "NOT_EVALUATED userAssignedIdentity: id-batch",
    ]);
  });
});
