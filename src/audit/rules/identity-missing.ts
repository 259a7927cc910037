import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement } from "../policy/policy-model.js";
import type { Rule, RuleContext } from "./rule.js";
import { listSlotIdentities, resolvePrincipal } from "./principal-index.js";
import type { PrincipalResolution } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/**
 * The doc names an app's managed identity, but the app (or one of its
 * slots) has none; or a user-assigned identity it names was deleted; or a
 * principal bound by object id is gone from Microsoft Entra ID.
 */
export const identityMissing: Rule = {
  id: "IDENTITY_MISSING",
  title: "Documented managed identity does not exist",
  severity: "high",
  rationale:
    "Without its identity the app cannot resolve Key Vault references or reach the " +
    "resources the doc grants it; someone may have disabled or recreated it.",
  remediation: {
    summary: "Enable the system-assigned identity, then grant it the documented roles",
    az: "az webapp identity assign -g <resource-group> -n <app>",
    docs: "https://learn.microsoft.com/azure/app-service/overview-managed-identity",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return policy.identities.flatMap((identity) => [
      ...missingFindings(identity, resolvePrincipal(policy, snapshot, identity)),
      ...listSlotIdentities(policy, snapshot, identity).flatMap((slot) =>
        missingFindings(slot.identity, slot.principal),
      ),
    ]);
  },
};

function missingFindings(identity: IdentityRequirement, principal: PrincipalResolution): Finding[] {
  if (principal.status === "deleted" && principal.source === "directory") {
    return [goneFromDirectoryFinding(identity, principal.resourceId)];
  }

  if (principal.status === "deleted") {
    return [deletedFinding(identity, principal.resourceId)];
  }

  if (principal.status !== "noIdentity") {
    return [];
  }

  const { site } = principal;
  const where = site.slot ? `Slot ${site.slot} of app ${site.name}` : `App ${site.name}`;

  return [
    makeFinding(identityMissing, {
      severity: identityMissing.severity,
      resourceId: site.resourceId,
      subject: identity.name,
      message:
        `${where} has no system-assigned managed identity, so ` +
        `documented identity ${identity.name} does not exist.`,
      expected: "a system-assigned managed identity",
      observed: `identity type ${site.identity?.type ?? "None"}`,
      docRef: identity.docRef,
      evidence: { identity: identity.name, app: site.name, slot: site.slot ?? "" },
    }),
  ];
}

function deletedFinding(identity: IdentityRequirement, resourceId: string): Finding {
  return makeFinding(identityMissing, {
    severity: identityMissing.severity,
    resourceId,
    subject: identity.name,
    message:
      `User-assigned identity ${resourceId} does not exist (Azure answered 404), so ` +
      `documented identity ${identity.name} does not exist; it was probably deleted.`,
    expected: "the user-assigned identity",
    observed: "not found",
    docRef: identity.docRef,
    evidence: { identity: identity.name, resourceId },
  });
}

/**
 * Role assignments outlive their principal, so the documented grants may
 * still list while nobody can use them, and a recreated CI principal holds
 * grants the doc does not know about.
 */
function goneFromDirectoryFinding(identity: IdentityRequirement, resourceId: string): Finding {
  const objectId = resourceId.split("/").at(-1) ?? resourceId;

  return makeFinding(identityMissing, {
    severity: identityMissing.severity,
    resourceId,
    subject: identity.name,
    message:
      `Principal ${objectId}, bound to documented identity ${identity.name}, does not exist ` +
      "in Microsoft Entra ID (Microsoft Graph answered 404); it was deleted or recreated " +
      "under a new object id, and any role assignments it still has are orphaned.",
    expected: `principal ${objectId} in Microsoft Entra ID`,
    observed: "not found",
    docRef: identity.docRef,
    remediation:
      "Find the principal's current object id (az ad sp show --id <app-id> --query id), " +
      "update the bindings' objectId and the doc's OID, grant the documented roles to it, " +
      "and delete the orphaned assignments (az role assignment list --all --query " +
      `"[?principalId=='${objectId}'].id" -o tsv, then az role assignment delete --ids <id>).`,
    evidence: { identity: identity.name, objectId },
  });
}
