import { describe, expect, it } from "vitest";

import { REDACTED, redactFinding, redactSecrets } from "../../src/audit/findings/redact-secrets.js";
import { makeFinding } from "../emit/run-builders.js";

describe("redactSecrets", () => {
  it.each([
    [
      "a storage connection string",
      "DefaultEndpointsProtocol=https;AccountKey=YWJjZGVm==",
      "YWJjZGVm",
    ],
    ["a key with spaces around =", "AccountKey = abc123XYZ==;", "abc123XYZ"],
    ["a quoted password with a space", "Password='hunter2 x'", "hunter2"],
    ["a URL with a password", "postgresql://admin:hunter2x@db.example.net/prod", "hunter2x"],
    [
      "a SAS token",
      "https://a.blob.core.windows.net/c?sv=2022-11-02&sig=Zx9%2Fabc%3D",
      "Zx9%2Fabc",
    ],
    ["a bare SAS query", "sv=2022-11-02&se=2027-01-01&sig=Zx9%2Fabc%3D", "Zx9%2Fabc"],
    [
      "a function key in a URL",
      "https://app.azurewebsites.net/api/audit?code=q1w2e3r4t5y6",
      "q1w2e3r4t5y6",
    ],
    [
      "a Slack webhook",
      "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX",
      "XXXXsecretXXXX",
    ],
    ["a bearer token", "Authorization: Bearer abc.def.ghi123456", "abc.def.ghi123456"],
    [
      "a private key",
      "-----BEGIN PRIVATE KEY----- MIIEvQIBADAN -----END PRIVATE KEY-----",
      "MIIEvQIBADAN",
    ],
    [
      "a truncated private key",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADAN\nabc",
      "MIIEvQIBADAN",
    ],
    ["a Stripe key", "sk_live_51AbCdEf0123456789", "51AbCdEf0123456789"],
    ["a GitHub token", "ghp_0123456789abcdefABCDEF0123456789abcd", "0123456789abcdef"],
    ["a GitLab token", "glpat-AbCdEf0123456789xyz", "AbCdEf0123456789"],
    ["a Google token", "ya29.a0AfH6SMBx0123", "a0AfH6SMBx0123"],
    ["an Entra client secret", "Xq88Q~abcdefghijklmnop0123456789ABCDEFGH", "abcdefghijklmnop"],
    ["a long base64 key", "Zq3vN8xL2pR7tY1uW6sK9mB4cD0fG5hJ+/==", "Zq3vN8xL2pR7"],
    [
      "a key hidden after a name",
      "STRIPE_SECRET=sk_live_51AbCdEf0123456789=@Microsoft.KeyVault",
      "51AbCdEf",
    ],
  ])("should redact %s wherever it sits in a sentence", (_, secret, core) => {
    for (const text of [`Setting "${secret}" at line 4.`, `then ${secret}.`, `\`${secret}\``]) {
      const redacted = redactSecrets(text);

      expect(redacted).toContain(REDACTED);
      expect(redacted).not.toContain(core);
    }
  });

  it.each([
    ["a Key Vault version id", "pinned to version 4387e9f3d6e14c459867679a90fd0f79."],
    ["a certificate thumbprint", "thumbprint 3B1EFD3A66EA28B16697394703A72CA340A05BD5"],
    ["a GUID", "principal 0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0 holds"],
    [
      "an ARM id",
      "/subscriptions/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
    ],
    [
      "a Key Vault reference fix",
      'az webapp config appsettings set --settings "Password=@Microsoft.KeyVault(VaultName=kv;SecretName=DB-PASSWORD)"',
    ],
    ["a long setting name", "AZURE_STORAGE_CONNECTION_STRING_FOR_REPORTS"],
    ["a long setting name with numbers", "AZURE_OPENAI_API_KEY_GPT4_DEPLOYMENT"],
    ["a .NET key with a number", "ConnectionStrings__Reporting2Database"],
    ["a setting named like a key", "Setting API_KEY on app api is missing"],
    ["a vault URL", "https://kv-ai-trader-prod.vault.azure.net/secrets/ALPACA-KEY-ID/"],
    ["a placeholder", "az keyvault secret set --name <secret> --file <path>"],
  ])("should leave %s alone", (_, text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("redactSecrets, second round", () => {
  it.each([
    [
      "a URL-encoded connection string",
      "Endpoint%3Dx%3BAccountKey%3DCANARYurlenc0123456789%3D%3D",
      "CANARYurlenc",
    ],
    ["a YAML-style token", "old token: CANARYyaml01 do not rotate", "CANARYyaml01"],
    ["a password with a space", "Password=P@ss w0rdCANARY;", "w0rdCANARY"],
  ])("should redact %s", (_, text, core) => {
    expect(redactSecrets(text)).not.toContain(core);
  });

  it.each([
    "ConnectionStrings__Reporting2024Database",
    "AzureAdB2C__SignUpSignInPolicyId",
    "AWS_S3_BUCKET_ACCESS_KEY_ID_PROD",
    "Payments:ApiKey:Primary",
    "Jwt:Secret:Current",
    "Stripe webhook secret: -> (no setting)",
  ])("should leave %s alone", (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("redactFinding", () => {
  it("should redact the resource id too, which a doc's scope cell can fill", () => {
    const finding = makeFinding({
      resourceId: "/subscriptions/s/resourceGroups/rg/storageAccounts/st;AccountKey=CANARYarm0123",
    });

    expect(redactFinding(finding).resourceId).not.toContain("CANARYarm0123");
    expect(redactFinding(makeFinding()).resourceId).toBe(makeFinding().resourceId);
  });
});

describe("placeholders", () => {
  it("should leave a placeholder where a key would go", () => {
    const text = "curl https://app.azurewebsites.net/api/audit?code=<function-key>";

    expect(redactSecrets(text)).toBe(text);
  });
});
