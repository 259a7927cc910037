/**
 * Principals bound by object id (the CI principal), looked up in Microsoft
 * Entra ID through the fake's Microsoft Graph: a deleted principal is found
 * even though its role assignments still list.
 */
import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { BUILT_IN_ROLES } from "../fake-azure/estate-builders.js";
import type { FakeAzure } from "../fake-azure/fake-azure.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";
import {
  auditThroughFake,
  grant,
  makeSmallEstate,
  makeSmallIdentity,
  makeSmallPolicy,
  SMALL,
} from "./audit-fake-kit.js";

const CI_PRINCIPAL = "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0";
const CI_LINE = { file: "policy/secrets.md", line: 40 };

/** The small doc plus CI principal gh-ci with Key Vault Secrets User on the vault. */
function ciPolicy(principalType?: string): Partial<Policy> {
  return makeSmallPolicy({
    identities: [
      makeSmallIdentity(),
      makeSmallIdentity({
        name: "gh-ci",
        principal: { kind: "objectId", objectId: CI_PRINCIPAL },
        objectIdSuffix: undefined,
        identityType: "ci",
        ...(principalType ? { principalType } : {}),
        roles: [
          {
            roleName: "Key Vault Secrets User",
            roleDefinitionGuid: BUILT_IN_ROLES["Key Vault Secrets User"],
            scope: SMALL.vaultId,
            scopeLabel: SMALL.vault,
            docRef: CI_LINE,
          },
        ],
        docRef: CI_LINE,
      }),
    ],
  });
}

/** The small estate where the CI principal holds its grant and, unless told, exists. */
function withCiPrincipal(exists = true, kind: "servicePrincipal" | "user" = "servicePrincipal") {
  const estate: FakeEstate = makeSmallEstate();
  estate.roleAssignments.push(grant(CI_PRINCIPAL, "Key Vault Secrets User", SMALL.vaultId));
  estate.directoryObjects = exists ? [{ id: CI_PRINCIPAL, kind, displayName: "gh-ci" }] : [];

  return estate;
}

const GONE =
  `IDENTITY_MISSING high: Principal ${CI_PRINCIPAL}, bound to documented identity gh-ci, ` +
  "does not exist in Microsoft Entra ID (Microsoft Graph answered 404); it was deleted or " +
  "recreated under a new object id, and any role assignments it still has are orphaned.";

