import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, Policy, RoleRequirement } from "../policy/policy-model.js";
import type { DenyAssignment, DenyAssignmentPrincipal, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import { isCheckableRole, listResolvedIdentities, requiredRoleGuid } from "./principal-index.js";
import type { ResolvedIdentity } from "./principal-index.js";
import { makeFinding } from "./rule.js";
import { lookupFor } from "./snapshot-lookup.js";

/** The object id a deny assignment uses for "all principals" (type `SystemDefined`). */
const EVERYONE = "00000000-0000-0000-0000-000000000000";

/** Control-plane and data-plane permissions, each with its exclusions. */
const PERMISSION_KINDS = [
  ["actions", "notActions"],
  ["dataActions", "notDataActions"],
] as const;

/** Where a deny assignment meets a documented role: one pattern it denies, one the role grants. */
interface Block {
  identity: IdentityRequirement;
  principalId: string;
  role: RoleRequirement;
  denied: string;
  granted: string;
}

/**
 * A deny assignment at, above or below a documented scope. Deny wins over
 * any role assignment, so a documented grant can be in place and still not
 * work; the doc cannot express deny assignments, so each one is shown.
 *
 * It is rated medium when it applies to a documented identity (listed, or
 * everyone without the identity among the excluded) and one of its denied
 * actions or data actions overlaps, as a wildcard pattern, an action of a
 * role the doc grants that identity where the deny assignment reaches.
 */
export const denyAssignmentPresent: Rule = {
  id: "DENY_ASSIGNMENT_PRESENT",
  title: "Deny assignment on a documented scope",
  severity: "info",
  rationale:
    "A deny assignment blocks actions whatever roles grant them; when it covers a documented " +
    "identity, the role the doc relies on may silently not work.",
  remediation: {
    summary:
      "Find what created the deny assignment (a deployment stack's deny settings, a managed " +
      "application) and exclude the identity or narrow the denied actions there",
    az: 'az rest --method get --url "<scope>/providers/Microsoft.Authorization/denyAssignments?api-version=2022-04-01"',
    docs: "https://learn.microsoft.com/azure/role-based-access-control/deny-assignments",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    const scopes = documentedScopes(policy);
    const identities = listResolvedIdentities(policy, snapshot);

    return (snapshot.denyAssignments ?? []).flatMap((deny) => {
      const scope = scopes.find(
        (s) => isScopeAtOrAbove(deny.scope, s) || isScopeAtOrAbove(s, deny.scope),
      );

      if (!scope) {
        return [];
      }

      const blocks = identities.flatMap((resolved) => findBlock(snapshot, deny, resolved));

      return blocks.length > 0
        ? blocks.map((block) => blockFinding(deny, block))
        : [presentFinding(deny, scope, identities)];
    });
  },
};

/** The scopes the collector lists deny assignments for: role scopes and vaults. */
function documentedScopes(policy: Policy): string[] {
  return [
    ...policy.identities.flatMap((identity) => identity.roles.map((role) => role.scope)),
    ...Object.values(policy.vaults).map((vault) => vault.resourceId),
  ].filter((scope) => scope !== "");
}

function appliesTo(deny: DenyAssignment, principalId: string): boolean {
  const listed = deny.principals.some((p) => p.id === EVERYONE || sameId(p.id, principalId));

  return listed && !deny.excludePrincipals.some((p) => sameId(p.id, principalId));
}

/** At the role's scope, above it (unless it stops there), or on something below it. */
function reaches(deny: DenyAssignment, roleScope: string): boolean {
  if (sameId(deny.scope, roleScope) || isScopeAtOrAbove(roleScope, deny.scope)) {
    return true;
  }

  return isScopeAtOrAbove(deny.scope, roleScope) && !deny.doNotApplyToChildScopes;
}

/** The first documented role of the identity that the deny assignment could block. */
function findBlock(
  snapshot: Snapshot,
  deny: DenyAssignment,
  { identity, principal }: ResolvedIdentity,
): Block[] {
  if (!appliesTo(deny, principal.principalId)) {
    return [];
  }

  for (const role of identity.roles.filter(isCheckableRole)) {
    const overlap = reaches(deny, role.scope) ? findOverlap(snapshot, deny, role) : undefined;

    if (overlap) {
      return [{ identity, principalId: principal.principalId, role, ...overlap }];
    }
  }

  return [];
}

/**
 * A denied pattern that overlaps a pattern the role grants, of the same kind
 * (actions or data actions). The deny's own exclusions (notActions) and the
 * role's are honoured; a role whose permissions were not read matches nothing.
 */
function findOverlap(snapshot: Snapshot, deny: DenyAssignment, role: RoleRequirement) {
  const guid = requiredRoleGuid(snapshot, role);
  const granted = (guid && lookupFor(snapshot).definitionByGuid.get(guid)?.permissions) || [];

  for (const denied of deny.permissions) {
    for (const [kind, notKind] of PERMISSION_KINDS) {
      for (const grant of granted) {
        const hit = overlapOf(denied[kind], denied[notKind], grant[kind], grant[notKind]);

        if (hit) {
          return hit;
        }
      }
    }
  }

  return undefined;
}

function overlapOf(denied: string[], notDenied: string[], grants: string[], notGrants: string[]) {
  for (const granted of grants.filter((g) => !notDenied.some((n) => patternCovers(n, g)))) {
    const hit = denied.find(
      (d) => patternsOverlap(d, granted) && !notGrants.some((n) => patternCovers(n, d)),
    );

    if (hit) {
      return { denied: hit, granted };
    }
  }

  return undefined;
}

/** True when some action matches both patterns (`*` matches any text, case ignored). */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const known = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const cached = known.get(key);

    if (cached !== undefined) {
      return cached;
    }

    const result =
      i === x.length && j === y.length
        ? true
        : x[i] === "*"
          ? walk(i + 1, j) || (j < y.length && walk(i, j + 1))
          : y[j] === "*"
            ? walk(i, j + 1) || (i < x.length && walk(i + 1, j))
            : i < x.length && x[i] === y[j] && walk(i + 1, j + 1);

    known.set(key, result);

    return result;
  };

  return walk(0, 0);
}

