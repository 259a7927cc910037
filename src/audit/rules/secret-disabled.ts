import type { Finding } from "../findings/finding.js";
import { listObservedSecrets, secretEvidence } from "./documented-secrets.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";

/** The current version of a documented secret is disabled. */
export const secretDisabled: Rule = {
  id: "SECRET_DISABLED",
  title: "Current version of a documented secret is disabled",
  severity: "high",
  rationale: "App Service cannot read a disabled version, so every reference to it fails.",
  remediation: {
    summary: "Enable the version, or set a new enabled version",
    az: "az keyvault secret set-attributes --vault-name <vault> --name <secret> --enabled true",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/about-secrets",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listObservedSecrets(policy, snapshot)
      .filter(({ observed }) => !observed.enabled)
      .map((entry) =>
        makeFinding(secretDisabled, {
          severity: secretDisabled.severity,
          resourceId: entry.vault.resourceId,
          subject: entry.secret.name,
          message: `The current version of secret ${entry.secret.name} in vault ${entry.vault.name} is disabled.`,
          expected: "current version enabled",
          observed: "disabled",
          docRef: entry.secret.docRef,
          evidence: secretEvidence(entry),
        }),
      );
  },
};
