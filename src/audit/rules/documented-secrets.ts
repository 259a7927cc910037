import type { Policy, SecretRequirement } from "../policy/policy-model.js";
import type { SecretProperties, Snapshot, VaultSnapshot } from "../snapshot/snapshot.js";
import { findSecret, findVault } from "./estate-index.js";

export interface ObservedSecret {
  secret: SecretRequirement;
  vault: VaultSnapshot;
  observed: SecretProperties;
}

/** Each documented secret found in its vault, leaving certificate-backed ones out. */
export function listObservedSecrets(policy: Policy, snapshot: Snapshot): ObservedSecret[] {
  return policy.secrets.flatMap((secret) => {
    const vault = findVault(snapshot, secret.vault);
    const observed = vault && findSecret(vault, secret.name);

    return vault && observed && !observed.managed ? [{ secret, vault, observed }] : [];
  });
}

export function secretEvidence({ vault, observed }: ObservedSecret): Record<string, string> {
  return {
    vault: vault.name,
    secret: observed.name,
    version: observed.version ?? "unknown",
    enabled: String(observed.enabled),
    createdOn: observed.createdOn ?? "",
    expiresOn: observed.expiresOn ?? "",
  };
}
