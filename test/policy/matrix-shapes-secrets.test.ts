/**
 * The answer keys of test/fixtures/matrix-shapes (from EXPECTED.md, §3-§7
 * and §12): secret ↔ setting pairs, settings, tables, warnings.
 */
import { describe, expect, it } from "vitest";

import { readFixture, warnings } from "./builders.js";

function pairs(name: string): [number, string, string | undefined][] {
  return readFixture(name).doc.secrets.map((pair) => [pair.line, pair.secret, pair.setting]);
}

function tableLines(name: string): [string, number, number][] {
  return readFixture(name)
    .doc.tables.filter((table) => table.kind !== "other")
    .map((table) => [table.kind, table.line, table.endLine]);
}

describe("shape-01: setting column first, padded cells", () => {
  const file = "shape-01-setting-first-padded.md";

  it("reads the one table at lines 5-14", () => {
    expect(tableLines(file)).toEqual([["secrets", 5, 14]]);
  });

  it("takes the secret from the secret column, whatever its position", () => {
    expect(pairs(file)).toEqual([
      [7, "orders-db-connection-string", "ORDERS_DB_CONNECTION_STRING"],
      [8, "docstore-connection-string", "DOCSTORE_CONNECTION_STRING"],
      [9, "invoice-blob-connection-string", "INVOICE_BLOB_CONNECTION_STRING"],
      [10, "entra-client-id", "ENTRA_CLIENT_ID"],
      [11, "entra-tenant-id", "ENTRA_TENANT_ID"],
      [12, "entra-client-secret", "ENTRA_CLIENT_SECRET"],
      [13, "carrier-api-key", "CARRIER_API_KEY"],
      [14, "taxrate-api-key", "TAXRATE_API_KEY"],
    ]);
  });

  it("follows the convention secret = lower(setting) with _ → - on every row", () => {
    for (const [, secret, setting] of pairs(file)) {
      expect(secret).toBe(setting?.toLowerCase().replaceAll("_", "-"));
    }
  });

  it("raises no warning and names no vault or identity", () => {
    const { doc } = readFixture(file);

    expect(warnings(doc.findings)).toEqual([]);
    expect(doc.vaults).toEqual([]);
    expect(doc.identities).toEqual([]);
  });
});

describe("shape-02: three tables among fenced code", () => {
  const file = "shape-02-three-tables-fenced-code.md";

  it("finds the facts, mapping and rotation tables and nothing in the fences", () => {
    expect(tableLines(file)).toEqual([
      ["facts", 7, 12],
      ["secrets", 18, 31],
      ["rotation", 140, 145],
    ]);
  });

  it("reads the vault facts, comparing the subscription GUID without case", () => {
    expect(readFixture(file).doc.vaults).toEqual([
      {
        name: "kv-catalog-shared",
        resourceGroup: "rg-catalog-shared",
        subscriptionId: "1a2b3c4d-0000-4000-8000-000000000201",
        subscriptionLine: 11,
        line: 9,
      },
    ]);
  });

  it("reads twelve config-path pairs with their required flag from the emoji column", () => {
    const read = readFixture(file).doc.secrets;

    expect(read.map((pair) => [pair.line, pair.secret, pair.setting, pair.required])).toEqual([
      [20, "Storage--ConnectionString", "Storage:ConnectionString", true],
      [21, "Search--Endpoint", "Search:Endpoint", true],
      [22, "Search--ApiKey", "Search:ApiKey", true],
      [23, "Search--IndexName", "Search:IndexName", true],
      [24, "Search--SuggesterName", "Search:SuggesterName", true],
      [25, "Telemetry--ConnectionString", "Telemetry:ConnectionString", true],
      [26, "Authentication--Forum--ClientId", "Authentication:Forum:ClientId", false],
      [27, "Authentication--Forum--ClientSecret", "Authentication:Forum:ClientSecret", false],
      [28, "Authentication--Wiki--ClientId", "Authentication:Wiki:ClientId", false],
      [29, "Authentication--Wiki--ClientSecret", "Authentication:Wiki:ClientSecret", false],
      [30, "Authentication--Intranet--ClientId", "Authentication:Intranet:ClientId", false],
      [31, "Authentication--Intranet--ClientSecret", "Authentication:Intranet:ClientSecret", false],
    ]);
    expect(read.map((pair) => pair.type)).toContain("Connection String");
  });

  it("follows the convention secret = setting with : → -- on every row", () => {
    for (const [, secret, setting] of pairs(file)) {
      expect(secret).toBe(setting?.replaceAll(":", "--"));
    }
  });

  it("records the rotation categories without binding them to secrets", () => {
    const { doc, policy } = readFixture(file);

    expect(doc.rotationCategories).toEqual([
      { category: "Storage key", maxAgeDays: 90, line: 142 },
      { category: "Search admin key", maxAgeDays: 90, line: 143 },
      { category: "Sign-in provider secrets", maxAgeDays: 365, line: 144 },
      { category: "Telemetry string", maxAgeDays: null, line: 145 },
    ]);
    expect(policy.secrets.every((secret) => secret.maxAgeDays === undefined)).toBe(true);
  });

  it("raises no warning and extracts no identity from the fenced az commands", () => {
    const { doc } = readFixture(file);

    expect(warnings(doc.findings)).toEqual([]);
    expect(doc.identities).toEqual([]);
  });

  it("binds the doc's vault with its group and subscription when read alone", () => {
    const { policy } = readFixture(file);

    expect(policy.subscriptionId).toBe("1a2b3c4d-0000-4000-8000-000000000201");
    expect(policy.vaults["kv-catalog-shared"]?.resourceId).toBe(
      "/subscriptions/1a2b3c4d-0000-4000-8000-000000000201/resourceGroups/rg-catalog-shared" +
        "/providers/Microsoft.KeyVault/vaults/kv-catalog-shared",
    );
  });
});

