import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { resolvePrincipal } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/** The doc names an app's managed identity, but the app has none. */
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
    return policy.identities.flatMap((identity) => {
      const principal = resolvePrincipal(policy, snapshot, identity);

      if (principal.status !== "noIdentity") {
        return [];
      }

      return [
        makeFinding(identityMissing, {
          severity: identityMissing.severity,
          resourceId: principal.site.resourceId,
          subject: identity.name,
          message:
            `App ${principal.site.name} has no system-assigned managed identity, so ` +
            `documented identity ${identity.name} does not exist.`,
          expected: "a system-assigned managed identity",
          observed: `identity type ${principal.site.identity?.type ?? "None"}`,
          docRef: identity.docRef,
          evidence: { identity: identity.name, app: principal.site.name },
        }),
      ];
    });
  },
};
