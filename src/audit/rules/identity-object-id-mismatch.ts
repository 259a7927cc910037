import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { resolvePrincipal } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/** The doc's "OID ending …85df" does not match the live principal. */
export const identityObjectIdMismatch: Rule = {
  id: "IDENTITY_OBJECT_ID_MISMATCH",
  title: "Identity's object id differs from the documented one",
  severity: "high",
  rationale:
    "A different object id means the identity was recreated: grants made to the old " +
    "principal are gone, and the doc describes a principal that no longer exists.",
  remediation: {
    summary: "Re-grant the documented roles to the new principal and update the doc's OID",
    az: "az role assignment list --assignee <principal-id> --all -o table",
    docs: "https://learn.microsoft.com/azure/app-service/overview-managed-identity",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return policy.identities.flatMap((identity) => {
      const suffix = identity.objectIdSuffix?.toLowerCase();
      const principal = resolvePrincipal(policy, snapshot, identity);

      if (!suffix || principal.status !== "resolved") {
        return [];
      }

      if (principal.principalId.toLowerCase().endsWith(suffix)) {
        return [];
      }

      return [
        makeFinding(identityObjectIdMismatch, {
          severity: identityObjectIdMismatch.severity,
          resourceId: principal.resourceId,
          subject: identity.name,
          message:
            `Identity ${identity.name} is principal ${principal.principalId}, but the doc ` +
            `says its object id ends in ${suffix}; it was probably recreated.`,
          expected: `object id ending ${suffix}`,
          observed: `object id ${principal.principalId}`,
          docRef: identity.docRef,
          evidence: {
            identity: identity.name,
            principalId: principal.principalId,
            via: principal.via,
          },
        }),
      ];
    });
  },
};
