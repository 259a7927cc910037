import type { AccessCell, GrantContext } from "./resolve-access.js";
import { resolveAccess, splitAccessCell } from "./resolve-access.js";
import type { AccessVocabulary } from "./access-vocabulary.js";
import type { ClassifiedTable } from "./column-meaning.js";
import { identityFindings } from "./identity-findings.js";
import { findGuid, phraseKey } from "./names.js";
import type { DocGrant, DocIdentity } from "./policy-doc.js";
import type { PolicyFinding } from "./policy-model.js";
import { parseScopeText, scopeKindOfHeading } from "./parse-scope-text.js";
import type { ReadableRow } from "./read-rows.js";
import { emptyKeyFinding, readRows } from "./read-rows.js";

/** The identity tables of one doc, as they are read in order. */
export interface IdentityState {
  file: string;
  findings: PolicyFinding[];
  vocabulary: AccessVocabulary;
  docVault: string | undefined;
  identities: DocIdentity[];
  byKey: Map<string, DocIdentity>;
  seenGrants: Map<string, number>;
  namesByObjectId: Map<string, Map<string, string>>;
  previousGrants: DocGrant[] | undefined;
}

type IdentityFacts = Omit<DocIdentity, "grants">;

const OID_SUFFIX = /\bOID\s+(?:ending|ends)\s+(?:in\s+|with\s+)?[…. ]*([0-9a-f][0-9a-f-]*)/i;
const CI_WORDS = /github actions|azure devops|\bpipelines?\b|\bci\b|workload identity/i;
const HEADING_IDENTITY = /^(.*?)\s*\(\s*([^()]+?)\s+identity\s*\)\s*$/i;

/** Reads one identity table: a row per grant, or a row per identity with an access cell. */
export function readIdentityTable(classified: ClassifiedTable, state: IdentityState): void {
  const keys = ["identity", "principalId", "role", "access", "scope"] as const;
  const rows = readRows(classified, keys, state.file, state.findings);

  state.previousGrants = undefined;

  for (const readable of rows) {
    const facts = identityOf(classified, readable, state);

    if (!facts) {
      state.findings.push(emptyKeyFinding(readable.row, "Identity", state.file));
      continue;
    }

    const access = splitAccessCell(cellOfGrants(classified, readable));
    const grants = grantsOf(classified, readable, state, access);

    if (grants) {
      const federated = facts.federated || access.federated;

      addIdentityRow({ ...facts, federated }, grants, state, access.sameAsAbove);
      state.previousGrants = grants;
    }
  }
}

function identityOf(
  classified: ClassifiedTable,
  readable: ReadableRow,
  state: IdentityState,
): IdentityFacts | undefined {
  const { row } = readable;
  const hasAccess = classified.columns.access !== undefined;
  const base = {
    principalType: readable.text("principalType") || undefined,
    usedBy: hasAccess ? readable.text("scope") || undefined : undefined,
    line: row.line,
    column: readable.cell("identity")?.column ?? row.column,
  };

  if (classified.identityHeading) {
    const heading = classified.identityHeading;

    return { ...base, ...identityOfHeading(heading.text, state, heading.line) };
  }

  const objectId = findGuid(readable.text("principalId"));
  const described = describeIdentity(readable.text("identity"), readable.cell("identity")?.codes);
  const name = described.name || objectId;

  return name
    ? { ...base, ...described, name, objectId: objectId ?? described.objectId }
    : undefined;
}

