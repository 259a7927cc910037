import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, Policy, RoleRequirement } from "../policy/policy-model.js";
import type { DenyAssignment, DenyAssignmentPrincipal, Snapshot } from "../snapshot/snapshot.js";
import { patternCovers, patternsOverlap } from "./action-patterns.js";
import type { Rule, RuleContext } from "./rule.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import {
  groupsOf,
  isCheckableRole,
  listResolvedIdentities,
  requiredRoleGuid,
} from "./principal-index.js";
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
  /** The group the deny names, when it reaches the identity through one. */
  group: string | undefined;
  role: RoleRequirement;
  denied: string;
  granted: string;
  /** The deny assignment's condition, or that of the permission that denies. */
  condition: Conditional | undefined;
}

/** Whatever may carry an ABAC condition: a deny assignment or one of its permissions. */
type Conditional = Pick<DenyAssignment, "condition" | "conditionVersion">;

/**
 * A deny assignment at, above or below a documented scope. Deny wins over
 * any role assignment, so a documented grant can be in place and still not
 * work; the doc cannot express deny assignments, so each one is shown.
 *
 * It is rated medium when it applies to a documented identity (listed, a
 * group it is in, or everyone; and neither the identity nor such a group is
 * excluded) and one of its denied actions or data actions overlaps, as a
 * wildcard pattern, an action of a role the doc grants that identity where
 * the deny assignment reaches.
 *
 * Two limits, both said in the finding rather than guessed away:
 * - Group membership comes from `principalGroups`: the groups through which
 *   an identity holds role assignments (`assignedTo()`). Membership in a
 *   group that holds no role is not visible without Microsoft Graph, so a
 *   deny naming such a group is only noted, with that caveat.
 * - An ABAC condition (on the deny assignment or on one of its permissions)
 *   is recorded, not evaluated: the finding says the deny may not apply.
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
        : [presentFinding(snapshot, deny, scope, identities)];
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

/**
 * Whether the deny covers the principal, and through which group: named,
 * everyone, or a group it holds roles through; never when the principal or
 * one of those groups is excluded.
 */
