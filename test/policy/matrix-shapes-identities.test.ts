/**
 * The answer keys of test/fixtures/matrix-shapes (EXPECTED.md §8, §9, §12,
 * §14): identities, roles and scopes.
 */
import { describe, expect, it } from "vitest";

import type { DocIdentity } from "../../src/audit/policy/policy-doc.js";
import { readFixture, ruleIds, warnings } from "./builders.js";

/** Each grant as `line identity: role @ scope-name-or-(kind)`. */
function grants(identities: readonly DocIdentity[]): string[] {
  return identities.flatMap((identity) =>
    identity.grants.map((grant) => {
      const scope = grant.scope.name ?? `(${grant.scope.service ?? grant.scope.kind ?? "none"})`;

      return `${grant.line} ${identity.name}: ${grant.roleName} @ ${scope}`;
    }),
  );
}

describe("shape-06: RBAC export without outer pipes", () => {
  const file = "shape-06-rbac-no-outer-pipes.md";

  it("finds the table at lines 35-39 under the management group heading", () => {
    const { doc } = readFixture(file);

    expect(
      doc.tables.map((table) => [table.kind, table.line, table.endLine, table.heading]),
    ).toEqual([["identities", 35, 39, "Management Group Assignments"]]);
  });

  it("reads three principals by object id, resolving built-in GUIDs and keeping custom ones", () => {
    const { doc } = readFixture(file);

    expect(
      doc.identities.map((identity) => [
        identity.line,
        identity.objectId,
        identity.principalType,
        identity.grants.map((grant) => [grant.roleDefinitionGuid, grant.roleName]),
      ]),
    ).toEqual([
      [
        37,
        "1a2b3c4d-0000-4000-8000-000000000601",
        "Group",
        [["4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User"]],
      ],
      [
        38,
        "1a2b3c4d-0000-4000-8000-000000000602",
        "Group",
        [["acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"]],
      ],
      [
        39,
        "1a2b3c4d-0000-4000-8000-000000000603",
        "ServicePrincipal",
        [["1a2b3c4d-0000-4000-8000-0000000006a3", "1a2b3c4d-0000-4000-8000-0000000006a3"]],
      ],
    ]);
  });

  it("scopes every assignment to management group mg-shop, with no condition", () => {
    const { doc, policy } = readFixture(file);
    const all = doc.identities.flatMap((identity) => identity.grants);

    expect(all.map((grant) => [grant.scope.kind, grant.scope.name, grant.condition])).toEqual([
      ["managementGroup", "mg-shop", undefined],
      ["managementGroup", "mg-shop", undefined],
      ["managementGroup", "mg-shop", undefined],
    ]);
    expect(policy.identities[0]?.roles[0]?.scope).toBe(
      "/providers/Microsoft.Management/managementGroups/mg-shop",
    );
  });

  it("binds each principal by its object id and raises no warning for the custom GUID", () => {
    const { policy } = readFixture(file);

    expect(policy.identities[2]?.principal).toEqual({
      kind: "objectId",
      objectId: "1a2b3c4d-0000-4000-8000-000000000603",
    });
    expect(policy.findings).toEqual([]);
  });
});

describe("shape-07: deploy guide with prose scopes", () => {
  const file = "shape-07-deploy-guide-two-tables.md";

  it("reads five assignments for two identities, scopes given only as kinds", () => {
    expect(grants(readFixture(file).doc.identities)).toEqual([
      "57 Render Function: Key Vault Secrets User @ (Key Vault)",
      "58 Render Function: Managed Identity Operator @ (Resource Group)",
      "59 Render Function: Storage Blob Data Contributor @ (Blob Storage)",
      "60 Worker Job: Azure Service Bus Data Receiver @ (Service Bus)",
      "61 Worker Job: Storage Blob Data Contributor @ (Blob Storage)",
    ]);
  });

  it("takes the identity type from (SAMI) and (UAMI)", () => {
    const { doc } = readFixture(file);

    expect(doc.identities.map((identity) => [identity.name, identity.identityType])).toEqual([
      ["Render Function", "systemAssigned"],
      ["Worker Job", "userAssigned"],
    ]);
  });

  it("drops a trailing 'role' on line 61 but keeps the words as written", () => {
    const line61 = readFixture(file).doc.identities[1]?.grants[1];

    expect(line61?.roleName).toBe("Storage Blob Data Contributor");
    expect(line61?.roleText).toBe("Storage Blob Data Contributor role");
  });

  it("reads the five settings, including line 75 with no final newline", () => {
    const { doc } = readFixture(file);

    expect(doc.settings.map((setting) => [setting.line, setting.setting])).toEqual([
      [71, "OUTPUT_BLOB_URL"],
      [72, "OUTPUT_CONTAINER_NAME"],
      [73, "WORKER_IMAGE"],
      [74, "JOBS_QUEUE_NAMESPACE"],
      [75, "WORKER_UAMI_RESOURCE_ID"],
    ]);
  });

  it("raises no warning, only unnamed-scope notes on lines 57-61", () => {
    const { policy } = readFixture(file);

    expect(warnings(policy.findings)).toEqual([]);
    expect(new Set(ruleIds(policy.findings))).toEqual(new Set(["MATRIX_SCOPE_UNNAMED"]));
    expect(policy.findings.map((finding) => finding.docRef.line)).toEqual([57, 58, 59, 60, 61]);
  });
});

