/**
 * Decides which extra Key Vault reads an audit needs, so that versions and
 * deleted secrets are listed only when an answer depends on them, never
 * once per secret by default.
 */
import type { Policy } from "../policy/policy-model.js";
import type { SiteSnapshot, VaultSnapshot } from "../snapshot/snapshot.js";

/** A secret name as written somewhere in the estate or the doc, lower-cased. */
type SecretKey = string;

interface VaultReference {
  secretName: string;
  secretVersion: string | undefined;
  activeVersion: string | undefined;
}

function sameName(a: string | undefined, b: string): boolean {
  return a?.toLowerCase() === b.toLowerCase();
}

/** Every reference to this vault: from setting text and from App Service's statuses. */
export function findVaultReferences(sites: SiteSnapshot[], vaultName: string): VaultReference[] {
  const references: VaultReference[] = [];

  for (const site of sites) {
    for (const setting of site.settings) {
      const reference = setting.reference;
      if (reference && !reference.malformed && sameName(reference.vaultName, vaultName)) {
        references.push({ ...reference, activeVersion: undefined });
      }
    }

    for (const status of site.configReferences ?? []) {
      if (status.secretName && sameName(status.vaultName, vaultName)) {
        references.push({
          secretName: status.secretName,
          secretVersion: status.secretVersion,
          activeVersion: status.activeVersion,
        });
      }
    }
  }

  return references;
}

/** Secret names the doc puts in this vault or the estate points at in it. */
export function findWantedSecrets(
  policy: Policy,
  vaultKey: string,
  references: VaultReference[],
): Set<SecretKey> {
  const documented = policy.secrets.filter((s) => s.vault === vaultKey).map((s) => s.name);

  return new Set(
    [...documented, ...references.map((r) => r.secretName)].map((n) => n.toLowerCase()),
  );
}

/**
 * Current version ids matter only when a reference is pinned or App Service
 * reports which version it serves.
 */
export function needsCurrentVersions(references: VaultReference[]): boolean {
  return references.some((r) => r.secretVersion !== undefined || r.activeVersion !== undefined);
}

/**
 * Secrets whose version list an answer depends on: a wanted secret whose
 * current version is disabled (age is measured from the newest enabled
 * one), or one referenced by a version other than the current one.
 */
export function findSecretsNeedingVersions(
  vault: VaultSnapshot,
  wanted: Set<SecretKey>,
  references: VaultReference[],
): string[] {
  return vault.secrets
    .filter((secret) => {
      const key = secret.name.toLowerCase();
      const disabled = wanted.has(key) && !secret.enabled;
      const pinnedElsewhere = references.some(
        (r) =>
          sameName(r.secretName, secret.name) &&
          r.secretVersion !== undefined &&
          !sameName(secret.version, r.secretVersion),
      );

      return disabled || pinnedElsewhere;
    })
    .map((secret) => secret.name);
}

/** Wanted secrets the vault did not list: maybe soft-deleted, which is not "missing". */
export function findAbsentSecrets(vault: VaultSnapshot, wanted: Set<SecretKey>): string[] {
  const present = new Set(vault.secrets.map((s) => s.name.toLowerCase()));

  return [...wanted].filter((name) => !present.has(name));
}