describe("shape-03: two tables with the same header", () => {
  const file = "shape-03-two-tables-required-optional.md";

  it("keeps the two tables apart under their own headings", () => {
    const { doc } = readFixture(file);

    expect(doc.tables.map((table) => [table.line, table.endLine, table.heading])).toEqual([
      [15, 18, "Payment Gateway Configuration"],
      [24, 28, "Optional Secrets"],
    ]);
  });

  it("reads five pairs and nothing from the prose or the fences", () => {
    expect(pairs(file)).toEqual([
      [17, "Book--PaymentGateway--ApiKey", "PaymentGateway:ApiKey"],
      [18, "Book--PaymentGateway--Endpoint", "PaymentGateway:Endpoint"],
      [26, "Book--ConnectionStrings--Bookings", "ConnectionStrings:Bookings"],
      [27, "Book--Mailer--ApiKey", "Mailer:ApiKey"],
      [28, "Book--Tokens--SigningKey", "Tokens:SigningKey"],
    ]);
  });

  it("keeps a URL in backticks in the description", () => {
    const line18 = readFixture(file).doc.secrets.find((pair) => pair.line === 18);

    expect(line18?.purpose).toBe("Gateway base URL (for instance https://pay.example.net/v2/)");
  });

  it("follows the convention: strip Book--, then -- → :", () => {
    for (const [, secret, setting] of pairs(file)) {
      expect(secret.replace(/^Book--/, "").replaceAll("--", ":")).toBe(setting);
    }
  });

  it("raises no warning and names no vault", () => {
    const { doc } = readFixture(file);

    expect(warnings(doc.findings)).toEqual([]);
    expect(doc.vaults).toEqual([]);
  });
});

