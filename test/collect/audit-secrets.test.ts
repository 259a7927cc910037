/**
 * Secret findings judged on what the real collector read from a small
 * estate: the documented secret, its versions, deleted secrets and the
 * management-plane fallback. Field cases from pitfalls.md are named.
 */
import { describe, expect, it } from "vitest";

import type { FakeSecretVersion } from "../fake-azure/estate-model.js";
import {
  makeHexId,
  makeSecret,
  makeSecretVersion,
  toUnixSeconds,
} from "../fake-azure/estate-builders.js";
import { auditThroughFake, makeSmallEstate, SMALL } from "./audit-fake-kit.js";

function version(created: string, overrides: Partial<FakeSecretVersion> = {}): FakeSecretVersion {
  return makeSecretVersion({
    version: makeHexId(`v-${created}`),
    created: toUnixSeconds(created),
    ...overrides,
  });
}

function subjects(lines: { ruleId: string; subject: string }[]): string[] {
  return lines.map((finding) => `${finding.ruleId} ${finding.subject}`);
}

describe("secret findings through the fake", () => {
  it("should find nothing in the small estate as it is documented", async () => {
    const audit = await auditThroughFake();

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.vaults[0]!.secretsSource).toBe("dataPlane");
  });

  it("should audit from the management plane when the data plane refuses, and find the same", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => harness.fake.forbidVault(SMALL.vault),
    });

    expect(audit.snapshot.vaults[0]!.secretsSource).toBe("managementPlane");
    expect(audit.lines).toEqual([]);
  });

  it("should report a vault both planes refuse as not evaluated, never as secrets missing", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => {
        harness.fake.forbidVault(SMALL.vault);
        harness.fake.failArm(/\/vaults\/[^/]+\/secrets$/);
      },
    });

    expect(subjects(audit.findings)).toEqual([
      "NOT_EVALUATED secrets: kv-ai-trader-prod",
      "NOT_EVALUATED secrets.managementPlane: kv-ai-trader-prod",
    ]);
  });

  it("should still read a rotation from the management plane", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets[0]!.versions = [version("2026-05-15T00:00:00Z")];

    const audit = await auditThroughFake(estate, {
      prepare: (harness) => harness.fake.forbidVault(SMALL.vault),
    });

    expect(audit.lines).toEqual([
      "ROTATION_OVERDUE high: Secret POSTGRES-CONN in vault kv-ai-trader-prod was last rotated 200 days ago; its rotation limit is 90 days.",
    ]);
  });

  it("should report a missing secret, and the references App Service cannot resolve", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets = [];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports SecretNotFound for setting DATABASE_URL on app ai-trader-api: the reference to POSTGRES-CONN does not resolve.",
      "SECRET_MISSING high: Secret POSTGRES-CONN is documented but vault kv-ai-trader-prod has no secret of that name.",
    ]);
  });

  it("should report a soft-deleted secret with its purge date, not as missing", async () => {
    const estate = makeSmallEstate();
    const vault = estate.vaults[0]!;
    vault.deletedSecrets = [
      {
        name: SMALL.secret,
        deletedDate: toUnixSeconds("2026-11-25T00:00:00Z"),
        scheduledPurgeDate: toUnixSeconds("2027-02-23T00:00:00Z"),
        current: vault.secrets[0]!.versions[0]!,
      },
    ];
    vault.secrets = [];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports SecretNotFound for setting DATABASE_URL on app ai-trader-api: the reference to POSTGRES-CONN does not resolve.",
      "SECRET_SOFT_DELETED high: Secret POSTGRES-CONN in vault kv-ai-trader-prod is soft-deleted; it can be recovered until 2027-02-23.",
    ]);
  });

  it("should not mention a deleted secret the doc does not name", async () => {
    const estate = makeSmallEstate();
    const retired = makeSecret({ name: "RETIRED-KEY" });
    estate.vaults[0]!.deletedSecrets = [
      {
        name: retired.name,
        deletedDate: toUnixSeconds("2026-11-25T00:00:00Z"),
        scheduledPurgeDate: toUnixSeconds("2027-02-23T00:00:00Z"),
        current: retired.versions[0]!,
      },
    ];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([]);
  });

  it("should measure age from the newest enabled version when a newer one is disabled", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets[0]!.versions = [
      version("2026-05-01T00:00:00Z"),
      version("2026-11-20T00:00:00Z", { enabled: false }),
    ];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "ROTATION_OVERDUE high: Secret POSTGRES-CONN in vault kv-ai-trader-prod was last rotated 214 days ago; its rotation limit is 90 days.",
      "SECRET_DISABLED high: The current version of secret POSTGRES-CONN in vault kv-ai-trader-prod is disabled.",
    ]);
    expect(audit.findings[0]!.evidence.version).toBe(makeHexId("v-2026-05-01T00:00:00Z"));
  });

  it("should not guess a rotation age when the versions behind a disabled one cannot be read", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets[0]!.versions = [
      version("2026-05-01T00:00:00Z"),
      version("2026-11-20T00:00:00Z", { enabled: false }),
    ];

    const audit = await auditThroughFake(estate, {
      prepare: (harness) => harness.fake.forbidVault(SMALL.vault),
    });

    expect(subjects(audit.findings)).toEqual([
      "SECRET_DISABLED POSTGRES-CONN",
      "NOT_EVALUATED secretVersions: kv-ai-trader-prod",
    ]);
  });

  it("should not take an edit of tags or expiry for a rotation (A20)", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets[0]!.versions = [
      version("2026-05-15T00:00:00Z", {
        updated: toUnixSeconds("2026-11-20T00:00:00Z"),
        tags: { owner: "team-a" },
      }),
    ];

    const audit = await auditThroughFake(estate);

    expect(audit.snapshot.vaults[0]!.secrets[0]!.updatedOn).toBe("2026-11-20T00:00:00.000Z");
    expect(audit.lines).toEqual([
      "ROTATION_OVERDUE high: Secret POSTGRES-CONN in vault kv-ai-trader-prod was last rotated 200 days ago; its rotation limit is 90 days.",
    ]);
  });

  it.each([
    ["data plane", false],
    ["management plane", true],
  ])(
    "should leave a certificate's backing secret out of expiry, rotation and undocumented checks, read from the %s (A18)",
    async (_plane, refuseDataPlane) => {
      const estate = makeSmallEstate();
      const certificate = makeSecret({
        name: "Tls-Cert",
        managed: true,
        created: "2024-11-01T00:00:00Z",
      });
      certificate.versions[0]!.contentType = "application/x-pkcs12";
      certificate.versions[0]!.expires = toUnixSeconds("2025-02-01T00:00:00Z");
      estate.vaults[0]!.secrets.push(certificate);

      const audit = await auditThroughFake(estate, {
        prepare: (harness) => refuseDataPlane && harness.fake.forbidVault(SMALL.vault),
      });

      expect(audit.lines).toEqual([]);
    },
  );

  it("should report the same old secret when it is not certificate-backed", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets.push(
      makeSecret({ name: "Tls-Cert", created: "2024-11-01T00:00:00Z" }),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "SECRET_NOT_DOCUMENTED low: Vault kv-ai-trader-prod holds secret Tls-Cert, which the doc does not mention.",
    ]);
  });

  it("should match secret, vault and host names without regard to case (A22)", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.secrets[0]!.name = "postgres-conn";
    estate.sites[0]!.appSettings[SMALL.setting] =
      "@Microsoft.KeyVault(SecretUri=https://KV-AI-TRADER-PROD.vault.azure.net/secrets/Postgres-Conn)";

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([]);
  });
});