/** True when every action `inner` matches also matches `outer`. */
export function patternCovers(outer: string, inner: string): boolean {
  const source = outer
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");

  return new RegExp(`^${source}$`, "i").test(inner);
}

function blockFinding(deny: DenyAssignment, block: Block): Finding {
  const { identity, role } = block;

  return makeFinding(denyAssignmentPresent, {
    severity: "medium",
    resourceId: deny.id,
    subject: `${identity.name}: ${deny.denyAssignmentName}`,
    message:
      `Deny assignment "${deny.denyAssignmentName}" at ${deny.scope} applies to identity ` +
      `${identity.name} (principal ${block.principalId}) and denies ${block.denied}, which ` +
      `overlaps ${block.granted} of its documented ${role.roleName} on ${role.scopeLabel}.`,
    expected: `${role.roleName} on ${role.scopeLabel} usable by ${identity.name}`,
    observed: `deny assignment ${deny.denyAssignmentName} denies ${block.denied}`,
    docRef: role.docRef,
    evidence: {
      identity: identity.name,
      principalId: block.principalId,
      role: role.roleName,
      scope: deny.scope,
      denyAssignmentId: deny.id,
      denied: block.denied,
      granted: block.granted,
    },
  });
}

function presentFinding(
  deny: DenyAssignment,
  documentedScope: string,
  identities: ResolvedIdentity[],
): Finding {
  const whom = describeWhom(deny, identities);

  return makeFinding(denyAssignmentPresent, {
    severity: denyAssignmentPresent.severity,
    resourceId: deny.id,
    subject: deny.denyAssignmentName,
    message:
      `Deny assignment "${deny.denyAssignmentName}" at ${deny.scope} applies to ${whom}; ` +
      "the audit found no documented role it blocks.",
    expected: "no deny assignment blocking a documented role",
    observed: `deny assignment ${deny.denyAssignmentName} for ${whom}`,
    docRef: undefined,
    evidence: {
      scope: deny.scope,
      denyAssignmentId: deny.id,
      documentedScope,
      isSystemProtected: String(deny.isSystemProtected),
    },
  });
}

/** "all principals except identity x (principal …)", "principal a and principal b"... */
function describeWhom(deny: DenyAssignment, identities: ResolvedIdentity[]): string {
  const name = (p: DenyAssignmentPrincipal) => {
    const known = identities.find(({ principal }) => sameId(principal.principalId, p.id));

    return known ? `identity ${known.identity.name} (principal ${p.id})` : `principal ${p.id}`;
  };
  const everyone = deny.principals.some((p) => p.id === EVERYONE);
  const listed = joinNames(deny.principals.filter((p) => p.id !== EVERYONE).map(name));
  const base = everyone ? "all principals" : listed || "no principal";
  const excluded = joinNames(deny.excludePrincipals.map(name));

  return excluded ? `${base} except ${excluded}` : base;
}

function joinNames(names: string[]): string {
  return names.length > 1
    ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`
    : (names[0] ?? "");
}
