import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, Policy } from "../policy/policy-model.js";
import { directoryObjectPath, GAP_WHAT } from "../snapshot/snapshot.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { notEvaluated } from "./not-evaluated.js";
import { makeFinding } from "./rule.js";

/** The `CollectionGap.what` the collector records for a failed directory lookup. */

/**
 * A principal bound by object id that was not looked up in Microsoft Entra
 * ID. By choice (`verifyPrincipals: false`) it is a note: its grants are
 * still judged, though a deleted principal's orphaned grants would look
 * healthy. Otherwise (a snapshot taken before the lookup existed) it is a
 * blind spot, NOT_EVALUATED, like a lookup that failed.
 */
export const principalNotVerified: Rule = {
  id: "PRINCIPAL_NOT_VERIFIED",
  title: "Principal bound by object id was not looked up in Microsoft Entra ID",
  severity: "info",
  rationale:
    "Role assignments outlive a deleted principal, so without the directory lookup a CI " +
    "principal that was deleted or recreated still looks like it holds its documented roles.",
  remediation: {
    summary:
      "To check it, grant the auditor the Microsoft Graph application permission " +
      "Application.Read.All and remove verifyPrincipals: false from the bindings",
    az: "az ad sp show --id <object-id> --query id",
    docs: "https://learn.microsoft.com/graph/api/serviceprincipal-get",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return unverifiedIdentities(policy, snapshot).map((identity) =>
      policy.endpoints.verifyPrincipals
        ? blindSpotFinding(identity)
        : noteFinding(policy, identity),
    );
  },
};

function objectIdOf(identity: IdentityRequirement): string | undefined {
  return identity.principal?.kind === "objectId" ? identity.principal.objectId : undefined;
}

function unverifiedIdentities(policy: Policy, snapshot: Snapshot): IdentityRequirement[] {
  const looked = new Set((snapshot.directoryPrincipals ?? []).map((p) => p.objectId.toLowerCase()));
  const gapped = new Set(
    snapshot.gaps
      .filter((gap) => gap.what === GAP_WHAT.directoryPrincipal && gap.principalId)
      .map((gap) => (gap.principalId ?? "").toLowerCase()),
  );

  return policy.identities.filter((identity) => {
    const objectId = objectIdOf(identity)?.toLowerCase();

    return objectId !== undefined && !looked.has(objectId) && !gapped.has(objectId);
  });
}

function blindSpotFinding(identity: IdentityRequirement): Finding {
  const objectId = objectIdOf(identity) ?? "";

  return makeFinding(notEvaluated, {
    severity: notEvaluated.severity,
    resourceId: directoryObjectPath("servicePrincipal", objectId),
    subject: `${GAP_WHAT.directoryPrincipal}: ${objectId}`,
    message:
      `Could not tell whether principal ${objectId} of documented identity ${identity.name} ` +
      "still exists: the snapshot holds no Microsoft Entra ID lookup for it (it was taken " +
      "before the auditor looked principals up).",
    expected: `principal ${objectId} looked up`,
    observed: "not in the snapshot",
    docRef: identity.docRef,
    remediation:
      "Collect a new snapshot (drift-audit collect --policy <dir> --out <file>) or audit " +
      "live; to skip the lookup on purpose, set verifyPrincipals: false in the bindings.",
  });
}

function noteFinding(policy: Policy, identity: IdentityRequirement): Finding {
  const objectId = objectIdOf(identity) ?? "";
  const why = `the bindings (${policy.bindingsFile ?? "bindings.yaml"}) set verifyPrincipals: false`;

  return makeFinding(principalNotVerified, {
    severity: principalNotVerified.severity,
    resourceId: directoryObjectPath("servicePrincipal", objectId),
    subject: identity.name,
    message:
      `Principal ${objectId} of documented identity ${identity.name} was not looked up in ` +
      `Microsoft Entra ID because ${why}; if it was deleted, its grants would still list.`,
    expected: `principal ${objectId} looked up`,
    observed: "not looked up",
    docRef: identity.docRef,
    evidence: { identity: identity.name, objectId },
  });
}
