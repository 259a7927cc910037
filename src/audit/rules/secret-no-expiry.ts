import type { Finding } from "../findings/finding.js";
import { listObservedSecrets, secretEvidence } from "./documented-secrets.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";

/**
 * A rotated secret without an expiry date: nothing in Azure stops it living
 * forever. Only secrets with a documented rotation limit are judged.
 */
export const secretNoExpiry: Rule = {
  id: "SECRET_NO_EXPIRY",
  title: "Rotated secret has no expiry date",
  severity: "low",
  rationale:
    "An expiry date lets Key Vault and Event Grid warn before a rotation is missed; " +
    "without one the only alarm is this audit.",
  remediation: {
    summary: "Set an expiry date matching the rotation limit",
    az: "az keyvault secret set-attributes --vault-name <vault> --name <secret> --expires <date>",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listObservedSecrets(policy, snapshot)
      .filter(({ secret, observed }) => secret.maxAgeDays && !observed.expiresOn)
      .map((entry) =>
        makeFinding(secretNoExpiry, {
          severity: secretNoExpiry.severity,
          resourceId: entry.vault.resourceId,
          subject: entry.secret.name,
          message:
            `Secret ${entry.secret.name} in vault ${entry.vault.name} has no expiry date, ` +
            `though the doc rotates it every ${entry.secret.maxAgeDays} days.`,
          expected: "an expiry date on the current version",
          observed: "no expiry date",
          docRef: entry.secret.docRef,
          evidence: secretEvidence(entry),
        }),
      );
  },
};
