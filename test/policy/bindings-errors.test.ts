import { describe, expect, it } from "vitest";

import { makeDoc, parseError } from "./builders.js";

const SUB = "subscriptionId: 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
const doc = makeDoc();

function errorFor(...lines: string[]) {
  return parseError(doc, lines.join("\n") + "\n");
}

describe("bindings that break the schema", () => {
  it("names an unknown cloud and the clouds there are", () => {
    const error = errorFor(SUB, "cloud: AzurePublic");

    expect(error).toMatchObject({
      code: "BINDINGS_SCHEMA",
      line: 2,
      column: 8,
      value: '"AzurePublic"',
    });
    expect(error.message).toBe(
      'bindings.yaml:2:8: cloud is "AzurePublic", which is not a cloud the auditor knows; ' +
        "write one of AzurePublicCloud, AzureUSGovernment, AzureChinaCloud (did you mean AzurePublicCloud?).",
    );
  });

  it.each([
    ["a SAS token", 'subscriptionId: "sv=2022-11-02&sig=Zx9%2FabcDEF12345%3D"', "Zx9%2Fabc"],
    [
      "a private key",
      `${SUB}\nvaults:\n  main:\n    name: "-----BEGIN PRIVATE KEY----- MIIEvQIBADAN -----END PRIVATE KEY-----"`,
      "MIIEvQ",
    ],
  ])("never repeats %s pasted into a value", (_, text, core) => {
    const error = errorFor(text);

    expect(error.message).toContain("a value that looks like a secret (not repeated here)");
    expect(error.message).not.toContain(core);
  });

  it("says what to add when the subscription is missing", () => {
    expect(errorFor("resourceGroup: rg-app").message).toBe(
      "bindings.yaml:1:1: the file has no subscriptionId; add `subscriptionId: 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d`.",
    );
  });

  it("points at a subscription id that is not a GUID", () => {
    expect(errorFor("subscriptionId: 6f1c2b7e").message).toBe(
      'bindings.yaml:1:17: subscriptionId is "6f1c2b7e", which is not the subscription\'s GUID; ' +
        "write the subscription's GUID, e.g. 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d.",
    );
  });

  it("suggests the key that was meant for a misspelt one", () => {
    expect(errorFor(SUB, "vault:", "  main: { name: kv-app }").message).toBe(
      "bindings.yaml:2:1: the file has an unknown key vault; did you mean vaults?",
    );
  });

  it("says what a value of the wrong type should be", () => {
    const error = errorFor(SUB, "apps:", "  api:", "    name: app-api", "    slots: staging");

    expect(error.message).toBe(
      'bindings.yaml:5:12: apps.api.slots is "staging", not a list; ' +
        'write deployment slot names to audit besides production, e.g. ["staging"].',
    );
  });

  it("says a list that switches a check off must not be empty", () => {
    const error = errorFor(SUB, "expiryWarningDays: []");

    expect(error).toMatchObject({ code: "BINDINGS_SCHEMA", line: 2, column: 20 });
    expect(error.message).toBe(
      "bindings.yaml:2:20: expiryWarningDays must not be empty; " +
        "write a list of whole days, e.g. [30,7,1].",
    );
    expect(errorFor(SUB, "access:", "  Key Vault get/list: []").problem).toBe(
      'access["Key Vault get/list"] must not be empty',
    );
  });

  it("asks for exactly one way to name a principal", () => {
    const error = errorFor(
      SUB,
      "identities:",
      "  api-mi: { app: api, objectId: 0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0 }",
    );

    expect(error.message).toBe(
      "bindings.yaml:3:3: identities.api-mi must say exactly one of app, userAssigned, objectId; " +
        "keep one of `app:`, `userAssigned:`, `objectId:`.",
    );
  });

  it("refuses an empty file", () => {
    expect(parseError(doc, "").message).toBe(
      "bindings.yaml:1:1: the bindings file is empty; write at least `subscriptionId: <subscription GUID>`.",
    );
  });
});

describe("bindings that are not YAML", () => {
  it("points at a key written twice", () => {
    const error = errorFor(SUB, SUB);

    expect(error).toMatchObject({ code: "BINDINGS_YAML_SYNTAX", line: 2, column: 1 });
    expect(error.message).toBe(
      "bindings.yaml:2:1: the YAML cannot be read: map keys must be unique; keep one of the two keys.",
    );
  });

  it("points at a bracket left open", () => {
    expect(errorFor(SUB, "expiryWarningDays: [30, 7").code).toBe("BINDINGS_YAML_SYNTAX");
  });
});

describe("bindings whose references do not hold", () => {
  it("names an identity's app that apps: does not declare", () => {
    const error = errorFor(
      SUB,
      "apps:",
      "  api: { name: app-api }",
      "identities:",
      "  api-mi: { app: apii }",
    );

    expect(error).toMatchObject({ code: "BINDINGS_REFERENCE", line: 5, column: 13, value: "apii" });
    expect(error.message).toBe(
      'bindings.yaml:5:13: identities.api-mi.app is "apii", which apps: does not declare; write one of api (did you mean api?).',
    );
  });

  it("names a role in the vocabulary that is not built in, with the likely one", () => {
    const error = errorFor(
      SUB,
      "access:",
      "  Key Vault get/list:",
      "    - role: Key Vault Secret User",
    );

    expect(error.message).toBe(
      'bindings.yaml:4:7: access["Key Vault get/list"][0].role is "Key Vault Secret User", which is not a built-in role ' +
        'the auditor knows; write "Key Vault Secrets User", a role definition GUID, or declare the role under customRoles:.',
    );
  });

  it("names a vocabulary scope that no resource, vault or app stands for", () => {
    const error = errorFor(
      SUB,
      "resources:",
      "  stblob: /subscriptions/x/resourceGroups/rg",
      "access:",
      "  Uploads:",
      "    - { role: Reader, scope: stblb }",
    );

    expect(error.problem).toBe(
      'access.Uploads[0].scope is "stblb", which names no resource, vault or app in the bindings',
    );
    expect(error.fix).toBe(
      "write a key under resources:, a vault, an app key or an ARM id (did you mean stblob?)",
    );
  });

  it("refuses a waiver date that is not on the calendar", () => {
    const waiver = "  - { rule: DOC_STALE, subject: x, owner: me, reason: r, expires: 2026-02-30 }";

    expect(errorFor(SUB, "waivers:", waiver).problem).toBe(
      'waivers[0].expires is "2026-02-30", which is not a real date',
    );
  });

  it("refuses a rotation pattern that is not a regular expression", () => {
    expect(errorFor(SUB, "rotationClasses:", "  vendors: { pattern: '(unclosed' }").code).toBe(
      "BINDINGS_REFERENCE",
    );
  });
});
