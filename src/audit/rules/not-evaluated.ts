import type { Finding } from "../findings/finding.js";
import type { Policy } from "../policy/policy-model.js";
import { GAP_WHAT, SNAPSHOT_FIELD_MISSING } from "../snapshot/snapshot.js";
import type { CollectionGap, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findSite, findVault, isScopeAtOrAbove, sameId } from "./estate-index.js";
import { listSlotIdentities, resolvePrincipal, wasQueried } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/**
 * What the audit could not see. "Could not read" is never "passed": each gap
 * is a finding of its own and makes the run incomplete.
 */
export const notEvaluated: Rule = {
  id: "NOT_EVALUATED",
  title: "Part of the estate could not be read",
  severity: "medium",
  rationale:
    "Checks that depend on data the auditor could not read were skipped; the drift " +
    "they would find may be there.",
  remediation: {
    summary:
      "Grant the auditor's identity read access (Reader on the subscription, Key Vault " +
      "Reader on the vault) or fix the reason given, then run the audit again",
    az: "az role assignment create --assignee <auditor-principal-id> --role Reader --scope <scope>",
    docs: "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return [
      ...snapshot.gaps.map(gapFinding),
      ...uncollectedResources(policy, snapshot),
      ...unresolvedPrincipals(policy, snapshot),
      ...dataPlaneRoles(policy),
    ];
  },
};

function gapFinding(gap: CollectionGap): Finding {
  const status = gap.statusCode ? ` (HTTP ${gap.statusCode}${codeSuffix(gap)})` : "";

  return makeFinding(notEvaluated, {
    severity: notEvaluated.severity,
    resourceId: gap.resourceId,
    // The resource's name keeps gaps of the same kind apart in the report.
    subject: `${gap.what}: ${gap.principalId ?? gap.resourceId.split("/").pop() ?? gap.resourceId}`,
    message: `Could not read ${gap.what} of ${gap.resourceId}${status}: ${gap.reason}`,
    expected: `${gap.what} readable by the auditor`,
    observed: gap.reason,
    docRef: undefined,
    remediation: gapRemediation(gap),
    evidence: {
      what: gap.what,
      statusCode: String(gap.statusCode ?? ""),
      errorCode: gap.errorCode ?? "",
    },
  });
}

/**
 * What to do depends on why: a refusal wants the auditor's role (Reader
 * lacks the config list action), throttling or a timeout wants a rerun.
 * Reads that ARM roles do not govern get their own advice.
 */
function gapRemediation(gap: CollectionGap): string {
  if (gap.errorCode === SNAPSHOT_FIELD_MISSING) {
    return COLLECT_AGAIN;
  }

  if (gap.what === GAP_WHAT.directoryPrincipal && isRefusal(gap)) {
    return directoryRemediation();
  }

  if (gap.what === GAP_WHAT.roleCrossCheck) {
    return crossCheckRemediation(gap);
  }

  if (isRefusal(gap)) {
    return (
      "Assign the auditor's identity the Drift Auditor Reader role " +
      "(infra/drift-auditor-reader.role.json) on the subscription and Key Vault Reader " +
      "on the vault, check the vault's firewall lets it in, then run the audit again."
    );
  }

  if (gap.statusCode === 429 || (gap.statusCode ?? 0) >= 500 || gap.statusCode === undefined) {
    return "Run the audit again; if it recurs, run it at a quieter hour or with lower concurrency.";
  }

  return `Fix the cause Azure gave (${gap.errorCode ?? `HTTP ${gap.statusCode}`}), then run the audit again.`;
}

const COLLECT_AGAIN =
  "Collect a new snapshot with this policy (drift-audit collect --policy <dir> --out <file>), " +
  "or audit live.";

function isRefusal(gap: CollectionGap): boolean {
  return gap.statusCode === 401 || gap.statusCode === 403;
}

/** Microsoft Graph answers to directory permissions, which no Azure role grants. */
function directoryRemediation(): string {
  return (
    "Grant the auditor's identity the Microsoft Graph application permission " +
    "Application.Read.All, with admin consent (User.ReadBasic.All for a user, " +
    "GroupMember.Read.All for a group), so it can tell a deleted principal from a live one, " +
    "then run the audit again; on a 401, check graphEndpoint and graphScope in the " +
    "bindings. To accept the blind spot instead, set verifyPrincipals: false in the bindings."
  );
}

