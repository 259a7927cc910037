import type { MdRow } from "./markdown-blocks.js";
import type { DocGrant, DocIdentity } from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";
import { rowWarning } from "./read-rows.js";
import type { PolicyFinding } from "./policy-model.js";
import { suggestClosest } from "./suggest-closest.js";
import { BUILT_IN_ROLE_NAMES } from "./built-in-roles.js";

type Facts = Omit<DocIdentity, "grants">;

/** The findings the identity tables raise, worded in one place. */
export const identityFindings = {
  implied(name: string, heading: string, line: number, file: string): PolicyFinding[] {
    return [
      makeFinding({
        ruleId: "MATRIX_IDENTITY_IMPLIED",
        severity: "info",
        file,
        line,
        subject: name,
        message: `The heading "${heading}" names no identity, so "${name}" is taken as the system-assigned identity of that resource.`,
        remediation: `Write the identity in the heading, e.g. "${heading} (${name.toLowerCase().replace(/\s+/g, "-")} identity)".`,
      }),
    ];
  },

  nothingAbove(row: MdRow, file: string): PolicyFinding {
    return rowWarning(
      row,
      file,
      `The row at line ${row.line} says "Same as above", but no row above it in the table lists access to copy.`,
      "Write the roles out in this row.",
    );
  },

  duplicate(identity: string, grant: DocGrant, earlier: number, file: string): PolicyFinding {
    const scope = grant.scope.label ? ` on "${grant.scope.label}"` : "";

    return makeFinding({
      ruleId: "MATRIX_DUPLICATE_ROW",
      severity: "low",
      file,
      line: grant.line,
      column: grant.column,
      subject: identity,
      message: `The row at line ${grant.line} repeats role "${grant.roleName}"${scope} for identity "${identity}" from line ${earlier}; it is read once.`,
      remediation: "Delete one of the two rows; if their notes differ, keep the one that is right.",
    });
  },

  ambiguous(identity: string, grant: DocGrant, file: string): PolicyFinding {
    const typo = suggestClosest(grant.roleText, BUILT_IN_ROLE_NAMES, 2);

    return makeFinding({
      ruleId: "MATRIX_ROLE_AMBIGUOUS",
      severity: "medium",
      file,
      line: grant.line,
      column: grant.column,
      subject: identity,
      message: `The access "${grant.text}" for identity "${identity}" at line ${grant.line} names no Azure role the auditor knows, so it cannot be checked.`,
      remediation: `${roleHint(grant.roleText, typo)}, or map the phrase under \`access:\` in the bindings file.`,
    });
  },

  nameConflict(facts: Facts, earlier: string, file: string): PolicyFinding {
    return makeFinding({
      ruleId: "MATRIX_IDENTITY_NAME_CONFLICT",
      severity: "medium",
      file,
      line: facts.line,
      column: facts.column,
      subject: facts.objectId,
      message: `Object id ${facts.objectId ?? ""} is called "${facts.name}" at line ${facts.line} but "${earlier}" earlier; one principal cannot be two identities.`,
      remediation: "Use one name for the principal on every row, or correct the object id.",
    });
  },
};

/** What to write instead; never steers "read" towards Key Vault Reader, which cannot read values. */
function roleHint(text: string, typo: string | undefined): string {
  if (typo) {
    return `Write "${typo}" if that is the role meant`;
  }

  if (/vault/i.test(text)) {
    return 'Write "Key Vault Secrets User" if it must read secret values (Key Vault Reader sees metadata only)';
  }

  return 'Write the built-in role it means, e.g. "Storage Blob Data Contributor"';
}
