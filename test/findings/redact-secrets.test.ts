import { describe, expect, it } from "vitest";

import { REDACTED, redactSecrets } from "../../src/audit/findings/redact-secrets.js";

describe("redactSecrets", () => {
  it.each([
    [
      "a storage connection string",
      "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=YWJj==",
    ],
    ["a URL with a password", "postgresql://admin:hunter2x@db.example.net/prod"],
    ["a Stripe key", "sk_live_51AbCdEf0123456789"],
    ["a GitHub token", "ghp_0123456789abcdefABCDEF0123456789abcd"],
    ["a Google token", "ya29.a0AfH6SMBx0123"],
    ["an Entra client secret", "Xq88Q~abcdefghijklmnop0123456789ABCDEFGH"],
    ["a long base64 key", "Zq3vN8xL2pR7tY1uW6sK9mB4cD0fG5hJ+/=="],
    ["a key hidden after a name", "STRIPE_SECRET=sk_live_51AbCdEf0123456789=@Microsoft.KeyVault"],
  ])("should redact %s wherever it sits in a sentence", (_, secret) => {
    const text = `Setting "${secret}" at line 4, then ${secret}. And \`${secret}\`.`;

    expect(redactSecrets(text)).toBe(
      `Setting "${REDACTED}" at line 4, then ${REDACTED}. And \`${REDACTED}\`.`,
    );
  });

  it.each([
    ["a Key Vault version id", "pinned to version 4387e9f3d6e14c459867679a90fd0f79."],
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
    ["a vault URL", "https://kv-ai-trader-prod.vault.azure.net/secrets/ALPACA-KEY-ID/"],
  ])("should leave %s alone", (_, text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});