describe("extra-a: the seed's identity mapping", () => {
  const file = "extra-a-seed-layout.md";

  it("reads four identities with their OID suffix or CI mark and where they are used", () => {
    const { doc } = readFixture(file);

    expect(
      doc.identities.map((identity) => [
        identity.line,
        identity.name,
        identity.objectIdSuffix ?? identity.identityType,
        identity.usedBy,
      ]),
    ).toEqual([
      [37, "routing-api-mi", "1a01", "API App Service"],
      [38, "routing-web-mi", "1a02", "Web UI App Service"],
      [39, "routing-jobs-mi", "1a03", "Nightly jobs Function App"],
      [40, "gh-routing-deploy", "ci", "Deploy pipelines (Bicep/CLI)"],
    ]);
    expect(doc.identities[3]?.federated).toBe(true);
  });

  it("reads twelve access entries, copying 'Same as above' and splitting Sender/Receiver", () => {
    expect(grants(readFixture(file).doc.identities)).toEqual([
      "37 routing-api-mi: Key Vault Secrets User @ kv-routing-prod",
      "37 routing-api-mi: Azure Service Bus Data Sender @ sb-routing-prod",
      "37 routing-api-mi: Azure Service Bus Data Receiver @ sb-routing-prod",
      "37 routing-api-mi: Storage Blob Data Contributor @ stroutinglabels",
      "38 routing-web-mi: Key Vault Secrets User @ kv-routing-prod",
      "38 routing-web-mi: Azure Service Bus Data Sender @ sb-routing-prod",
      "38 routing-web-mi: Azure Service Bus Data Receiver @ sb-routing-prod",
      "38 routing-web-mi: Storage Blob Data Contributor @ stroutinglabels",
      "39 routing-jobs-mi: Key Vault Secrets User @ kv-routing-prod",
      "39 routing-jobs-mi: Storage Blob Data Reader @ stroutinglabels",
      "40 gh-routing-deploy: Key Vault Secrets Officer @ kv-routing-prod",
      "40 gh-routing-deploy: Storage Blob Data Contributor @ stroutingartifacts",
    ]);
  });

  it("reads 'Key Vault (read secrets)' as the secret-get capability on the doc's vault", () => {
    const grant = readFixture(file).doc.identities[2]?.grants[0];

    expect(grant).toMatchObject({
      source: "capability",
      secretPermissions: ["get"],
      satisfiedByGuids: [
        "4633458b-17de-408a-b874-0445c86b69e6",
        "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
      ],
      scope: { name: "kv-routing-prod" },
    });
  });

  it("grants nothing from the backticked role names in the prose under the table", () => {
    const roles = readFixture(file).doc.identities.flatMap((identity) => identity.grants);

    expect(roles.every((grant) => grant.line >= 37 && grant.line <= 40)).toBe(true);
  });
});

describe("extra-c: identities as headings, each with its own table", () => {
  const file = "extra-c-identity-headings.md";

  it("classifies seven tables: five identity tables, and neither the legend nor Related", () => {
    const { doc } = readFixture(file);

    expect(doc.tables.map((table) => [table.kind, table.line])).toEqual([
      ["other", 16],
      ["identities", 25],
      ["identities", 37],
      ["identities", 48],
      ["identities", 54],
      ["identities", 61],
      ["other", 68],
    ]);
  });

  it("names identities from '(name identity)' headings, or the heading for implied ones", () => {
    const { doc } = readFixture(file);

    expect(doc.identities.map((identity) => [identity.name, identity.implied])).toEqual([
      ["func-orders", false],
      ["func-billing", false],
      ["Search Service", true],
      ["app-storefront", false],
      ["Pipeline", true],
    ]);
  });

  it("reads fourteen assignments with placeholders and sub-resource scopes kept whole", () => {
    expect(grants(readFixture(file).doc.identities)).toEqual([
      "27 func-orders: Storage Account Contributor @ storders[env][id]",
      "28 func-orders: Storage Blob Data Owner @ storders[env][id]",
      "29 func-orders: Storage Queue Data Contributor @ storders[env][id]",
      "30 func-orders: Key Vault Secrets User @ kv-orders-[env]-[id]",
      "31 func-orders: Azure Service Bus Data Receiver @ sb-orders-[env]-[id]/orders-in",
      "39 func-billing: Storage Blob Data Reader @ storders[env][id]",
      "40 func-billing: Azure Service Bus Data Sender @ sb-orders-[env]-[id]/orders-in",
      "41 func-billing: Cosmos DB Account Reader Role @ cosmos-orders-[env]-[id]",
      "42 func-billing: Cosmos DB Built-in Data Contributor @ cosmos-orders-[env]-[id]",
      "50 Search Service: Cosmos DB Account Reader Role @ cosmos-orders-[env]-[id]",
      "56 app-storefront: Key Vault Secrets User @ kv-orders-[env]-[id]",
      "57 app-storefront: Storage Blob Data Reader @ storders[env][id]",
      "63 Pipeline: Storage Blob Data Owner @ storders[env][id]",
      "64 Pipeline: Azure Service Bus Data Receiver @ sb-orders-[env]-[id]/orders-in",
    ]);
  });

  it("reads the Cosmos DB SQL role path as a data-plane role", () => {
    const grant = readFixture(file).doc.identities[1]?.grants[3];

    expect(grant).toMatchObject({
      source: "cosmosSql",
      dataPlane: "cosmosDbSql",
      roleDefinitionGuid: "00000000-0000-0000-0000-000000000002",
    });
  });

  it("raises no warning, only notes for the two implied identities", () => {
    const { doc } = readFixture(file);

    expect(warnings(doc.findings)).toEqual([]);
    expect(doc.findings.map((finding) => [finding.ruleId, finding.docRef.line])).toEqual([
      ["MATRIX_IDENTITY_IMPLIED", 46],
      ["MATRIX_IDENTITY_IMPLIED", 59],
    ]);
  });
});
