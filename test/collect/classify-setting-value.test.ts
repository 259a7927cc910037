import { describe, expect, it } from "vitest";

import { classifySettingValue } from "../../src/audit/collect/classify-setting-value.js";

const VERSION = "ec96f02080254f109c51a1f14cdb1931";

describe("classifySettingValue", () => {
  describe("Key Vault references", () => {
    it.each([
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api-Key/)",
        undefined,
      ],
      ["@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api-Key)", undefined],
      [
        `@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api-Key/${VERSION})`,
        VERSION,
      ],
      [
        `@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api-Key/${VERSION}/)`,
        VERSION,
      ],
      [
        "@microsoft.keyvault(secreturi=https://KV-DEMO.VAULT.AZURE.NET/secrets/Api-Key/)",
        undefined,
      ],
      [
        "  @Microsoft.KeyVault( SecretUri = https://kv-demo.vault.azure.net/secrets/Api-Key ) ",
        undefined,
      ],
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net:443/secrets/Api-Key/;)",
        undefined,
      ],
    ])("should parse the SecretUri form %s", (value, secretVersion) => {
      const result = classifySettingValue(value);

      expect(result.valueKind).toBe("keyVaultReference");
      expect(result.reference).toEqual({
        form: "SecretUri",
        vaultName: expect.stringMatching(/^kv-demo$/i),
        secretName: "Api-Key",
        secretVersion,
      });
    });

    it.each([
      ["@Microsoft.KeyVault(VaultName=kv-demo;SecretName=Api-Key)", undefined],
      ["@Microsoft.KeyVault(VaultName=kv-demo;SecretName=Api-Key;)", undefined],
      [
        `@Microsoft.KeyVault(VaultName=kv-demo;SecretName=Api-Key;SecretVersion=${VERSION})`,
        VERSION,
      ],
      [
        `@Microsoft.KeyVault(secretname=Api-Key; VAULTNAME=kv-demo; SecretVersion=${VERSION})`,
        VERSION,
      ],
      ["@Microsoft.KeyVault(VaultName=kv-demo;SecretName=Api-Key;SecretVersion=)", undefined],
    ])("should parse the VaultName form %s", (value, secretVersion) => {
      expect(classifySettingValue(value).reference).toEqual({
        form: "VaultName",
        vaultName: "kv-demo",
        secretName: "Api-Key",
        secretVersion,
      });
    });

    it.each([
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/keys/Api-Key/)",
        "not a /secrets/",
      ],
      [
        "@Microsoft.KeyVault(SecretUri=http://kv-demo.vault.azure.net/secrets/Api-Key/)",
        "plain https",
      ],
      ["@Microsoft.KeyVault(SecretUri=https://example.com/secrets/Api-Key/)", "Key Vault host"],
      ["@Microsoft.KeyVault(SecretUri=not a url)", "not a URL"],
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api_Key/)",
        "naming rules",
      ],
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api-Key/latest)",
        "32-character",
      ],
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/a/b/c/d)",
        "not a /secrets/",
      ],
      [
        "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/Api-Key/",
        "parenthesis",
      ],
      ["@Microsoft.KeyVault(VaultName=kv-demo)", "SecretName is missing"],
      ["@Microsoft.KeyVault(SecretName=Api-Key)", "VaultName is missing"],
      [
        "@Microsoft.KeyVault(VaultName=kv-demo;SecretName=Api-Key;Version=1)",
        "key App Service does not know",
      ],
      ["@Microsoft.KeyVault(VaultName=kv-demo;VaultName=kv-b;SecretName=Api-Key)", "repeats a key"],
      ["@Microsoft.KeyVault(kv-demo/Api-Key)", "expected SecretUri="],
      ["@Microsoft.KeyVault()", "expected SecretUri="],
    ])("should report %s as malformed", (value, reason) => {
      const result = classifySettingValue(value);

      expect(result.valueKind).toBe("keyVaultReference");
      expect(result.reference?.malformed).toContain(reason);
    });

    it("should never copy the value into a malformed reason", () => {
      const value =
        "@Microsoft.KeyVault(VaultName=kv-demo;SecretName=Api-Key;Password=hunter2hunter2)";

      expect(JSON.stringify(classifySettingValue(value))).not.toContain("hunter2");
    });
  });

  describe("App Configuration references", () => {
    it("should recognise one rather than take it for plaintext", () => {
      const value =
        "@Microsoft.AppConfiguration(Endpoint=https://cfg.azconfig.io; Key=Api:Key; Label=prod)";

      expect(classifySettingValue(value)).toEqual({
        valueKind: "appConfigReference",
        appConfigReference: { endpoint: "cfg.azconfig.io", key: "Api:Key", label: "prod" },
      });
    });

    it("should flag one without a key as malformed", () => {
      const value = "@Microsoft.AppConfiguration(Endpoint=https://cfg.azconfig.io)";

      expect(classifySettingValue(value).appConfigReference?.malformed).toBe("Key is missing");
    });
  });

  describe("plaintext and empty values", () => {
    it.each([
      [
        "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc123==;",
        "connection string with AccountKey",
      ],
      [
        "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=abc=",
        "connection string with SharedAccessKey",
      ],
      [
        "Server=tcp:db,1433;Database=app;User ID=u;Password=pw123;",
        "connection string with Password",
      ],
      [
        "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x/",
        "connection string with InstrumentationKey",
      ],
      ["postgresql://trader:s3cret@db.example.com:5432/trader", "URL with embedded credentials"],
      ["https://acct.blob.core.windows.net/c?sv=2022&sig=abc%3D", "URL with SAS signature"],
      ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "JWT"],
      ["ghp_0123456789abcdefghijABCDEFGHIJ012345", "GitHub token"],
      ["AKIAABCDEFGHIJKLMNOP", "AWS access key id"],
      ["sk_live_0123456789abcdef", "Stripe key"],
      ["-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", "PEM private key"],
      ["PKZ3K8W0QX7N5M2R4T6Y", "key-like string"],
    ])("should describe %s as %s", (value, valueShape) => {
      expect(classifySettingValue(value)).toEqual({ valueKind: "plaintext", valueShape });
    });

    it.each([
      ["3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a85df"],
      ["https://api.example.com/v1/2024"],
      ["true"],
      ["8000"],
      ["info"],
      ["hello world"],
      ["Server=db;Database=app;Integrated Security=true;"],
      ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"],
      ["1234567890123456789"],
    ])("should give ordinary configuration %j no shape", (value) => {
      expect(classifySettingValue(value)).toEqual({ valueKind: "plaintext" });
    });

    it.each([[""], ["   "], [null], [undefined]])("should call %j empty", (value) => {
      expect(classifySettingValue(value)).toEqual({ valueKind: "empty" });
    });
  });
});