/**
 * Resource Graph shows only rows the auditor may already read, so it needs
 * nothing beyond the role-assignment read the listings use.
 */
function crossCheckRemediation(gap: CollectionGap): string {
  const first = isRefusal(gap)
    ? "Resource Graph needs only the read the role listings use " +
      "(Microsoft.Authorization/roleAssignments/read, in the Drift Auditor Reader role): " +
      "assign that role on the subscription, then run the audit again"
    : "Run the audit again (Resource Graph needs no access beyond the role listings it " +
      "checks); if it recurs, run it at a quieter hour";

  return (
    `${first}. Until a run cross-checks the listings, confirm each ROLE_MISSING with ` +
    "az role assignment list --assignee <principal-id> --all."
  );
}

function codeSuffix(gap: CollectionGap): string {
  return gap.errorCode ? `, ${gap.errorCode}` : "";
}

/** A bound vault or app absent from the snapshot, with no gap or 404 to say why. */
function uncollectedResources(policy: Policy, snapshot: Snapshot): Finding[] {
  const explained = (resourceId: string) =>
    snapshot.gaps.some((gap) => isScopeAtOrAbove(gap.resourceId, resourceId)) ||
    (snapshot.notFound ?? []).some((absent) => sameId(absent.resourceId, resourceId));
  const vaults = Object.entries(policy.vaults)
    .filter(([key, vault]) => !findVault(snapshot, key) && !explained(vault.resourceId))
    .map(([, vault]) => ({ resourceId: vault.resourceId, what: "secrets", name: vault.name }));
  const apps = Object.values(policy.apps)
    .filter((app) => !findSite(snapshot, app) && !explained(app.resourceId))
    .map((app) => ({ resourceId: app.resourceId, what: "site", name: app.name }));

  return [...vaults, ...apps].map((missing) =>
    makeFinding(notEvaluated, {
      severity: notEvaluated.severity,
      resourceId: missing.resourceId,
      subject: missing.what,
      message: `The snapshot holds no data for ${missing.name}; it was not audited.`,
      remediation: COLLECT_AGAIN,
      expected: `${missing.name} collected`,
      observed: "absent from the snapshot",
      docRef: undefined,
    }),
  );
}

/** A documented identity whose principal could not be found or whose grants were not listed. */
function unresolvedPrincipals(policy: Policy, snapshot: Snapshot): Finding[] {
  const judged = policy.identities.flatMap((identity) => [
    { identity, principal: resolvePrincipal(policy, snapshot, identity) },
    ...listSlotIdentities(policy, snapshot, identity),
  ]);

  return judged.flatMap(({ identity, principal }) => {
    const reason =
      principal.status === "unknown"
        ? principal.reason
        : principal.status === "resolved" && !wasQueried(snapshot, principal.principalId)
          ? `role assignments of principal ${principal.principalId} were not listed`
          : undefined;

    if (!reason) {
      return [];
    }

    return [
      makeFinding(notEvaluated, {
        severity: notEvaluated.severity,
        resourceId: `/subscriptions/${policy.subscriptionId}`,
        subject: identity.name,
        message: `Could not check the roles of identity ${identity.name}: ${reason}.`,
        expected: `role assignments of ${identity.name} listed`,
        observed: reason,
        docRef: identity.docRef,
      }),
    ];
  });
}

/** Roles outside Azure RBAC (Cosmos DB SQL roles): ARM cannot show them, so say so. */
function dataPlaneRoles(policy: Policy): Finding[] {
  return policy.identities.flatMap((identity) =>
    identity.roles
      .filter((role) => role.dataPlane !== undefined)
      .map((role) =>
        makeFinding(notEvaluated, {
          severity: notEvaluated.severity,
          resourceId: role.scope || `/subscriptions/${policy.subscriptionId}`,
          subject: `${identity.name}: ${role.roleName}`,
          message:
            `Could not check ${role.roleName} for identity ${identity.name} on ` +
            `${role.scopeLabel}: it is a Cosmos DB data-plane role, which Azure role ` +
            "assignments do not show.",
          expected: `${role.roleName} checked`,
          observed: "not readable through Azure role assignments",
          docRef: role.docRef,
        }),
      ),
  );
}
