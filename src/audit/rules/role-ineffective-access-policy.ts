import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, Policy, RoleRequirement } from "../policy/policy-model.js";
import type { Snapshot, VaultSnapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import { resolvePrincipal } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/**
 * A vault with enableRbacAuthorization false ignores data-plane role
 * assignments: a documented Key Vault role there grants nothing.
 */
export const roleIneffectiveAccessPolicy: Rule = {
  id: "ROLE_INEFFECTIVE_ACCESS_POLICY_MODE",
  title: "Documented Key Vault role is ineffective on an access-policy vault",
  severity: "high",
  rationale:
    "In access-policy mode only access policies grant data access; the documented role " +
    "looks right in the portal and does nothing.",
  remediation: {
    summary: "Switch the vault to the RBAC permission model, or grant an access policy with get",
    az: "az keyvault update --name <vault> --enable-rbac-authorization true",
    docs: "https://learn.microsoft.com/azure/key-vault/general/rbac-migration",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return snapshot.vaults
      .filter((vault) => vault.enableRbacAuthorization === false)
      .flatMap((vault) =>
        policy.identities.flatMap((identity) =>
          identity.roles
            .filter((role) => isKeyVaultDataRole(role) && role.scope !== "")
            .filter((role) => isScopeAtOrAbove(role.scope, vault.resourceId))
            .map((role) => ineffectiveFinding(policy, snapshot, vault, identity, role)),
        ),
      );
  },
};

function isKeyVaultDataRole(role: RoleRequirement): boolean {
  return (
    /^key vault (secrets|administrator|crypto|certificates|reader)/i.test(role.roleName) ||
    (role.secretPermissions?.length ?? 0) > 0
  );
}

function ineffectiveFinding(
  policy: Policy,
  snapshot: Snapshot,
  vault: VaultSnapshot,
  identity: IdentityRequirement,
  role: RoleRequirement,
): Finding {
  const principal = resolvePrincipal(policy, snapshot, identity);
  const principalId = principal.status === "resolved" ? principal.principalId : undefined;
  const entry = vault.accessPolicies?.find((p) => principalId && sameId(p.objectId, principalId));
  const getGranted = entry?.secrets.some((s) => /^(get|all)$/i.test(s)) ?? false;

  return makeFinding(roleIneffectiveAccessPolicy, {
    severity: getGranted ? "low" : "high",
    resourceId: vault.resourceId,
    subject: `${identity.name}: ${role.roleName}`,
    message:
      `Vault ${vault.name} uses access policies, so ${role.roleName} for ${identity.name} ` +
      `grants nothing there; ${getGranted ? "an access policy does grant get on secrets" : "no access policy grants it get on secrets"}.`,
    expected: `${role.roleName} effective on ${vault.name}`,
    observed: `access-policy mode; secret get ${getGranted ? "granted by policy" : "not granted"}`,
    docRef: role.docRef,
    evidence: { vault: vault.name, identity: identity.name, principalId: principalId ?? "unknown" },
  });
}
