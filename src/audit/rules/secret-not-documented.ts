import type { Finding } from "../findings/finding.js";
import type { Policy } from "../policy/policy-model.js";
import type { Rule, RuleContext } from "./rule.js";
import { findGap, sameId } from "./estate-index.js";
import { makeFinding } from "./rule.js";

/**
 * The other direction: a secret in an audited vault that the doc never
 * mentions. Certificate-backed secrets are the certificate's business.
 */
export const secretNotDocumented: Rule = {
  id: "SECRET_NOT_DOCUMENTED",
  title: "Vault holds a secret the doc does not mention",
  severity: "low",
  rationale:
    "An undocumented secret has no owner, no rotation rule and no consumer anyone knows " +
    "of; it is either dead weight or a dependency the doc is missing.",
  remediation: {
    summary: "Add a row for it to the secret matrix, or delete it once nothing uses it",
    az: "az keyvault secret delete --vault-name <vault> --name <secret>",
    docs: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return snapshot.vaults
      .filter((vault) => !findGap(snapshot, vault.resourceId, "secrets"))
      .flatMap((vault) =>
        vault.secrets
          .filter((secret) => !secret.managed && !isDocumented(policy, vault.key, secret.name))
          .map((secret) =>
            makeFinding(secretNotDocumented, {
              severity: secretNotDocumented.severity,
              resourceId: vault.resourceId,
              subject: secret.name,
              message: `Vault ${vault.name} holds secret ${secret.name}, which the doc does not mention.`,
              expected: "every secret in the vault documented",
              observed: `undocumented secret ${secret.name}`,
              docRef: undefined,
              evidence: { vault: vault.name, secret: secret.name },
            }),
          ),
      );
  },
};

function isDocumented(policy: Policy, vaultKey: string, name: string): boolean {
  return policy.secrets.some((secret) => secret.vault === vaultKey && sameId(secret.name, name));
}
