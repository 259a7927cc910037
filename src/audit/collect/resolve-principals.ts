/**
 * Which principals' role assignments to list: every documented identity
 * that can be tied to an object id, and every identity that resolves Key
 * Vault references for an audited site (the one App Service really uses).
 */
import type { Policy } from "../policy/policy-model.js";
import type { SiteSnapshot } from "../snapshot/snapshot.js";

export interface UnresolvedIdentity {
  /** ARM id of the user-assigned identity. */
  resourceId: string;
  identity: string;
}

export interface PrincipalResolution {
  /** Lower-cased, de-duplicated object ids. */
  principalIds: string[];
  /** User-assigned identities no audited site carries, so their object id is unknown. */
  unresolved: UnresolvedIdentity[];
}

function findUserAssignedPrincipal(sites: SiteSnapshot[], resourceId: string): string | undefined {
  const wanted = resourceId.toLowerCase();

  for (const site of sites) {
    const match = site.identity?.userAssigned.find((u) => u.resourceId.toLowerCase() === wanted);
    if (match?.principalId) {
      return match.principalId;
    }
  }

  return undefined;
}

/** The principal App Service resolves this site's Key Vault references with. */
export function findReferencePrincipal(
  site: SiteSnapshot,
  sites: SiteSnapshot[],
): string | undefined {
  const chosen = site.keyVaultReferenceIdentity;

  if (!chosen || chosen.toLowerCase() === "systemassigned") {
    return site.identity?.principalId;
  }

  return findUserAssignedPrincipal(sites, chosen);
}

function principalsOfApp(policy: Policy, appKey: string, sites: SiteSnapshot[]): string[] {
  const app = policy.apps[appKey];
  const name = app?.name.toLowerCase();

  return sites
    .filter((site) => site.name.toLowerCase() === name)
    .flatMap((site) => (site.identity?.principalId ? [site.identity.principalId] : []));
}

export function resolvePrincipals(policy: Policy, sites: SiteSnapshot[]): PrincipalResolution {
  const found: string[] = [];
  const unresolved: UnresolvedIdentity[] = [];

  for (const identity of policy.identities) {
    const binding = identity.principal;

    if (binding?.kind === "objectId") {
      found.push(binding.objectId);
    } else if (binding?.kind === "systemAssigned") {
      found.push(...principalsOfApp(policy, binding.app, sites));
    } else if (binding?.kind === "userAssigned") {
      const principalId = findUserAssignedPrincipal(sites, binding.resourceId);
      if (principalId) {
        found.push(principalId);
      } else {
        unresolved.push({ resourceId: binding.resourceId, identity: identity.name });
      }
    }
  }

  for (const site of sites) {
    const principalId = findReferencePrincipal(site, sites);
    if (principalId) {
      found.push(principalId);
    }
  }

  return { principalIds: [...new Set(found.map((id) => id.toLowerCase()))], unresolved };
}
