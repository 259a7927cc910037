import type { AccessVocabulary, VocabularyGrant } from "./access-vocabulary.js";
import { isCapability } from "./access-vocabulary.js";
import { findBuiltInRole, findBuiltInRoleByGuid } from "./built-in-roles.js";
import { findGuid, isGuid, phraseKey } from "./names.js";
import type { DocGrant, DocScope, GrantSource } from "./policy-doc.js";
import type { ScopeContext } from "./parse-scope-text.js";
import { parseScopeText, serviceScope, UNKNOWN_SCOPE } from "./parse-scope-text.js";

export interface GrantContext extends ScopeContext {
  vocabulary: AccessVocabulary;
  line: number;
  column: number;
}

export interface AccessCell {
  entries: string[];
  federated: boolean;
  sameAsAbove: boolean;
}

interface ResolvedRole {
  roleName: string;
  roleDefinitionGuid: string | undefined;
  source: GrantSource;
  service?: string | undefined;
  dataPlane?: "cosmosDbSql";
}

const FEDERATED = /\s*\bvia\s+(?:an?\s+)?federated\s+(?:identity\s+)?credentials?\.?\s*$/i;
const SAME_AS_ABOVE = /^(?:same as (?:above|previous(?: row)?)|as above|ditto)\.?$/i;
const TRAILING_SCOPE = /^(.*\S)\s*\(([^()\s]+)\)$/;
const ON_SCOPE = /^(.*?\S)\s+(?:on|at|@)\s+(.+)$/i;
const COSMOS_SQL = /\/sqlRoleDefinitions\/([0-9a-f-]{36})\s*$/i;
const SMALL_WORDS = new Set(["-", "&", "and", "of", "for", "the", "to", "(preview)"]);

/**
 * Splits an access cell into entries: `, `, `;` and ` + ` separate them,
 * except inside parentheses. A trailing "via federated credential" is how
 * the identity signs in, not a grant.
 */
export function splitAccessCell(text: string): AccessCell {
  const federated = FEDERATED.test(text);
  const body = text.replace(FEDERATED, "").trim();

  if (SAME_AS_ABOVE.test(body)) {
    return { entries: [], federated, sameAsAbove: true };
  }

  return { entries: splitTopLevel(body), federated, sameAsAbove: false };
}

function splitTopLevel(text: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let current = "";

  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";

    depth += char === "(" ? 1 : char === ")" ? -1 : 0;

    const plus = char === "+" && text[i - 1] === " " && text[i + 1] === " ";

    if (depth <= 0 && (char === "," || char === ";" || plus)) {
      entries.push(current);
      current = "";
      continue;
    }

    current += char;
  }

  return [...entries, current].map((entry) => entry.trim()).filter((entry) => entry !== "");
}

/**
 * Turns one access entry or role cell into grants. `mode: "role"` is a
 * Role column, where an unknown Title Case name is a custom role;
 * `mode: "access"` is free text, where an unknown phrase is ambiguous.
 */
export function resolveAccess(
  entry: string,
  context: GrantContext,
  mode: "access" | "role",
): DocGrant[] {
  const whole = context.vocabulary.phrases.get(phraseKey(entry));

  if (whole) {
    return whole.map((grant) => fromVocabulary(grant, entry, entry, undefined, context));
  }

  const { roleText, scopeText } = splitRoleAndScope(entry);
  const scope = scopeText === undefined ? undefined : parseScopeText(scopeText, context);
  const vocabulary = context.vocabulary.phrases.get(phraseKey(roleText));

  if (vocabulary) {
    return vocabulary.map((grant) => fromVocabulary(grant, entry, roleText, scope, context));
  }

  const roles = resolveRoleWords(roleText, context.vocabulary) ?? unresolved(roleText, mode);

  return roles.map((role) => ({
    text: entry,
    roleText,
    roleName: role.roleName,
    roleDefinitionGuid: role.roleDefinitionGuid,
    source: role.source,
    scope: scope ?? defaultScope(role.service, context),
    ...(role.dataPlane ? { dataPlane: role.dataPlane } : {}),
    line: context.line,
    column: context.column,
  }));
}

