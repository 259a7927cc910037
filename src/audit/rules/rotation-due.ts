import type { Finding } from "../findings/finding.js";
import { listObservedSecrets, secretEvidence } from "./documented-secrets.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { ageInDays, lastRotation } from "./rotation-overdue.js";

/** A rotation falls due within a warning tier: a heads-up before it is overdue. */
export const rotationDue: Rule = {
  id: "ROTATION_DUE",
  title: "Secret rotation due soon",
  severity: "info",
  rationale: "Rotating before the limit avoids an overdue finding and a rushed change.",
  remediation: {
    summary: "Plan the rotation: new key at the issuer, new secret version, retire the old key",
    az: "az keyvault secret set --vault-name <vault> --name <secret> --file <new-value-file>",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation",
  },
  evaluate({ policy, snapshot, now }: RuleContext): Finding[] {
    const tiers = policy.expiryWarningDays.toSorted((a, b) => a - b);

    return listObservedSecrets(policy, snapshot).flatMap((entry) => {
      const { secret, observed } = entry;
      const rotated = lastRotation(observed);

      if (!secret.maxAgeDays || !rotated) {
        return [];
      }

      const daysLeft = secret.maxAgeDays - ageInDays(rotated.createdOn, now);
      const tier = tiers.find((days) => daysLeft <= days);

      if (daysLeft < 0 || tier === undefined) {
        return [];
      }

      return [
        makeFinding(rotationDue, {
          severity: tier <= 7 ? "low" : "info",
          resourceId: entry.vault.resourceId,
          subject: secret.name,
          message:
            `Secret ${secret.name} in vault ${entry.vault.name} is due for rotation in ` +
            `${daysLeft} days (limit ${secret.maxAgeDays} days).`,
          expected: `rotated every ${secret.maxAgeDays} days`,
          observed: `due in ${daysLeft} days`,
          docRef: secret.docRef,
          evidence: { ...secretEvidence(entry), daysLeft: String(daysLeft) },
        }),
      ];
    });
  },
};
