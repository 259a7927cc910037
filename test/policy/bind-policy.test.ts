import { describe, expect, it } from "vitest";

import { makeBindings, makeDoc, parseOk, ruleIds, secretRow } from "./builders.js";

const SUB = "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app`;

function bind(bindings: Record<string, unknown>, doc = makeDoc()) {
  const vaults = { main: { name: "kv-app" } };

  return parseOk(doc, makeBindings({ resourceGroup: "rg-app", vaults, ...bindings })).policy;
}

describe("endpoints", () => {
  it("defaults to the public cloud", () => {
    expect(bind({}).endpoints).toEqual({
      armEndpoint: "https://management.azure.com",
      armScope: "https://management.azure.com/.default",
      disableChallengeResourceVerification: false,
      graphEndpoint: "https://graph.microsoft.com",
      graphScope: "https://graph.microsoft.com/.default",
      verifyPrincipals: true,
    });
  });

  it("follows a sovereign cloud for ARM, Microsoft Graph and the vault host", () => {
    const policy = bind({ cloud: "AzureUSGovernment", vaults: { main: { name: "kv-app" } } });

    expect(policy.endpoints.armEndpoint).toBe("https://management.usgovcloudapi.net");
    expect(policy.endpoints.graphEndpoint).toBe("https://graph.microsoft.us");
    expect(policy.endpoints.graphScope).toBe("https://graph.microsoft.us/.default");
    expect(policy.vaults["main"]?.vaultUrl).toBe("https://kv-app.vault.usgovcloudapi.net");
  });

  it("takes a custom Graph endpoint, or no directory lookups at all", () => {
    const policy = bind({ graphEndpoint: "https://127.0.0.1:8445/", verifyPrincipals: false });

    expect(policy.endpoints).toMatchObject({
      graphEndpoint: "https://127.0.0.1:8445",
      graphScope: "https://graph.microsoft.com/.default",
      verifyPrincipals: false,
    });
  });

  it("takes a custom ARM endpoint and vault URL, with the challenge check off", () => {
    const policy = bind({
      armEndpoint: "https://127.0.0.1:8443/",
      disableChallengeResourceVerification: true,
      vaults: { main: { name: "kv-app", vaultUrl: "https://127.0.0.1:8444/" } },
    });

    expect(policy.endpoints).toMatchObject({
      armEndpoint: "https://127.0.0.1:8443",
      disableChallengeResourceVerification: true,
    });
    expect(policy.vaults["main"]?.vaultUrl).toBe("https://127.0.0.1:8444");
  });
});

describe("resources", () => {
  it("builds vault and app ids from the subscription and resource group", () => {
    const policy = bind({
      vaults: { main: { name: "kv-app" } },
      apps: { api: { name: "app-api", slots: ["staging"] } },
    });

    expect(policy.vaults["main"]).toEqual({
      name: "kv-app",
      resourceGroup: "rg-app",
      vaultUrl: "https://kv-app.vault.azure.net",
      resourceId: `${RG}/providers/Microsoft.KeyVault/vaults/kv-app`,
    });
    expect(policy.apps["api"]).toMatchObject({
      resourceId: `${RG}/providers/Microsoft.Web/sites/app-api`,
      slots: ["staging"],
    });
    expect(policy.secrets[0]?.vault).toBe("main");
  });

  it("gives each setting to the apps that consume it, all of them by default", () => {
    const doc = makeDoc({ secretRows: [secretRow("A-KEY", "A_KEY"), secretRow("B-KEY", "B_KEY")] });
    const apps = { api: { name: "app-api" }, ui: { name: "app-ui", settings: ["B_KEY"] } };
    const policy = bind({ apps }, doc);

    expect(policy.secrets.map((secret) => [secret.name, secret.settings[0]?.apps])).toEqual([
      ["A-KEY", ["api"]],
      ["B-KEY", ["api", "ui"]],
    ]);
  });

  it("reports an app setting the doc does not document, at its place in the bindings", () => {
    const apps = { ui: { name: "app-ui", settings: ["API_KEY", "NOPE"] } };
    const text = makeBindings({ apps, vaults: { main: { name: "kv-app" } } });
    const { policy } = parseOk(makeDoc(), text);

    expect(policy.findings.map((finding) => [finding.ruleId, finding.docRef])).toEqual([
      ["BINDINGS_SETTING_UNKNOWN", { file: "bindings.yaml", line: 7, column: 9 }],
    ]);
  });

  it("flags a setting a Linux app cannot carry", () => {
    const doc = makeDoc({ secretRows: [secretRow("Db-Conn", "Db:Conn")] });
    const policy = bind({ apps: { api: { name: "app-api", os: "linux" } } }, doc);

    expect(policy.findings).toMatchObject([
      { ruleId: "MATRIX_NAME_NOT_LINUX_SAFE", severity: "info" },
    ]);
    expect(policy.findings[0]?.message).toBe(
      'Setting "Db:Conn" at line 12 cannot be carried by Linux app app-api: ' +
        'App Service on Linux allows only letters, digits, "." and "_" in setting names.',
    );
  });
});

