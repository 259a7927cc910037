import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type {
  ConfigReferenceStatus,
  SettingObservation,
  SiteSnapshot,
  Snapshot,
} from "../../src/audit/snapshot/snapshot.js";
import {
  API_APP_ID,
  makePolicy,
  makeReferenceSetting,
  makeSecret,
  makeSetting,
  makeSite,
  makeSnapshot,
  NOW,
} from "../builders.js";

const STAGING_ID = `${API_APP_ID}/slots/staging`;

function judge(snapshot: Snapshot, policy: Policy = makePolicy()): string[] {
  return evaluateRules({ policy, snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function withSettings(...settings: SettingObservation[]): Snapshot {
  return makeSnapshot({ sites: [makeSite({ settings })] });
}

/** The doc maps ALPACA-KEY-ID to `ConnectionStrings:Main` (A02). */
function connectionStringPolicy(): Policy {
  return makePolicy({
    secrets: [
      makeSecret({
        settings: [makeSetting({ name: "ConnectionStrings:Main", kind: "connectionString" })],
      }),
    ],
  });
}

function connectionString(overrides: Partial<SettingObservation> = {}): SettingObservation {
  return makeReferenceSetting({ name: "Main", kind: "connectionString", ...overrides });
}

function status(overrides: Partial<ConfigReferenceStatus>): ConfigReferenceStatus {
  return {
    name: "Main",
    kind: "connectionString",
    status: "Resolved",
    vaultName: "kv-ai-trader-prod",
    secretName: "ALPACA-KEY-ID",
    secretVersion: undefined,
    activeVersion: "7f3d1c9a2b4e4f6a8c0d1e2f3a4b5c6d",
    identityType: "SystemAssigned",
    details: undefined,
    ...overrides,
  };
}

/** Production and slot staging, both carrying `settings`, with these sticky names. */
function withSlot(
  sticky: NonNullable<SiteSnapshot["slotConfigNames"]>,
  ...settings: SettingObservation[]
) {
  const production = makeSite({ settings, slotConfigNames: sticky });
  const staging = makeSite({ resourceId: STAGING_ID, slot: "staging", settings });

  return makeSnapshot({ sites: [production, staging] });
}

describe("setting findings, each with an estate that triggers it and one that does not", () => {
  it("should report an empty value and an App Configuration reference as not Key Vault references", () => {
    const empty = withSettings({ name: "ALPACA_API_KEY", kind: "appSetting", valueKind: "empty" });
    const appConfig = withSettings({
      name: "ALPACA_API_KEY",
      kind: "appSetting",
      valueKind: "appConfigReference",
      appConfigReference: { endpoint: "appcs.azconfig.io", key: "alpaca", label: undefined },
    });

    expect(judge(empty)).toEqual([
      "SETTING_NOT_KEY_VAULT_REFERENCE high: App setting ALPACA_API_KEY on app ai-trader-api holds an empty value instead of a Key Vault reference to ALPACA-KEY-ID.",
    ]);
    expect(judge(appConfig)).toEqual([
      "SETTING_NOT_KEY_VAULT_REFERENCE high: App setting ALPACA_API_KEY on app ai-trader-api holds an App Configuration reference instead of a Key Vault reference to ALPACA-KEY-ID.",
    ]);
  });

  it("should report a reference App Service cannot parse, and nothing else about it", () => {
    const malformed = makeReferenceSetting({
      reference: {
        form: "SecretUri",
        vaultName: "",
        secretName: "",
        secretVersion: undefined,
        malformed: "SecretUri is not a /secrets/{name}[/{version}] URI",
      },
    });

    expect(judge(withSettings(malformed))).toEqual([
      "KV_REFERENCE_INVALID_SYNTAX high: Setting ALPACA_API_KEY on app ai-trader-api holds a Key Vault reference that cannot be parsed: SecretUri is not a /secrets/{name}[/{version}] URI.",
    ]);
    expect(judge(withSettings(makeReferenceSetting()))).toEqual([]);
  });

  it("should satisfy a ConnectionStrings:Main row with connection string Main and its status (A02)", () => {
    const snapshot = withSettings(connectionString());
    snapshot.sites[0]!.configReferences = [status({})];

    expect(judge(snapshot, connectionStringPolicy())).toEqual([]);
  });

  it("should satisfy a ConnectionStrings:Main row with an app setting of that name, : or __ (A23)", () => {
    for (const name of ["ConnectionStrings__Main", "ConnectionStrings:Main"]) {
      const snapshot = withSettings(makeReferenceSetting({ name }));

      expect(judge(snapshot, connectionStringPolicy())).toEqual([]);
    }
  });

  it("should report a ConnectionStrings:Main row nothing carries, and a status that names it", () => {
    const unresolved = withSettings(connectionString());
    unresolved.sites[0]!.configReferences = [status({ status: "SecretNotFound" })];

    expect(judge(withSettings(), connectionStringPolicy())).toEqual([
      "SETTING_MISSING high: App ai-trader-api has no connection string ConnectionStrings:Main, which the doc maps to secret ALPACA-KEY-ID.",
    ]);
    expect(judge(unresolved, connectionStringPolicy())).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports SecretNotFound for setting ConnectionStrings:Main on app ai-trader-api: the reference to ALPACA-KEY-ID does not resolve.",
    ]);
  });

  it("should report a pasted documented connection string once, never as undocumented", () => {
    const pasted = connectionString({
      valueKind: "plaintext",
      valueShape: "connection string with Password",
    });
    delete pasted.reference;

    expect(judge(withSettings(pasted), connectionStringPolicy())).toEqual([
      "SETTING_NOT_KEY_VAULT_REFERENCE critical: Connection string ConnectionStrings:Main on app ai-trader-api holds a plaintext value (connection string with Password) instead of a Key Vault reference to ALPACA-KEY-ID.",
    ]);
  });

  it("should take a connection string's stickiness from connectionStringNames (A02)", () => {
    const sticky = { appSettingNames: [], connectionStringNames: ["Main"] };
    const stickyByWrongList = {
      appSettingNames: ["ConnectionStrings:Main"],
      connectionStringNames: [],
    };

    expect(judge(withSlot(sticky, connectionString()), connectionStringPolicy())).toEqual([]);
    expect(
      judge(withSlot(stickyByWrongList, connectionString()), connectionStringPolicy()),
    ).toEqual([
      "SETTING_NOT_STICKY info: Setting ConnectionStrings:Main on app ai-trader-api is not a slot setting; it swaps with the code.",
    ]);
  });

  it("should leave stickiness alone on an app without slots, and a slot that matches production", () => {
    const noSlots = makeSnapshot({
      sites: [makeSite({ slotConfigNames: { appSettingNames: [], connectionStringNames: [] } })],
    });
    const matching = withSlot(
      { appSettingNames: ["ALPACA_API_KEY"], connectionStringNames: [] },
      makeReferenceSetting(),
    );

    expect(judge(noSlots)).toEqual([]);
    expect(judge(matching)).toEqual([]);
  });

  it("should not call a setting missing when the settings could not be read", () => {
    const gap = {
      resourceId: API_APP_ID,
      what: "appSettings",
      reason: "the auditor may not list app settings",
      statusCode: 403,
      errorCode: "AuthorizationFailed",
    };
    const unread = makeSnapshot({ sites: [makeSite({ settings: [] })], gaps: [gap] });
    const message =
      `NOT_EVALUATED medium: Could not read appSettings of ${API_APP_ID} ` +
      "(HTTP 403, AuthorizationFailed): the auditor may not list app settings";

    expect(judge(unread)).toEqual([message]);
    expect(judge(unread, connectionStringPolicy())).toEqual([message]);
  });

  it("should flag an undocumented setting by its name alone, but not a reference", () => {
    const snapshot = withSettings(
      makeReferenceSetting(),
      { name: "SMTP_PASSWORD", kind: "appSetting", valueKind: "plaintext" },
      makeReferenceSetting({ name: "OTHER_API_KEY" }),
      {
        name: "FEATURE_TOKEN",
        kind: "appSetting",
        valueKind: "appConfigReference",
        appConfigReference: { endpoint: "appcs.azconfig.io", key: "token", label: undefined },
      },
    );

    expect(judge(snapshot)).toEqual([
      "SETTING_LOOKS_SECRET medium: Undocumented setting SMTP_PASSWORD on app ai-trader-api holds a plaintext value.",
    ]);
  });
});

describe(".NET configuration keys the Key Vault configuration provider loads", () => {
  /** The doc maps secret `Storage--ConnectionString` to key `Storage:ConnectionString`. */
  function configKeyPolicy(): Policy {
    return makePolicy({
      secrets: [
        makeSecret({
          name: "Storage--ConnectionString",
          settings: [makeSetting({ name: "Storage:ConnectionString", configProviderKey: true })],
        }),
      ],
    });
  }

  it("should not call a configuration key missing from the app's settings", () => {
    expect(
      judge(withSettings(), configKeyPolicy()).filter((f) => f.startsWith("SETTING_")),
    ).toEqual([]);
  });

  it("should still judge one the app does carry as a setting", () => {
    const pasted: SettingObservation = {
      name: "Storage__ConnectionString",
      kind: "appSetting",
      valueKind: "plaintext",
      valueShape: "connection string with AccountKey",
    };

    expect(judge(withSettings(pasted), configKeyPolicy())).toContain(
      "SETTING_NOT_KEY_VAULT_REFERENCE critical: App setting Storage:ConnectionString on app ai-trader-api holds a plaintext value (connection string with AccountKey) instead of a Key Vault reference to Storage--ConnectionString.",
    );
  });
});

describe("fix commands for a slot's setting", () => {
  it("should carry --slot, so pasting one does not change production", () => {
    const pasted: SettingObservation = {
      name: "ALPACA_API_KEY",
      kind: "appSetting",
      valueKind: "plaintext",
    };
    const production = makeSite();
    const staging = makeSite({ resourceId: STAGING_ID, slot: "staging", settings: [pasted] });
    const findings = evaluateRules({
      policy: makePolicy(),
      snapshot: makeSnapshot({ sites: [production, staging] }),
      now: NOW,
    });
    const onSlot = findings.find((f) => f.ruleId === "SETTING_NOT_KEY_VAULT_REFERENCE");

    expect(onSlot?.remediation).toContain(
      '--settings "ALPACA_API_KEY=@Microsoft.KeyVault(VaultName=kv-ai-trader-prod;' +
        'SecretName=ALPACA-KEY-ID)" --slot staging)',
    );
    expect(
      findings.filter((f) => f.resourceId === production.resourceId).map((f) => f.remediation),
    ).not.toContain(expect.stringContaining("--slot"));
  });
});