describe("principals bound by object id, through the fake's Microsoft Graph", () => {
  it("should accept a CI principal the directory has, asking Graph with a Graph token", async () => {
    let fake: FakeAzure | undefined;
    const audit = await auditThroughFake(withCiPrincipal(), {
      policy: ciPolicy(),
      prepare: (harness) => {
        fake = harness.fake;
      },
    });

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.directoryPrincipals).toEqual([
      {
        objectId: CI_PRINCIPAL,
        kind: "servicePrincipal",
        exists: true,
        servicePrincipalType: "Application",
      },
    ]);
    const graph = fake?.requests((entry) => entry.server === "graph") ?? [];
    expect(graph).toHaveLength(1);
    expect(graph[0]).toMatchObject({
      path: `/v1.0/servicePrincipals/${CI_PRINCIPAL}`,
      authorized: true,
      query: { $select: "id,servicePrincipalType" },
    });
  });

  it("should report a deleted CI principal once, though its orphaned grant still lists", async () => {
    const audit = await auditThroughFake(withCiPrincipal(false), { policy: ciPolicy() });

    expect(audit.lines).toEqual([GONE]);
    expect(audit.findings[0]?.docRef).toEqual(CI_LINE);
    expect(audit.findings[0]?.remediation).toContain(`[?principalId=='${CI_PRINCIPAL}'].id`);
  });

  it("should report a deleted CI principal that also lost its grants, without ROLE_MISSING", async () => {
    const estate = withCiPrincipal(false);
    estate.roleAssignments.pop();

    const audit = await auditThroughFake(estate, { policy: ciPolicy() });

    expect(audit.lines).toEqual([GONE]);
  });

  it("should look a principal up in the collection the doc's PrincipalType names", async () => {
    let fake: FakeAzure | undefined;
    const present = await auditThroughFake(withCiPrincipal(true, "user"), {
      policy: ciPolicy("User"),
      prepare: (harness) => {
        fake = harness.fake;
      },
    });

    expect(present.lines).toEqual([]);
    expect(present.snapshot.directoryPrincipals?.[0]).toEqual({
      objectId: CI_PRINCIPAL,
      kind: "user",
      exists: true,
    });
    expect(fake?.requests((entry) => entry.server === "graph").map((r) => r.path)).toEqual([
      `/v1.0/users/${CI_PRINCIPAL}`,
    ]);
  });

  it("should ask every collection before calling a principal of no stated type gone", async () => {
    let fake: FakeAzure | undefined;
    const user = await auditThroughFake(withCiPrincipal(true, "user"), {
      policy: ciPolicy(),
      prepare: (harness) => {
        fake = harness.fake;
      },
    });
    const gone = await auditThroughFake(withCiPrincipal(false), { policy: ciPolicy() });

    expect(user.lines).toEqual([]);
    expect(fake?.requests((entry) => entry.server === "graph").map((r) => r.path)).toEqual([
      `/v1.0/servicePrincipals/${CI_PRINCIPAL}`,
      `/v1.0/users/${CI_PRINCIPAL}`,
    ]);
    expect(gone.lines).toEqual([GONE]);
  });

  it("should not call a principal of a stated type gone when another collection has it", async () => {
    const audit = await auditThroughFake(withCiPrincipal(true, "user"), {
      policy: ciPolicy("ServicePrincipal"),
    });

    // The doc has the type wrong; the principal is there all the same.
    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.directoryPrincipals?.[0]).toMatchObject({ kind: "user", exists: true });
  });

  it("should say not evaluated when Graph refuses, and still judge the grants", async () => {
    const estate = withCiPrincipal();
    estate.roleAssignments.pop();

    const audit = await auditThroughFake(estate, {
      policy: ciPolicy(),
      prepare: (harness) =>
        harness.fake.inject({
          server: "graph",
          path: /servicePrincipals/,
          status: 403,
          code: "Authorization_RequestDenied",
          message: "Insufficient privileges to complete the operation.",
          times: Infinity,
        }),
    });

    expect(audit.findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual([
      "ROLE_MISSING gh-ci: Key Vault Secrets User",
      `NOT_EVALUATED directoryPrincipal: ${CI_PRINCIPAL}`,
    ]);
    expect(audit.findings[1]?.message).toContain("HTTP 403, Authorization_RequestDenied");
    expect(audit.snapshot.directoryPrincipals).toEqual([]);
  });

  it("should wait out Graph's throttling and then read the principal", async () => {
    const audit = await auditThroughFake(withCiPrincipal(), {
      policy: ciPolicy(),
      prepare: (harness) =>
        harness.fake.inject({
          server: "graph",
          path: /servicePrincipals/,
          status: 429,
          code: "TooManyRequests",
          message: "Too many requests.",
          headers: { "retry-after": "1" },
          times: 1,
        }),
    });

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.directoryPrincipals?.[0]?.exists).toBe(true);
  });

  it("should not call Graph when the bindings turn the lookup off, and say so in a note", async () => {
    let fake: FakeAzure | undefined;
    const audit = await auditThroughFake(withCiPrincipal(false), {
      policy: ciPolicy(),
      prepare: (harness) => {
        harness.policy.endpoints.verifyPrincipals = false;
        fake = harness.fake;
      },
    });

    expect(audit.lines).toEqual([
      `PRINCIPAL_NOT_VERIFIED info: Principal ${CI_PRINCIPAL} of documented identity gh-ci was not looked up in Microsoft Entra ID because the bindings (policy/bindings.yaml) set verifyPrincipals: false; if it was deleted, its grants would still list.`,
    ]);
    expect(audit.snapshot.directoryPrincipals).toBeUndefined();
    expect(fake?.requests((entry) => entry.server === "graph")).toEqual([]);
  });
});
