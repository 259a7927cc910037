import type { Finding } from "../findings/finding.js";
import { listObservedSecrets, secretEvidence } from "./documented-secrets.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";

/** The current version's not-before date lies in the future. */
export const secretNotYetValid: Rule = {
  id: "SECRET_NOT_YET_VALID",
  title: "Current version of a documented secret is not yet valid",
  severity: "high",
  rationale: "Key Vault refuses a version before its activation date; references fail until then.",
  remediation: {
    summary: "Clear or correct the activation date",
    az: "az keyvault secret set-attributes --vault-name <vault> --name <secret> --not-before <date>",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/about-secrets",
  },
  evaluate({ policy, snapshot, now }: RuleContext): Finding[] {
    return listObservedSecrets(policy, snapshot)
      .filter(
        ({ observed }) => observed.notBefore && Date.parse(observed.notBefore) > now.getTime(),
      )
      .map((entry) =>
        makeFinding(secretNotYetValid, {
          severity: secretNotYetValid.severity,
          resourceId: entry.vault.resourceId,
          subject: entry.secret.name,
          message:
            `Secret ${entry.secret.name} in vault ${entry.vault.name} is not valid until ` +
            `${entry.observed.notBefore?.slice(0, 10)}.`,
          expected: "an activation date in the past",
          observed: `not before ${entry.observed.notBefore?.slice(0, 10)}`,
          docRef: entry.secret.docRef,
          evidence: secretEvidence(entry),
        }),
      );
  },
};
