import type { Finding } from "../findings/finding.js";
import type { SiteSnapshot, Snapshot, VaultSnapshot } from "../snapshot/snapshot.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import { assignmentsOf, roleGuidOf, wasQueried } from "./principal-index.js";
import { isListingContradicted } from "./listing-contradictions.js";
import { listReferenceUses } from "./reference-uses.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { siteLabel } from "./setting-missing.js";

/** Built-in roles whose data actions include reading secret values. */
const SECRET_READ_ROLE_GUIDS = new Set([
  "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
  "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
]);

type Resolver = { principalId: string; label: string } | { problem: string };

/**
 * The identity App Service resolves references with (keyVaultReferenceIdentity,
 * else the system-assigned one) must be able to read secrets on the vault:
 * a role in RBAC mode, an access policy with get in access-policy mode.
 */
export const referenceIdentityCannotRead: Rule = {
  id: "KV_REFERENCE_IDENTITY_CANNOT_READ",
  title: "The identity that resolves Key Vault references cannot read the vault",
  severity: "high",
  rationale:
    "References resolve as one identity only; granting another identity (a user-assigned " +
    "one the app merely carries) leaves every reference unresolved.",
  remediation: {
    summary:
      "Grant the resolving identity Key Vault Secrets User on the vault, or point " +
      "keyVaultReferenceIdentity at the identity that holds it",
    az:
      'az role assignment create --assignee-object-id <principal-id> --role "Key Vault Secrets User" ' +
      "--scope <vault-id>",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#access-vaults-with-a-user-assigned-identity",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    const pairs = new Map<string, SiteVault>();

    for (const use of listReferenceUses(policy, snapshot)) {
      const { site, vault } = use;

      if (vault && sameId(use.reference.vaultName, vault.name)) {
        const key = `${site.resourceId}|${vault.resourceId}`.toLowerCase();
        const pair = pairs.get(key) ?? { site, vault, secretNames: [] };
        pairs.set(key, { ...pair, secretNames: [...pair.secretNames, use.reference.secretName] });
      }
    }

    return [...pairs.values()].flatMap((pair) => judgeSite(snapshot, pair));
  },
};

/** A site, a vault its documented settings reference, and the secrets they name there. */
interface SiteVault {
  site: SiteSnapshot;
  vault: VaultSnapshot;
  secretNames: string[];
}

function judgeSite(snapshot: Snapshot, { site, vault, secretNames }: SiteVault): Finding[] {
  const resolver = findResolver(site);

  if ("problem" in resolver) {
    return [cannotReadFinding(site, vault, resolver.problem, "none")];
  }

  const verdict = canReadSecrets(snapshot, vault, resolver.principalId, secretNames);

  if (verdict !== false) {
    return [];
  }

  const how =
    vault.enableRbacAuthorization === false
      ? "has no access policy with get on secrets"
      : "holds no Key Vault Secrets User (or broader secrets role) at the vault or above";

  return [cannotReadFinding(site, vault, `${resolver.label} ${how}`, resolver.principalId)];
}

/** Which principal App Service resolves this site's references with. */
export function findResolver(site: SiteSnapshot): Resolver {
  const named = site.keyVaultReferenceIdentity ?? "SystemAssigned";

  if (sameId(named, "SystemAssigned")) {
    const principalId = site.identity?.principalId;

    return principalId
      ? { principalId, label: `the system-assigned identity (principal ${principalId})` }
      : { problem: "the site has no system-assigned identity to resolve references with" };
  }

  const assigned = site.identity?.userAssigned.find((u) => sameId(u.resourceId, named));

  return assigned
    ? {
        principalId: assigned.principalId,
        label: `user-assigned identity ${named.split("/").pop()} (principal ${assigned.principalId})`,
      }
    : { problem: `keyVaultReferenceIdentity names ${named}, which is not assigned to the site` };
}

/** true, false, or undefined when the audit could not see enough to say. */
function canReadSecrets(
  snapshot: Snapshot,
  vault: VaultSnapshot,
  principalId: string,
  secretNames: string[],
): boolean | undefined {
  if (vault.enableRbacAuthorization === false) {
    if (!vault.accessPolicies) {
      return undefined;
    }

    return vault.accessPolicies.some(
      (p) => sameId(p.objectId, principalId) && p.secrets.some((s) => /^(get|all)$/i.test(s)),
    );
  }

  if (vault.enableRbacAuthorization === undefined || !wasQueried(snapshot, principalId)) {
    return undefined;
  }

  // A listing Resource Graph contradicted cannot show an absence (A13).
  if (isListingContradicted(snapshot, principalId, vault.resourceId)) {
    return undefined;
  }

  // A grant on the vault or above covers every secret; one on a secret covers that secret.
  const grants = assignmentsOf(snapshot, principalId).filter((a) =>
    SECRET_READ_ROLE_GUIDS.has(roleGuidOf(a.roleDefinitionId)),
  );

  return secretNames.every((name) =>
    grants.some((a) => isScopeAtOrAbove(a.scope, `${vault.resourceId}/secrets/${name}`)),
  );
}

function cannotReadFinding(
  site: SiteSnapshot,
  vault: VaultSnapshot,
  reason: string,
  principalId: string,
): Finding {
  return makeFinding(referenceIdentityCannotRead, {
    severity: referenceIdentityCannotRead.severity,
    resourceId: site.resourceId,
    subject: `keyVaultReferenceIdentity: ${vault.name}`,
    message:
      `Key Vault references on app ${siteLabel(site.name, site.slot)} cannot read vault ` +
      `${vault.name}: ${reason}.`,
    expected: "the resolving identity may read secrets on the vault",
    observed: reason,
    docRef: undefined,
    evidence: {
      app: site.name,
      slot: site.slot ?? "production",
      vault: vault.name,
      vaultId: vault.resourceId,
      resolvingIdentity: site.keyVaultReferenceIdentity ?? "SystemAssigned",
      principalId,
      permissionModel: vault.enableRbacAuthorization === false ? "accessPolicy" : "rbac",
    },
  });
}
