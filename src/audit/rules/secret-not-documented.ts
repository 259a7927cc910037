import type { Finding } from "../findings/finding.js";
import type { Policy } from "../policy/policy-model.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findGap } from "./estate-index.js";
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
    const documented = documentedSecretKeys(policy, snapshot);

    return snapshot.vaults
      .filter((vault) => !findGap(snapshot, vault.resourceId, "secrets"))
      .flatMap((vault) =>
        vault.secrets
          .filter((secret) => !secret.managed && !documented.has(keyOf(vault.key, secret.name)))
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

function keyOf(vaultKey: string, name: string): string {
  return `${vaultKey}\n${name.toLowerCase()}`;
}

/**
 * Documented secrets by vault. A secret whose vault the bindings do not
 * name counts as documented in every audited vault: the doc names it, and
 * calling it undocumented would be false.
 */
function documentedSecretKeys(policy: Policy, snapshot: Snapshot): Set<string> {
  const vaultKeys = snapshot.vaults.map((vault) => vault.key);

  return new Set(
    policy.secrets.flatMap((secret) =>
      (policy.vaults[secret.vault] ? [secret.vault] : vaultKeys).map((key) =>
        keyOf(key, secret.name),
      ),
    ),
  );
}