function describeIdentity(
  text: string,
  codes: string[] = [],
): Omit<IdentityFacts, "line" | "column" | "principalType" | "usedBy"> {
  const firstCode = codes[0];
  const name = firstCode && text.startsWith(firstCode) ? firstCode : text.replace(/\s*\(.*$/, "");
  const notes = text.slice(name.length);
  const managed = /\bSAMI\b|system[- ]assigned/i.test(notes)
    ? "systemAssigned"
    : /\bUAMI\b|user[- ]assigned/i.test(notes)
      ? "userAssigned"
      : undefined;

  return {
    name: name.trim(),
    objectId: findGuid(notes),
    objectIdSuffix: OID_SUFFIX.exec(notes)?.[1]?.toLowerCase(),
    identityType: managed ?? (CI_WORDS.test(notes) ? "ci" : undefined),
    federated: /federated/i.test(notes),
    implied: false,
  };
}

/**
 * `### Orders Function (func-orders identity)` names `func-orders`;
 * otherwise the heading, less a trailing note, is the name.
 */
function identityOfHeading(
  heading: string,
  state: IdentityState,
  line: number,
): Omit<IdentityFacts, "line" | "column" | "principalType" | "usedBy"> {
  const explicit = HEADING_IDENTITY.exec(heading)?.[2];
  const name = explicit ?? heading.replace(/\s*\([^()]*\)\s*$/, "").trim();
  const facts = {
    name,
    objectId: undefined,
    objectIdSuffix: undefined,
    identityType: explicit ? undefined : ("systemAssigned" as const),
    federated: false,
    implied: explicit === undefined,
  };

  if (facts.implied && !state.byKey.has(name.toLowerCase())) {
    state.findings.push(...identityFindings.implied(name, heading, line, state.file));
  }

  return facts;
}

function cellOfGrants(classified: ClassifiedTable, readable: ReadableRow): string {
  return readable.text(classified.columns.access === undefined ? "role" : "access");
}

function grantsOf(
  classified: ClassifiedTable,
  readable: ReadableRow,
  state: IdentityState,
  access: AccessCell,
): DocGrant[] | undefined {
  const hasAccess = classified.columns.access !== undefined;
  const cell = readable.cell(hasAccess ? "access" : "role");
  const context: GrantContext = {
    vocabulary: state.vocabulary,
    docVault: state.docVault,
    headingKind: scopeKindOfHeading(classified.table.heading?.text),
    line: readable.row.line,
    column: cell?.column ?? readable.row.column,
  };

  if (access.sameAsAbove) {
    return copyAbove(readable, state, context);
  }

  if (hasAccess) {
    return access.entries.flatMap((entry) => resolveAccess(entry, context, "access"));
  }

  return roleRowGrants(readable, context);
}

function roleRowGrants(readable: ReadableRow, context: GrantContext): DocGrant[] {
  const roleText = readable.text("role");

  if (roleText === "") {
    return [];
  }

  const scopeText = readable.text("scope");
  const scope = scopeText ? parseScopeText(scopeText, context) : undefined;
  const condition = readable.text("condition");
  const hasCondition = condition !== "" && !["none", "-", "n/a"].includes(phraseKey(condition));

  return resolveAccess(roleText, context, "role").map((grant) => ({
    ...grant,
    ...(scope ? { scope } : {}),
    ...(hasCondition ? { condition } : {}),
  }));
}

function copyAbove(
  readable: ReadableRow,
  state: IdentityState,
  context: GrantContext,
): DocGrant[] | undefined {
  if (!state.previousGrants) {
    state.findings.push(identityFindings.nothingAbove(readable.row, state.file));
    return undefined;
  }

  return state.previousGrants.map((grant) => ({
    ...grant,
    line: context.line,
    column: context.column,
  }));
}

function addIdentityRow(
  facts: IdentityFacts,
  grants: DocGrant[],
  state: IdentityState,
  copied: boolean,
): void {
  const key = facts.objectId ?? facts.name.toLowerCase();
  let identity = state.byKey.get(key);

  checkNameConflict(facts, state);

  if (!identity) {
    identity = { ...facts, grants: [] };
    state.byKey.set(key, identity);
    state.identities.push(identity);
  } else {
    mergeFacts(identity, facts);
  }

  for (const grant of grants) {
    // A copied phrase was reported where it is written, not again here.
    addGrant(identity, key, grant, state, !copied);
  }
}

function mergeFacts(identity: DocIdentity, facts: IdentityFacts): void {
  identity.objectIdSuffix ??= facts.objectIdSuffix;
  identity.identityType ??= facts.identityType;
  identity.principalType ??= facts.principalType;
  identity.usedBy ??= facts.usedBy;
  identity.federated ||= facts.federated;
}

function addGrant(
  identity: DocIdentity,
  key: string,
  grant: DocGrant,
  state: IdentityState,
  report: boolean,
): void {
  const scope = (grant.scope.name ?? grant.scope.label).toLowerCase();
  const grantKey = [key, grant.roleName.toLowerCase(), scope].join("|");
  const earlier = state.seenGrants.get(grantKey);

  if (earlier !== undefined) {
    state.findings.push(identityFindings.duplicate(identity.name, grant, earlier, state.file));
    return;
  }

  state.seenGrants.set(grantKey, grant.line);
  identity.grants.push(grant);

  if (report && grant.source === "ambiguous") {
    state.findings.push(identityFindings.ambiguous(identity.name, grant, state.file));
  }
}

function checkNameConflict(facts: IdentityFacts, state: IdentityState): void {
  if (!facts.objectId || facts.name === facts.objectId) {
    return;
  }

  const names = state.namesByObjectId.get(facts.objectId) ?? new Map<string, string>();
  const name = facts.name.toLowerCase();
  const earlier = [...names.values()][0];

  if (earlier !== undefined && !names.has(name)) {
    state.findings.push(identityFindings.nameConflict(facts, earlier, state.file));
  }

  names.set(name, facts.name);
  state.namesByObjectId.set(facts.objectId, names);
}