describe("identities", () => {
  const rows = [
    "| `api-mi` (OID ending `…4bb0`) | API | Storage Blob Data Contributor (`stblob`) | |",
  ];
  const doc = makeDoc({ identityRows: rows });
  const resources = { stblob: { type: "Microsoft.Storage/storageAccounts", name: "stblob" } };

  it("binds an identity to its app's system-assigned principal and the scope to its ARM id", () => {
    const policy = bind(
      { apps: { api: { name: "app-api" } }, identities: { "api-mi": { app: "api" } }, resources },
      doc,
    );

    expect(policy.identities[0]).toMatchObject({
      principal: { kind: "systemAssigned", app: "api" },
      objectIdSuffix: "4bb0",
      roles: [
        {
          roleName: "Storage Blob Data Contributor",
          scope: `${RG}/providers/Microsoft.Storage/storageAccounts/stblob`,
          scopeLabel: "stblob",
        },
      ],
    });
    expect(policy.findings).toEqual([]);
  });

  it("reports an object id in the bindings that the doc's suffix contradicts", () => {
    const identities = { "api-mi": { objectId: "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f85df" } };

    expect(ruleIds(bind({ identities, resources }, doc).findings)).toEqual([
      "IDENTITY_OID_MISMATCH",
    ]);
  });

  it("reports an identity and a scope the bindings do not bind", () => {
    const policy = bind({}, doc);

    expect(policy.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ["IDENTITY_UNBOUND", "medium"],
      ["SCOPE_UNBOUND", "medium"],
    ]);
    expect(policy.identities[0]?.roles[0]?.scope).toBe("");
  });

  it("reports a bound identity the doc does not list", () => {
    const identities = {
      "api-mi": { objectId: "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0" },
      ghost: { objectId: "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f0000" },
    };

    expect(ruleIds(bind({ identities, resources }, doc).findings)).toEqual([
      "BINDINGS_IDENTITY_UNKNOWN",
    ]);
  });
});

describe("rotation classes", () => {
  const rows = [
    secretRow("BROKER-KEY", "BROKER_KEY", "Broker key"),
    secretRow("VENDOR-KEY", "VENDOR_KEY", "Vendor feed"),
    secretRow("DB-CONN", "DB", "Database"),
  ];
  const doc = makeDoc({
    secretRows: rows,
    after: ["", "3. Rotate broker + vendor keys quarterly."],
  });

  it("binds the doc's sentence to the class its name matches", () => {
    const policy = bind(
      { rotationClasses: { "broker-vendor": { secrets: ["broker-key", "VENDOR-KEY"] } } },
      doc,
    );

    expect(
      policy.secrets.map((secret) => [secret.name, secret.maxAgeDays, secret.rotationClasses]),
    ).toEqual([
      ["BROKER-KEY", 90, ["broker-vendor"]],
      ["VENDOR-KEY", 90, ["broker-vendor"]],
      ["DB-CONN", undefined, []],
    ]);
    expect(policy.findings).toEqual([]);
  });

  it("gives a secret in two classes the strictest limit", () => {
    const classes = {
      "broker-vendor": { pattern: "-KEY$" },
      hot: { purpose: "^broker", maxAgeDays: 30 },
    };
    const broker = bind({ rotationClasses: classes }, doc).secrets[0];

    expect([broker?.maxAgeDays, broker?.rotationClasses]).toEqual([30, ["broker-vendor", "hot"]]);
  });

  it("reports a class whose days contradict the doc, and keeps the stricter", () => {
    const policy = bind(
      { rotationClasses: { "broker-vendor": { pattern: "-KEY$", maxAgeDays: 120 } } },
      doc,
    );

    expect(ruleIds(policy.findings)).toEqual(["ROTATION_PERIOD_CONFLICT"]);
    expect(policy.secrets[0]?.maxAgeDays).toBe(90);
  });

  it("reports secrets that no vault is named for", () => {
    const policy = parseOk(makeDoc(), makeBindings()).policy;

    expect(policy.findings.map((finding) => [finding.ruleId, finding.docRef.line])).toEqual([
      ["SECRET_VAULT_UNBOUND", 12],
    ]);
  });

  it("reports a rotation sentence no class binds", () => {
    const policy = bind({}, doc);

    expect(
      policy.findings.map((finding) => [finding.ruleId, finding.severity, finding.docRef.line]),
    ).toEqual([["ROTATION_RULE_UNBOUND", "medium", 16]]);
  });

  it("reports a class that lists a secret the doc does not document", () => {
    expect(
      ruleIds(
        bind({ rotationClasses: { vendor: { secrets: ["VENDOR-KEY", "GONE-KEY"] } } }, doc)
          .findings,
      ),
    ).toContain("ROTATION_CLASS_SECRET_UNKNOWN");
  });
});

describe("policy settings", () => {
  it("takes the doc's age limit, the warning tiers and the waivers from the bindings", () => {
    const waiver = {
      rule: "ROTATION_OVERDUE",
      subject: "A-KEY",
      owner: "platform",
      reason: "vendor outage",
      expires: "2026-01-31",
    };
    const policy = bind({ docMaxAgeDays: 90, expiryWarningDays: [7, 30], waivers: [waiver] });

    expect([policy.docMaxAgeDays, policy.expiryWarningDays]).toEqual([90, [30, 7]]);
    expect(policy.waivers).toEqual([
      {
        ruleId: "ROTATION_OVERDUE",
        subject: "A-KEY",
        owner: "platform",
        reason: "vendor outage",
        expires: "2026-01-31",
        docRef: { file: "bindings.yaml", line: 11, column: 5 },
      },
    ]);
  });

  it("defaults to 180 days and tiers of 30, 7 and 1 days", () => {
    const policy = parseOk(makeDoc()).policy;

    expect([policy.docMaxAgeDays, policy.expiryWarningDays, policy.bindingsFile]).toEqual([
      180,
      [30, 7, 1],
      undefined,
    ]);
  });

  it("reads bindings written as JSON", () => {
    const json = JSON.stringify({
      subscriptionId: SUB,
      vaults: { main: { name: "kv-app", resourceGroup: "rg-kv" } },
    });

    expect(parseOk(makeDoc(), json).policy.vaults["main"]?.resourceGroup).toBe("rg-kv");
  });
});