describe("shape-05: config keys, blank header cell, ragged rows", () => {
  const file = "shape-05-config-keys-blank-header.md";

  it("reads a settings table at lines 2-33 with no secrets", () => {
    expect(tableLines(file)).toEqual([["settings", 2, 33]]);
    expect(readFixture(file).doc.secrets).toEqual([]);
  });

  it("reads 29 unique settings verbatim from 30 rows", () => {
    const settings = readFixture(file).doc.settings;

    expect(settings).toHaveLength(29);
    expect(settings.map((setting) => [setting.line, setting.setting]).slice(0, 3)).toEqual([
      [4, "Portal.Api:ClientCertificate"],
      [5, "Orders.Function:ClientCertificate"],
      [6, "Orders.Function:NotifyUrl"],
    ]);
    expect(settings.find((setting) => setting.line === 28)?.setting).toBe(
      "Bot.AppSettings:Answers:0:Endpoint",
    );
    expect(settings.at(-1)).toMatchObject({
      line: 32,
      setting: "Bot.AnswersSyncFunction:Sync:TrainerUri",
    });
  });

  it("keeps <env> placeholders in the source column as literal text", () => {
    const line22 = readFixture(file).doc.settings.find((setting) => setting.line === 22);

    expect(line22?.source).toBe("CDN profile cdn-shop-shrd-<env>-01");
  });

  it("warns only about the duplicate key on line 33, citing line 30 and the conflict", () => {
    const { doc } = readFixture(file);

    expect(warnings(doc.findings)).toEqual([["MATRIX_DUPLICATE_ROW", 33]]);
    expect(doc.findings[0]?.message).toBe(
      'The row at line 33 repeats setting "Bot.AnswersSyncFunction:SyncAr:CopyTarget:Endpoint" ' +
        "from line 30, and its other cells say something different; it is read once.",
    );
  });
});

describe("extra-a: the seed's layout, clean", () => {
  const file = "extra-a-seed-layout.md";

  it("reads the front matter", () => {
    expect(readFixture(file).doc.frontMatter).toEqual({
      title: "Key Vault & App Settings",
      lastVerified: "2025-10-14",
      lastVerifiedLine: 6,
    });
  });

  it("finds the vault named in the Purpose prose", () => {
    expect(readFixture(file).doc.vaults.map((vault) => vault.name)).toEqual(["kv-routing-prod"]);
  });

  it("reads the twelve secret ⇐ setting pairs of lines 20-31", () => {
    expect(pairs(file)).toEqual([
      [20, "CARRIER-A-API-KEY", "CARRIER_A_API_KEY"],
      [21, "CARRIER-A-API-SECRET", "CARRIER_A_API_SECRET"],
      [22, "CARRIER-B-API-KEY", "CARRIER_B_API_KEY"],
      [23, "GEOCODER-API-KEY", "GEOCODER_API_KEY"],
      [24, "MAPTILES-TOKEN", "MAPTILES_TOKEN"],
      [25, "PAYOUT-WEBHOOK-SECRET", "PAYOUT_WEBHOOK_SECRET"],
      [26, "SMTP-PASSWORD", "SMTP_PASSWORD"],
      [27, "ROUTES-DB-CONN", "DATABASE_URL"],
      [28, "ROUTE-CACHE-CONN", "REDIS_URL"],
      [29, "LABELS-BLOB-CONN", "LABEL_STORAGE_CONNECTION_STRING"],
      [30, "DISPATCH-BUS-CONN", "SERVICEBUS_CONNECTION_STRING"],
      [31, "MONITOR-CONN", "APPLICATIONINSIGHTS_CONNECTION_STRING"],
    ]);
  });

  it("binds the quarterly rule of line 48 to the four secrets it names, and no others", () => {
    const { doc, policy } = readFixture(file);
    const limited = policy.secrets.filter((secret) => secret.maxAgeDays !== undefined);

    expect(doc.rotationRules).toMatchObject([
      { line: 48, maxAgeDays: 90, phrase: "carrier + payout keys" },
    ]);
    expect(limited.map((secret) => [secret.name, secret.maxAgeDays])).toEqual([
      ["CARRIER-A-API-KEY", 90],
      ["CARRIER-A-API-SECRET", 90],
      ["CARRIER-B-API-KEY", 90],
      ["PAYOUT-WEBHOOK-SECRET", 90],
    ]);
  });

  it("does not read the reference template on line 46 as a secret", () => {
    expect(pairs(file).some(([, secret]) => secret.includes("name"))).toBe(false);
  });

  it("raises no warning", () => {
    expect(warnings(readFixture(file).policy.findings)).toEqual([]);
  });
});
