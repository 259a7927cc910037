import type { AccessVocabulary } from "./access-vocabulary.js";
import { DEFAULT_VOCABULARY } from "./access-vocabulary.js";
import type { ClassifiedTable } from "./column-meaning.js";
import { classifyTable } from "./column-meaning.js";
import {
  findRotationRules,
  findVaultsInProse,
  mentionsLinux,
  readFactsTable,
  readRotationTable,
} from "./doc-facts.js";
import { splitFrontMatter } from "./front-matter.js";
import type { IdentityState } from "./identity-tables.js";
import { readIdentityTable } from "./identity-tables.js";
import { readMarkdownBlocks } from "./markdown-blocks.js";
import { secretKey } from "./names.js";
import type { DocRotationCategory, DocVault, PolicyDoc } from "./policy-doc.js";
import { sortFindings } from "./make-finding.js";
import type { PolicyFinding } from "./policy-model.js";
import type { SecretTablesState } from "./secret-tables.js";
import { newSecretTablesState, readSecretTable, readSettingTable } from "./secret-tables.js";

export interface ReadDocInput {
  file: string;
  text: string;
  /** Access phrases and custom roles from the bindings; built-ins are always known. */
  vocabulary?: AccessVocabulary;
}

/**
 * Reads what a secrets doc says: its tables by what their headers mean,
 * its vault, its rotation sentences and its front matter. Pure; never
 * throws on any markdown. Rows it cannot read with certainty become
 * findings, never silent gaps.
 */
export function readPolicyDoc(input: ReadDocInput): PolicyDoc {
  const split = splitFrontMatter(input.file, input.text.replace(/^\uFEFF/, ""));
  const blocks = readMarkdownBlocks(split.body);
  const findings: PolicyFinding[] = [...split.findings];
  const tables = blocks.tables.map(classifyTable);
  const secretState = newSecretTablesState(input.file, findings);
  const facts = readPlainTables(tables, secretState);
  const vaults = uniqueVaults([
    ...facts.vaults,
    ...findVaultsInProse(blocks.paragraphs),
    ...secretState.vaults,
  ]);
  const identityState = newIdentityState(input, findings, vaults);

  for (const table of tables.filter((candidate) => candidate.kind === "identities")) {
    readIdentityTable(table, identityState);
  }

  return {
    file: input.file,
    frontMatter: split.frontMatter,
    tables: tables.map(summarize),
    vaults,
    secrets: secretState.secrets,
    settings: secretState.settings,
    identities: identityState.identities,
    rotationRules: findRotationRules(blocks.paragraphs, secretState.secrets, input.file, findings),
    rotationCategories: facts.categories,
    mentionsLinux: mentionsLinux(blocks.paragraphs),
    findings: sortFindings(findings),
  };
}

function readPlainTables(
  tables: readonly ClassifiedTable[],
  state: SecretTablesState,
): { vaults: DocVault[]; categories: DocRotationCategory[] } {
  const vaults: DocVault[] = [];
  const categories: DocRotationCategory[] = [];

  for (const table of tables) {
    if (table.kind === "secrets") {
      readSecretTable(table, state);
    } else if (table.kind === "settings") {
      readSettingTable(table, state);
    } else if (table.kind === "facts") {
      vaults.push(...readFactsTable(table, state.file, state.findings));
    } else if (table.kind === "rotation") {
      categories.push(...readRotationTable(table, state.file, state.findings));
    }
  }

  return { vaults, categories };
}

function newIdentityState(
  input: ReadDocInput,
  findings: PolicyFinding[],
  vaults: readonly DocVault[],
): IdentityState {
  return {
    file: input.file,
    findings,
    vocabulary: input.vocabulary ?? DEFAULT_VOCABULARY,
    // "Key Vault" without a name means the doc's vault, when it names exactly one.
    docVault: vaults.length === 1 ? vaults[0]?.name : undefined,
    identities: [],
    byKey: new Map(),
    seenGrants: new Map(),
    namesByObjectId: new Map(),
    previousGrants: undefined,
  };
}

function uniqueVaults(vaults: readonly DocVault[]): DocVault[] {
  const byName = new Map<string, DocVault>();

  for (const vault of vaults) {
    const earlier = byName.get(secretKey(vault.name));

    byName.set(secretKey(vault.name), { ...vault, ...earlier });
  }

  return [...byName.values()];
}

function summarize(classified: ClassifiedTable): PolicyDoc["tables"][number] {
  return {
    kind: classified.kind,
    line: classified.table.line,
    endLine: classified.table.endLine,
    heading: classified.table.heading?.text,
  };
}
