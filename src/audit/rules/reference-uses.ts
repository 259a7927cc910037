import type { Policy, SecretRequirement, SettingRequirement } from "../policy/policy-model.js";
import type {
  ConfigReferenceStatus,
  KeyVaultReference,
  SecretProperties,
  SiteSnapshot,
  Snapshot,
  VaultSnapshot,
} from "../snapshot/snapshot.js";
import {
  findAppSites,
  findSecret,
  findSetting,
  findVault,
  listDocumentedSettings,
  sameId,
  settingMatches,
} from "./estate-index.js";
import { evidenceFor } from "./setting-missing.js";
import { derivedOnce } from "./snapshot-lookup.js";

/** One documented setting on one site that holds a well-formed reference. */
export interface ReferenceUse {
  secret: SecretRequirement;
  setting: SettingRequirement;
  site: SiteSnapshot;
  reference: KeyVaultReference;
  /** The vault and secret the reference points at, when it points at the documented one. */
  vault: VaultSnapshot | undefined;
  observed: SecretProperties | undefined;
  /** App Service's own report on the reference, when it gave one. */
  status: ConfigReferenceStatus | undefined;
}

/** Every documented setting, on every site, that holds a parseable Key Vault reference. */
export function listReferenceUses(policy: Policy, snapshot: Snapshot): ReferenceUse[] {
  return derivedOnce(policy, snapshot, "referenceUses", () =>
    collectReferenceUses(policy, snapshot),
  );
}

function collectReferenceUses(policy: Policy, snapshot: Snapshot): ReferenceUse[] {
  return listDocumentedSettings(policy).flatMap(({ secret, setting, app }) =>
    findAppSites(snapshot, app).flatMap((site) => {
      const reference = findSetting(site, setting)?.reference;

      if (!reference || reference.malformed) {
        return [];
      }

      const vault = findVault(snapshot, secret.vault);
      const pointsAtDoc =
        vault !== undefined &&
        sameId(reference.vaultName, vault.name) &&
        sameId(reference.secretName, secret.name);
      const observed = pointsAtDoc ? findSecret(vault, secret.name) : undefined;
      const status = findStatus(site, setting);

      return [{ secret, setting, site, reference, vault, observed, status }];
    }),
  );
}

function findStatus(
  site: SiteSnapshot,
  setting: SettingRequirement,
): ConfigReferenceStatus | undefined {
  return site.configReferences?.find((status) => settingMatches(status, setting));
}

/** The chain a reference finding was judged on. */
export function referenceEvidence(use: ReferenceUse): Record<string, string> {
  return {
    ...evidenceFor(use.site.name, use.site.slot, use.setting.name, use.secret.name),
    referenceForm: use.reference.form,
    referencedVault: use.reference.vaultName,
    referencedVersion: use.reference.secretVersion ?? "latest",
    currentVersion: use.observed?.version ?? "unknown",
    platformStatus: use.status?.status ?? "unknown",
    activeVersion: use.status?.activeVersion ?? "unknown",
    resolvingIdentity: use.site.keyVaultReferenceIdentity ?? "SystemAssigned",
  };
}
