import type { Finding } from "../findings/finding.js";
import type { ReferenceUse } from "./reference-uses.js";
import { listReferenceUses, referenceEvidence } from "./reference-uses.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { referenceCommand, SET_REFERENCE_AZ, siteLabel } from "./setting-missing.js";

/** A reference pinned to the current version: fine today, frozen at the next rotation. */
export const referencePinned: Rule = {
  id: "KV_REFERENCE_PINNED",
  title: "Key Vault reference pinned to a version",
  severity: "info",
  rationale:
    "A pinned reference never follows rotation: the next new version will not reach the " +
    "app until someone edits the setting.",
  remediation: {
    summary: "Drop the version from the reference so it follows the latest version",
    az: SET_REFERENCE_AZ,
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#rotation",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listReferenceUses(policy, snapshot)
      .filter((use) => use.reference.secretVersion && use.observed?.version)
      .filter(
        (use) =>
          use.reference.secretVersion?.toLowerCase() === use.observed?.version?.toLowerCase(),
      )
      .map((use) =>
        makeFinding(referencePinned, {
          severity: referencePinned.severity,
          resourceId: use.site.resourceId,
          subject: use.setting.name,
          message:
            `Setting ${use.setting.name} on app ${siteLabel(use.site.name, use.site.slot)} is ` +
            `pinned to the current version of ${use.secret.name}; rotation will not propagate.`,
          expected: "a versionless reference",
          observed: `pinned to version ${use.reference.secretVersion}`,
          docRef: use.setting.docRef,
          remediation: unpinRemediation(use),
          evidence: pinnedEvidence(use),
        }),
      );
  },
};

/**
 * The versionless reference, set where the setting lives: a connection
 * string with its own command, a slot's setting with `--slot`, or the
 * command would change production instead.
 */
export function unpinRemediation(use: ReferenceUse): string {
  return `${referencePinned.remediation.summary} (${referenceCommand(use.setting, use.site.slot)})`;
}

/** The reference's evidence, with the vault that fills the command's `<vault>`. */
export function pinnedEvidence(use: ReferenceUse): Record<string, string> {
  return { ...referenceEvidence(use), vault: use.reference.vaultName };
}
