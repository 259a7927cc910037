import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";

const AUDITED_KINDS: Record<string, string> = { site: "App", slot: "Slot", vault: "Vault" };

/**
 * Azure answered 404 for an app, slot or vault the bindings name: it is
 * absent for sure, which is drift, not a gap in what the audit could see.
 */
export const resourceNotFound: Rule = {
  id: "RESOURCE_NOT_FOUND",
  title: "Bound app, slot or vault does not exist",
  severity: "high",
  rationale:
    "The doc and its bindings describe a resource Azure does not have: it was deleted, " +
    "renamed or moved, and everything the doc says about it is unchecked.",
  remediation: {
    summary: "Correct the name or resource group in the bindings, or recreate the resource",
    az: "az resource show --ids <resource-id>",
    docs: "https://learn.microsoft.com/azure/azure-resource-manager/management/manage-resources-cli",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return (snapshot.notFound ?? [])
      .filter((absent) => AUDITED_KINDS[absent.what] !== undefined)
      .map((absent) => {
        const kind = AUDITED_KINDS[absent.what] ?? absent.what;
        const name = absent.resourceId.split("/").pop() ?? absent.resourceId;

        return makeFinding(resourceNotFound, {
          severity: resourceNotFound.severity,
          resourceId: absent.resourceId,
          subject: name,
          message: `${kind} ${name} named in ${policy.bindingsFile ?? "the bindings"} does not exist: Azure answered 404 for ${absent.resourceId}.`,
          expected: `${kind.toLowerCase()} ${name} exists`,
          observed: "404 Not Found",
          docRef: undefined,
          evidence: { what: absent.what },
        });
      });
  },
};
