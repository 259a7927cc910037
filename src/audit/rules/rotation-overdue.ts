import type { Finding } from "../findings/finding.js";
import type { SecretProperties } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findSecret, findVault } from "./estate-index.js";
import { makeFinding } from "./rule.js";

const MS_PER_DAY = 86_400_000;

/**
 * The current version of a secret is older than its rotation class allows.
 * Age runs from `created` of that version: `updated` moves when tags or
 * expiry are edited, which is not a rotation.
 */
export const rotationOverdue: Rule = {
  id: "ROTATION_OVERDUE",
  title: "Secret older than its documented rotation limit",
  severity: "medium",
  rationale:
    "A key that outlives its rotation period has had longer to leak; the doc promises " +
    "it is replaced on schedule.",
  remediation: {
    summary: "Rotate the key at its issuer, then store it as a new version of the secret",
    az: "az keyvault secret set --vault-name <vault> --name <secret> --file <new-value-file>",
    docs: "https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation",
  },
  evaluate({ policy, snapshot, now }: RuleContext): Finding[] {
    return policy.secrets.flatMap((secret) => {
      const vault = findVault(snapshot, secret.vault);
      const observed = vault && findSecret(vault, secret.name);
      const rotated = observed && lastRotation(observed);

      if (!vault || !observed || !rotated || observed.managed || !secret.maxAgeDays) {
        return [];
      }

      const ageDays = ageInDays(rotated.createdOn, now);

      if (ageDays <= secret.maxAgeDays) {
        return [];
      }

      return [
        makeFinding(rotationOverdue, {
          severity: ageDays > 2 * secret.maxAgeDays ? "high" : "medium",
          resourceId: vault.resourceId,
          subject: secret.name,
          message:
            `Secret ${secret.name} in vault ${vault.name} was last rotated ${ageDays} days ` +
            `ago; its rotation limit is ${secret.maxAgeDays} days.`,
          expected: `current version at most ${secret.maxAgeDays} days old`,
          observed: `current version created ${rotated.createdOn.slice(0, 10)} (${ageDays} days)`,
          docRef: secret.docRef,
          evidence: {
            vault: vault.name,
            secret: secret.name,
            version: rotated.version ?? "unknown",
            createdOn: rotated.createdOn,
            ageDays: String(ageDays),
            maxAgeDays: String(secret.maxAgeDays),
            rotationClasses: secret.rotationClasses.join(","),
          },
        }),
      ];
    });
  },
};

/**
 * The version whose `created` time is the last rotation: the newest enabled
 * one. A newer disabled version was never put in use; when the current
 * version is disabled and the versions were not listed, the answer is unknown.
 */
export function lastRotation(
  observed: SecretProperties,
): { version: string | undefined; createdOn: string } | undefined {
  const enabled = observed.enabled
    ? [{ version: observed.version, createdOn: observed.createdOn }]
    : (observed.versions ?? []).filter((v) => v.enabled);
  const newest = enabled
    .flatMap((v) => (v.createdOn ? [{ version: v.version, createdOn: v.createdOn }] : []))
    .sort((a, b) => Date.parse(b.createdOn) - Date.parse(a.createdOn))[0];

  return newest;
}

/** Whole days elapsed between an ISO timestamp and now. */
export function ageInDays(iso: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(iso)) / MS_PER_DAY);
}
