import type { Finding } from "../findings/finding.js";
import type { AccessPolicy, Snapshot, VaultSnapshot } from "../snapshot/snapshot.js";
import type { RuleMetadata } from "./rule.js";
import { makeFinding } from "./rule.js";

/**
 * On a vault in access-policy mode, access policies are what grant data
 * access: an entry for a principal the doc does not list is undocumented
 * access just as a role assignment would be.
 */
export function findUndocumentedAccessPolicies(
  rule: RuleMetadata,
  snapshot: Snapshot,
  documented: ReadonlySet<string>,
): Finding[] {
  return snapshot.vaults
    .filter((vault) => vault.enableRbacAuthorization === false)
    .flatMap((vault) =>
      (vault.accessPolicies ?? [])
        .filter((entry) => !documented.has(entry.objectId.toLowerCase()))
        .filter((entry) => permissionsOf(entry).length > 0)
        .map((entry) => policyFinding(rule, vault, entry)),
    );
}

function permissionsOf(entry: AccessPolicy): string[] {
  return [
    ...entry.secrets.map((p) => `secrets ${p.toLowerCase()}`),
    ...entry.keys.map((p) => `keys ${p.toLowerCase()}`),
    ...entry.certificates.map((p) => `certificates ${p.toLowerCase()}`),
  ];
}

function policyFinding(rule: RuleMetadata, vault: VaultSnapshot, entry: AccessPolicy): Finding {
  const permissions = permissionsOf(entry).join(", ");

  return makeFinding(rule, {
    severity: rule.severity,
    resourceId: vault.resourceId,
    subject: `${entry.objectId}: access policy`,
    message:
      `Undocumented principal ${entry.objectId} holds an access policy on vault ` +
      `${vault.name}: ${permissions}.`,
    expected: `only documented identities with access to ${vault.name}`,
    observed: `access policy: ${permissions}`,
    docRef: undefined,
    remediation:
      "Remove the access policy, or add the principal and its purpose to the identity " +
      `mapping (az keyvault delete-policy --name ${vault.name} --object-id ${entry.objectId})`,
    evidence: { vault: vault.name, principalId: entry.objectId, permissions },
  });
}
