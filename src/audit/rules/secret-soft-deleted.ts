import type { Finding } from "../findings/finding.js";
import type { SecretRequirement } from "../policy/policy-model.js";
import type { DeletedSecretProperties, VaultSnapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findSecret, findVault, sameId } from "./estate-index.js";
import { makeFinding } from "./rule.js";

/** A documented secret was deleted but can still be recovered. */
export const secretSoftDeleted: Rule = {
  id: "SECRET_SOFT_DELETED",
  title: "Documented secret is soft-deleted",
  severity: "high",
  rationale:
    "References to a deleted secret fail now; until the purge date the secret, with its " +
    "history, can be recovered instead of re-issued.",
  remediation: {
    summary: "Recover the secret before its purge date, or remove the row from the doc",
    az: "az keyvault secret recover --vault-name <vault> --name <secret>",
    docs: "https://learn.microsoft.com/azure/key-vault/general/key-vault-recovery",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return policy.secrets.flatMap((secret) => {
      const vault = findVault(snapshot, secret.vault);
      const deleted = vault && !findSecret(vault, secret.name) && findDeleted(vault, secret.name);

      return vault && deleted ? [deletedFinding(secret, vault, deleted)] : [];
    });
  },
};

export function findDeleted(
  vault: VaultSnapshot,
  name: string,
): DeletedSecretProperties | undefined {
  return vault.deletedSecrets?.find((deleted) => sameId(deleted.name, name));
}

function deletedFinding(
  secret: SecretRequirement,
  vault: VaultSnapshot,
  deleted: DeletedSecretProperties,
): Finding {
  const purge = deleted.scheduledPurgeDate?.slice(0, 10) ?? "an unknown date";

  return makeFinding(secretSoftDeleted, {
    severity: secretSoftDeleted.severity,
    resourceId: vault.resourceId,
    subject: secret.name,
    message:
      `Secret ${secret.name} in vault ${vault.name} is soft-deleted; it can be recovered ` +
      `until ${purge}.`,
    expected: `secret ${secret.name} active in vault ${vault.name}`,
    observed: `deleted ${deleted.deletedOn?.slice(0, 10) ?? "on an unknown date"}, purge ${purge}`,
    docRef: secret.docRef,
    evidence: {
      vault: vault.name,
      secret: secret.name,
      deletedOn: deleted.deletedOn ?? "",
      scheduledPurgeDate: deleted.scheduledPurgeDate ?? "",
    },
  });
}
