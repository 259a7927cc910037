import type { ClassifiedTable } from "./column-meaning.js";
import type { MdParagraph } from "./markdown-blocks.js";
import { findGuid, isValidSecretName, isVaultName, phraseKey, secretKey } from "./names.js";
import type {
  DocRotationCategory,
  DocRotationRule,
  DocSecretPair,
  DocVault,
} from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";
import type { PolicyFinding } from "./policy-model.js";
import { findPeriod, parsePeriodCell } from "./rotation-period.js";
import { readRows } from "./read-rows.js";

/** A `Property | Value` table that names the vault, its group and subscription. */
export function readFactsTable(
  classified: ClassifiedTable,
  file: string,
  findings: PolicyFinding[],
): DocVault[] {
  const facts: Partial<DocVault> = {};

  for (const readable of readRows(classified, ["property", "value"], file, findings)) {
    const property = phraseKey(readable.text("property"));
    const cell = readable.cell("value");
    const value = cell?.codes[0] ?? cell?.text ?? "";

    if (/^(key )?vault( name)?$/.test(property) && isVaultName(value)) {
      facts.name = value;
      facts.line = readable.row.line;
    } else if (/^resource group( name)?$/.test(property)) {
      facts.resourceGroup = value;
    } else if (/^subscription( id)?$/.test(property)) {
      const guid = findGuid(cell?.text ?? "");

      if (guid) {
        facts.subscriptionId = guid;
        facts.subscriptionLine = readable.row.line;
      }
    }
  }

  return facts.name && facts.line ? [{ ...facts, name: facts.name, line: facts.line }] : [];
}

/** Vaults named in prose: a code span right after the words "Key Vault". */
export function findVaultsInProse(paragraphs: readonly MdParagraph[]): DocVault[] {
  const vaults: DocVault[] = [];

  for (const paragraph of paragraphs) {
    paragraph.segments.forEach((segment, index) => {
      const before = paragraph.segments[index - 1];

      if (
        segment.code &&
        before &&
        /\b(key vault|vault)$/i.test(before.value) &&
        isVaultName(segment.value)
      ) {
        vaults.push({ name: segment.value, line: paragraph.line });
      }
    });
  }

  return vaults;
}

/** `Secret Type | Rotation Period` rows: recorded, but bound to no secret. */
export function readRotationTable(
  classified: ClassifiedTable,
  file: string,
  findings: PolicyFinding[],
): DocRotationCategory[] {
  return readRows(classified, ["category", "rotation"], file, findings)
    .map((readable) => ({
      category: readable.text("category"),
      maxAgeDays: parsePeriodCell(readable.text("rotation")),
      line: readable.row.line,
    }))
    .filter(
      (row): row is DocRotationCategory => row.category !== "" && row.maxAgeDays !== undefined,
    );
}

const ROTATE = /\brotat(?:e|es|ed|ing|ion)\b/i;

/**
 * Rotation rules written as sentences ("Rotate broker + vendor keys
 * quarterly"). Secrets named in code spans are bound directly; otherwise
 * the bindings' rotation classes say which secrets the phrase means.
 */
export function findRotationRules(
  paragraphs: readonly MdParagraph[],
  secrets: readonly DocSecretPair[],
  file: string,
  findings: PolicyFinding[],
): DocRotationRule[] {
  const spelled = new Map(secrets.map((pair) => [secretKey(pair.secret), pair.secret]));
  const rules: DocRotationRule[] = [];

  for (const paragraph of paragraphs) {
    const rotate = ROTATE.exec(paragraph.text);
    const period = findPeriod(paragraph.text);

    if (!rotate || !period) {
      continue;
    }

    const named = paragraph.codes.filter(isValidSecretName);
    const known = named
      .map((name) => spelled.get(secretKey(name)))
      .filter((name) => name !== undefined);

    reportUnknownSecrets(named, spelled, paragraph, file, findings);
    rules.push({
      phrase: rotationPhrase(paragraph.text, rotate, period.index),
      maxAgeDays: period.days,
      secrets: [...new Set(known)],
      text: paragraph.text,
      line: paragraph.line,
      column: paragraph.column,
    });
  }

  return rules;
}

/** The words between "rotate" and the period: `broker + vendor keys`. */
function rotationPhrase(text: string, rotate: RegExpExecArray, periodIndex: number): string {
  const start = rotate.index + rotate[0].length;
  const end = periodIndex > start ? periodIndex : text.length;

  const clause = text.slice(start, end).split(/[;(.:]/)[0] ?? "";

  return clause.replace(/^\s*(the|all|our)\s+/i, "").trim();
}

function reportUnknownSecrets(
  named: readonly string[],
  spelled: ReadonlyMap<string, string>,
  paragraph: MdParagraph,
  file: string,
  findings: PolicyFinding[],
): void {
  // A single word in backticks is as often a tool or a file as a secret.
  for (const name of named.filter((candidate) => candidate.includes("-"))) {
    if (!spelled.has(secretKey(name))) {
      findings.push(
        makeFinding({
          ruleId: "ROTATION_SECRET_UNKNOWN",
          severity: "low",
          file,
          line: paragraph.line,
          column: paragraph.column,
          subject: name,
          message: `The rotation rule at line ${paragraph.line} names secret "${name}", which no secret table lists, so no limit is bound to it.`,
          remediation: `Add "${name}" to the secret matrix, or correct its spelling in the rule.`,
        }),
      );
    }
  }
}

export function mentionsLinux(paragraphs: readonly MdParagraph[]): boolean {
  return paragraphs.some((paragraph) => /\blinux\b/i.test(paragraph.text));
}
