import { describe, expect, it } from "vitest";

import { makeBindings, makeDoc, parseError, parseOk, ruleIds } from "./builders.js";

const API_ROW =
  "| `api-mi` (OID ending `…85df`) | API App Service | Key Vault (read secrets), Event Hubs Data Sender/Receiver, " +
  "Storage Blob Data Contributor (`stblob`) | runtime |";

function roleTable(rows: string[], header = "| Identity | Role | Scope |"): string {
  return ["## Roles", "", header, "|---|---|---|", ...rows].join("\n");
}

describe("the seed's identity mapping", () => {
  it("reads the OID suffix after the ellipsis, or after three dots", () => {
    const rows = [API_ROW, "| `ui-mi` (OID ending ...4BB7) | UI | Same as above | |"];
    const { doc } = parseOk(makeDoc({ identityRows: rows }));

    expect(doc.identities.map((identity) => identity.objectIdSuffix)).toEqual(["85df", "4bb7"]);
  });

  it("turns the access cell into roles, splitting Sender/Receiver", () => {
    const { doc } = parseOk(makeDoc({ identityRows: [API_ROW] }));

    expect(doc.identities[0]?.grants.map((grant) => [grant.roleName, grant.scope.label])).toEqual([
      ["Key Vault Secrets User", "Key Vault"],
      ["Azure Event Hubs Data Sender", "Event Hubs"],
      ["Azure Event Hubs Data Receiver", "Event Hubs"],
      ["Storage Blob Data Contributor", "stblob"],
    ]);
  });

  it("copies the row above for 'Same as above', keeping its own name and scope column", () => {
    const rows = [API_ROW, "| `ui-mi` | Streamlit UI | Same as above | reads secrets |"];
    const [api, ui] = parseOk(makeDoc({ identityRows: rows })).doc.identities;

    expect(ui?.grants.map((grant) => grant.roleName)).toEqual(
      api?.grants.map((grant) => grant.roleName),
    );
    expect([ui?.name, ui?.usedBy, ui?.grants[0]?.line]).toEqual(["ui-mi", "Streamlit UI", 19]);
  });

  it("warns when 'Same as above' has no row above it", () => {
    const { doc } = parseOk(makeDoc({ identityRows: ["| `ui-mi` | UI | Same as above | |"] }));

    expect(doc.findings.map((finding) => [finding.ruleId, finding.docRef.line])).toEqual([
      ["MATRIX_PARSE_WARNING", 18],
    ]);
  });

  it("reports a phrase no role matches, pointing at the cell", () => {
    const rows = [
      "| `ci` (GitHub Actions) | CI | Key Vault read access + Storage (uploads) via federated credential | |",
    ];
    const { doc } = parseOk(makeDoc({ identityRows: rows }));

    expect(doc.identities[0]).toMatchObject({ identityType: "ci", federated: true });
    expect(
      doc.findings.map((finding) => [finding.ruleId, finding.docRef.line, finding.docRef.column]),
    ).toEqual([
      ["MATRIX_ROLE_AMBIGUOUS", 18, 32],
      ["MATRIX_ROLE_AMBIGUOUS", 18, 32],
    ]);
    expect(doc.findings[0]?.message).toBe(
      'The access "Key Vault read access" for identity "ci" at line 18 names no Azure role the auditor knows, ' +
        "so it cannot be checked.",
    );
    expect(doc.findings[0]?.remediation).toBe(
      'Write "Key Vault Secrets User" if it must read secret values (Key Vault Reader sees metadata only), ' +
        "or map the phrase under `access:` in the bindings file.",
    );
  });

  it("maps a phrase through the bindings' access vocabulary", () => {
    const rows = ["| `ci` | CI | Storage (uploads) | |"];
    const bindings = makeBindings({
      resources: {
        stblob:
          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stblob",
      },
      access: { "Storage (uploads)": [{ role: "Storage Blob Data Contributor", scope: "stblob" }] },
    });
    const { policy } = parseOk(makeDoc({ identityRows: rows }), bindings);

    expect(policy.identities[0]?.roles).toMatchObject([
      {
        roleName: "Storage Blob Data Contributor",
        roleDefinitionGuid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        scope:
          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stblob",
        roleText: "Storage (uploads)",
      },
    ]);
  });
});

describe("role tables", () => {
  it("reads a role given 'on resource group' as a resource-group scope", () => {
    const doc = roleTable(["| app-mi | Contributor on resource group `rg-app` | |"]);
    const grant = parseOk(doc).doc.identities[0]?.grants[0];

    expect([grant?.roleName, grant?.scope.kind, grant?.scope.name]).toEqual([
      "Contributor",
      "resourceGroup",
      "rg-app",
    ]);
  });

  it("does not read a glossary of roles under a heading as an identity", () => {
    const doc = [
      "## Roles we use",
      "",
      "| Role | Description |",
      "|--|--|",
      "| Reader | reads |",
    ].join("\n");

    expect(parseError(doc).code).toBe("DOC_NO_MATRIX");
  });

  it("takes an unknown Title Case name in a Role column as a custom role, without a warning", () => {
    const { doc } = parseOk(roleTable(["| app-mi | Contoso - Deploy Operator | `rg-app` |"]));

    expect(doc.identities[0]?.grants[0]).toMatchObject({
      source: "custom",
      roleName: "Contoso - Deploy Operator",
    });
    expect(doc.findings).toEqual([]);
  });

  it("reads a repeated assignment once, warning on the later row", () => {
    const { doc } = parseOk(
      roleTable(["| app-mi | Reader | `rg-a` |", "| App-MI | reader | `rg-a` |"]),
    );

    expect(doc.identities[0]?.grants).toHaveLength(1);
    expect(doc.findings.map((finding) => [finding.ruleId, finding.docRef.line])).toEqual([
      ["MATRIX_DUPLICATE_ROW", 6],
    ]);
  });

  it("warns when one object id appears under two names", () => {
    const header = "| Identity | Object id | Role | Scope |";
    const rows = [
      "| api-mi | 1a2b3c4d-0000-4000-8000-000000000001 | Reader | `rg-a` |",
      "| web-mi | 1a2b3c4d-0000-4000-8000-000000000001 | Reader | `rg-b` |",
    ];
    const doc = ["## Roles", "", header, "|---|---|---|---|", ...rows].join("\n");

    expect(ruleIds(parseOk(doc).doc.findings)).toEqual(["MATRIX_IDENTITY_NAME_CONFLICT"]);
  });

  it("keeps an ABAC condition, and reads `None` as no condition", () => {
    const header = "| Identity | Role | Scope | Condition |";
    const rows = [
      "| a | Reader | `rg-a` | `None` |",
      "| b | Reader | `rg-a` | @Resource[x] == 'y' |",
    ];
    const doc = ["## Roles", "", header, "|---|---|---|---|", ...rows].join("\n");
    const [a, b] = parseOk(doc).doc.identities;

    expect([a?.grants[0]?.condition, b?.grants[0]?.condition]).toEqual([
      undefined,
      "@Resource[x] == 'y'",
    ]);
  });
});
