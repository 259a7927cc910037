import type { Finding } from "../findings/finding.js";
import type { ObservedSecret } from "./documented-secrets.js";
import { listObservedSecrets, secretEvidence } from "./documented-secrets.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";

const MS_PER_DAY = 86_400_000;

/** A documented secret has expired, or will within a warning tier. */
export const secretExpiry: Rule = {
  id: "SECRET_EXPIRY",
  title: "Documented secret expired or expiring soon",
  severity: "high",
  rationale:
    "Key Vault refuses to return an expired secret, so references to it stop resolving " +
    "the next time App Service refreshes them.",
  remediation: {
    summary: "Rotate the secret and set a new expiry on the new version",
    az: "az keyvault secret set --vault-name <vault> --name <secret> --expires <date> --file <path>",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation",
  },
  evaluate({ policy, snapshot, now }: RuleContext): Finding[] {
    const tiers = policy.expiryWarningDays.toSorted((a, b) => a - b);

    return listObservedSecrets(policy, snapshot).flatMap((entry) => {
      const expiresOn = entry.observed.expiresOn;

      if (!expiresOn) {
        return [];
      }

      // Days started, not days elapsed: twelve hours left is within the one-day tier.
      const msLeft = Date.parse(expiresOn) - now.getTime();
      const daysLeft = Math.ceil(msLeft / MS_PER_DAY);
      const tier = tiers.find((days) => daysLeft <= days);
      const expired = msLeft <= 0;

      if (!expired && tier === undefined) {
        return [];
      }

      return [expiryFinding(entry, expiresOn, { daysLeft, tier, expired })];
    });
  },
};

function expiryFinding(
  entry: ObservedSecret,
  expiresOn: string,
  { daysLeft, tier, expired }: { daysLeft: number; tier: number | undefined; expired: boolean },
): Finding {
  const where = `Secret ${entry.secret.name} in vault ${entry.vault.name}`;
  const days = tier === 1 ? "1 day" : `${tier} days`;

  return makeFinding(secretExpiry, {
    severity: expired ? "high" : tier !== undefined && tier <= 7 ? "medium" : "low",
    resourceId: entry.vault.resourceId,
    subject: entry.secret.name,
    message: expired
      ? `${where} expired on ${expiresOn.slice(0, 10)}.`
      : `${where} expires on ${expiresOn.slice(0, 10)}, within ${days}.`,
    expected: "an expiry date in the future, beyond the warning tiers",
    observed: `expires ${expiresOn.slice(0, 10)}`,
    docRef: entry.secret.docRef,
    evidence: { ...secretEvidence(entry), daysLeft: String(daysLeft) },
  });
}