function coverageOf(
  deny: DenyAssignment,
  principalId: string,
  groups: string[],
): { group: string | undefined } | undefined {
  const names = (list: DenyAssignmentPrincipal[], id: string) => list.some((p) => sameId(p.id, id));

  if ([principalId, ...groups].some((id) => names(deny.excludePrincipals, id))) {
    return undefined;
  }

  if (deny.principals.some((p) => p.id === EVERYONE) || names(deny.principals, principalId)) {
    return { group: undefined };
  }

  const group = groups.find((id) => names(deny.principals, id));

  return group === undefined ? undefined : { group };
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
  const { principalId } = principal;
  const coverage = coverageOf(deny, principalId, groupsOf(snapshot, principalId) ?? []);

  if (!coverage) {
    return [];
  }

  for (const role of identity.roles.filter(isCheckableRole)) {
    const overlap = reaches(deny, role.scope) ? findOverlap(snapshot, deny, role) : undefined;

    if (overlap) {
      const { permission, ...patterns } = overlap;
      const condition = [deny, permission].find((c) => c.condition);

      return [{ identity, principalId, group: coverage.group, role, ...patterns, condition }];
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
          return { ...hit, permission: denied };
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

function blockFinding(deny: DenyAssignment, block: Block): Finding {
  const { identity, role, group, condition } = block;
  const through = group ? ` through group ${group}` : "";

  return makeFinding(denyAssignmentPresent, {
    severity: "medium",
    resourceId: deny.id,
    subject: `${identity.name}: ${deny.denyAssignmentName}`,
    message:
      `Deny assignment "${deny.denyAssignmentName}" at ${deny.scope} applies to identity ` +
      `${identity.name} (principal ${block.principalId})${through} and denies ${block.denied}, ` +
      `which overlaps ${block.granted} of its documented ${role.roleName} on ` +
      `${role.scopeLabel}.${describeCondition(condition)}`,
    expected: `${role.roleName} on ${role.scopeLabel} usable by ${identity.name}`,
    observed:
      `deny assignment ${deny.denyAssignmentName} denies ${block.denied}` +
      (condition ? " under a condition not evaluated" : ""),
    docRef: role.docRef,
    evidence: {
      identity: identity.name,
      principalId: block.principalId,
      ...(group ? { group } : {}),
      role: role.roleName,
      scope: deny.scope,
      denyAssignmentId: deny.id,
      denied: block.denied,
      granted: block.granted,
      ...conditionEvidence(condition),
    },
  });
}

/** The deny assignment's own condition, else the first permission's. */
function conditionOf(deny: DenyAssignment): Conditional | undefined {
  return [deny, ...deny.permissions].find((c) => c.condition);
}

/** A sentence for a deny with a condition: the audit cannot say it holds. */
function describeCondition(conditional: Conditional | undefined): string {
  if (!conditional?.condition) {
    return "";
  }

  // Only a version number goes into the sentence: a snapshot is a file
  // anyone can edit, and this text is printed.
  const { conditionVersion = "" } = conditional;
  const version = /^\d+(\.\d+)*$/.test(conditionVersion) ? ` (version ${conditionVersion})` : "";

  return (
    ` It carries a condition${version} that the audit did not evaluate, so it may not ` +
    "apply; read the condition before changing anything."
  );
}

// The condition goes into the report's evidence for the reviewer to read;
// telemetry never sends evidence, and nothing logs it.
function conditionEvidence(conditional: Conditional | undefined): Record<string, string> {
  const { condition, conditionVersion } = conditional ?? {};

  return {
    ...(condition ? { condition } : {}),
    ...(condition && conditionVersion ? { conditionVersion } : {}),
  };
}

function presentFinding(
  snapshot: Snapshot,
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
      "the audit found no documented role it blocks." +
      describeUnseenGroups(snapshot, deny, identities) +
      describeCondition(conditionOf(deny)),
    expected: "no deny assignment blocking a documented role",
    observed: `deny assignment ${deny.denyAssignmentName} for ${whom}`,
    docRef: undefined,
    evidence: {
      scope: deny.scope,
      denyAssignmentId: deny.id,
      documentedScope,
      isSystemProtected: String(deny.isSystemProtected),
      ...conditionEvidence(conditionOf(deny)),
    },
  });
}

/**
 * The groups the deny names that no documented identity holds roles
 * through: whether an identity is a member of one is not visible without
 * Microsoft Graph, so the note says so instead of implying "not a member".
 */
function describeUnseenGroups(
  snapshot: Snapshot,
  deny: DenyAssignment,
  identities: ResolvedIdentity[],
): string {
  const known = identities.flatMap(
    ({ principal }) => groupsOf(snapshot, principal.principalId) ?? [],
  );
  const unseen = deny.principals.filter(
    (p) => isGroup(p) && !known.some((group) => sameId(group, p.id)),
  );

  if (unseen.length === 0) {
    return "";
  }

  const groups = joinNames(unseen.map((p) => `group ${p.id}`));

  return (
    ` Whether a documented identity belongs to ${groups} is unknown: the audit sees only the ` +
    "groups an identity holds roles through, and other membership needs Microsoft Graph."
  );
}

function isGroup(principal: DenyAssignmentPrincipal): boolean {
  return principal.type?.toLowerCase() === "group";
}

/** "all principals except identity x (principal …)", "principal a and principal b"... */
function describeWhom(deny: DenyAssignment, identities: ResolvedIdentity[]): string {
  const name = (p: DenyAssignmentPrincipal) => {
    const known = identities.find(({ principal }) => sameId(principal.principalId, p.id));

    if (known) {
      return `identity ${known.identity.name} (principal ${p.id})`;
    }

    return isGroup(p) ? `group ${p.id}` : `principal ${p.id}`;
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