function splitRoleAndScope(entry: string): { roleText: string; scopeText: string | undefined } {
  const trailing = TRAILING_SCOPE.exec(entry);

  if (trailing?.[1] && trailing[2]) {
    return { roleText: trailing[1], scopeText: trailing[2] };
  }

  const on = ON_SCOPE.exec(entry);

  return on?.[1] && on[2]
    ? { roleText: on[1], scopeText: on[2] }
    : { roleText: entry, scopeText: undefined };
}

function fromVocabulary(
  grant: VocabularyGrant,
  entry: string,
  roleText: string,
  scope: DocScope | undefined,
  context: GrantContext,
): DocGrant {
  const vocabularyScope =
    grant.scope === undefined ? undefined : parseScopeText(grant.scope, context);
  const service = findBuiltInRole(grant.roleName)?.service;

  return {
    text: entry,
    roleText,
    roleName: grant.roleName,
    roleDefinitionGuid: grant.roleDefinitionGuid,
    source: isCapability(grant) ? "capability" : "vocabulary",
    scope: scope ?? vocabularyScope ?? defaultScope(service, context),
    ...(grant.satisfiedByGuids ? { satisfiedByGuids: [...grant.satisfiedByGuids] } : {}),
    ...(grant.secretPermissions ? { secretPermissions: [...grant.secretPermissions] } : {}),
    line: context.line,
    column: context.column,
  };
}

/** A role with no scope of its own is granted on the resource its service names. */
function defaultScope(service: string | undefined, context: ScopeContext): DocScope {
  return (service && serviceScope(service, context)) || UNKNOWN_SCOPE;
}

/** Role names, GUIDs and `Sender/Receiver` pairs; undefined when any part is unknown. */
export function resolveRoleWords(
  text: string,
  vocabulary: AccessVocabulary,
): ResolvedRole[] | undefined {
  const single = resolveOneRole(text.trim(), vocabulary);

  if (single) {
    return [single];
  }

  const pair = /^(.*\s)?(\S+\/\S+)$/.exec(text.trim());

  if (!pair?.[2] || pair[2].includes("/sqlRoleDefinitions")) {
    return undefined;
  }

  const prefix = pair[1] ?? "";
  const roles = pair[2].split("/").map((word) => resolveOneRole(prefix + word, vocabulary));

  return roles.every((role) => role !== undefined) ? roles : undefined;
}

function resolveOneRole(text: string, vocabulary: AccessVocabulary): ResolvedRole | undefined {
  const cosmos = COSMOS_SQL.exec(text)?.[1]?.toLowerCase();

  if (cosmos) {
    const known = findBuiltInRoleByGuid(cosmos);

    return {
      roleName: known?.name ?? text,
      roleDefinitionGuid: cosmos,
      source: "cosmosSql",
      dataPlane: "cosmosDbSql",
    };
  }

  if (isGuid(text) || /\/roleDefinitions\/[0-9a-f-]{36}$/i.test(text)) {
    const guid = findGuid(text) ?? text.toLowerCase();
    const known = findBuiltInRoleByGuid(guid);

    return {
      roleName: known?.name ?? guid,
      roleDefinitionGuid: guid,
      source: "guid",
      service: known?.service,
    };
  }

  const builtIn = findBuiltInRole(text);

  if (builtIn) {
    return {
      roleName: builtIn.name,
      roleDefinitionGuid: builtIn.guid,
      source: "builtIn",
      service: builtIn.service,
    };
  }

  const custom = vocabulary.customRoles.get(text.toLowerCase());

  return custom ? { roleName: text, roleDefinitionGuid: custom, source: "custom" } : undefined;
}

function unresolved(roleText: string, mode: "access" | "role"): ResolvedRole[] {
  const source = mode === "role" && looksLikeRoleName(roleText) ? "custom" : "ambiguous";

  return [{ roleName: roleText, roleDefinitionGuid: undefined, source }];
}

/** Title Case words: how a custom role name reads, unlike a description. */
function looksLikeRoleName(text: string): boolean {
  const words = text.split(/\s+/).filter((word) => word !== "");

  return (
    words.length > 0 && words.every((word) => SMALL_WORDS.has(word) || /^[\p{Lu}\p{N}]/u.test(word))
  );
}
