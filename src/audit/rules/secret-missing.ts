import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { findGap, findSecret, findVault } from "./estate-index.js";
import { makeFinding } from "./rule.js";
import { findDeleted } from "./secret-soft-deleted.js";

/** A secret the doc names is not in the vault the bindings point at. */
export const secretMissing: Rule = {
  id: "SECRET_MISSING",
  title: "Documented secret missing from the vault",
  severity: "high",
  rationale:
    "Every setting that references a missing secret fails to resolve, and the app " +
    "falls back to the raw reference text.",
  remediation: {
    summary: "Create the secret in the vault, or remove the row from the doc if it is retired",
    az: "az keyvault secret set --vault-name <vault> --name <secret> --file <path>",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/quick-create-cli",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return policy.secrets.flatMap((secret) => {
      const binding = policy.vaults[secret.vault];
      const vault = findVault(snapshot, secret.vault);

      if (!binding || !vault || findGap(snapshot, binding.resourceId, "secrets")) {
        return [];
      }

      // A soft-deleted secret is not missing: SECRET_SOFT_DELETED says so.
      if (findSecret(vault, secret.name) || findDeleted(vault, secret.name)) {
        return [];
      }

      return [
        makeFinding(secretMissing, {
          severity: secretMissing.severity,
          resourceId: vault.resourceId,
          subject: secret.name,
          message:
            `Secret ${secret.name} is documented but vault ${vault.name} has no secret ` +
            "of that name.",
          expected: `secret ${secret.name} in vault ${vault.name}`,
          observed: "no such secret",
          docRef: secret.docRef,
          evidence: { vault: vault.name, secret: secret.name },
        }),
      ];
    });
  },
};
