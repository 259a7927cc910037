import type { VocabularyGrant } from "./access-vocabulary.js";
import type { BindingsFile } from "./bindings-schema.js";
import {
  BUILT_IN_ROLE_NAMES,
  findBuiltInRole,
  findBuiltInRoleByGuid,
  SECRET_READER_GUIDS,
} from "./built-in-roles.js";
import { isCalendarDate, isGuid, phraseKey } from "./names.js";
import { PolicyError } from "./policy-error.js";
import type { PolicyProblem } from "./policy-error.js";
import type { DocRef } from "./policy-model.js";
import { looksSecret, showValue } from "./show-value.js";
import { suggestClosest } from "./suggest-closest.js";
import type { YamlPath } from "./yaml-positions.js";
import { formatPath } from "./yaml-positions.js";

interface CheckSite {
  file: string;
  refOf(path: YamlPath): DocRef;
  /** The rule ids findings can carry; rule ids go unchecked without them. */
  knownRuleIds?: readonly string[] | undefined;
}

export interface BindingsVocabulary {
  phrases: Map<string, VocabularyGrant[]>;
  customRoles: Map<string, string>;
}

/**
 * Checks what the schema cannot: that every key a value names exists,
 * that roles are known, patterns compile and dates are real. Returns the
 * access vocabulary the bindings declare.
 */
export function checkBindingReferences(
  bindings: BindingsFile,
  site: CheckSite,
): BindingsVocabulary {
  checkRuleIds(bindings, site);
  checkIdentities(bindings, site);
  checkRotationClasses(bindings, site);
  checkWaivers(bindings, site);

  const customRoles = new Map(
    Object.entries(bindings.customRoles ?? {}).map(([name, guid]) => [
      name.toLowerCase(),
      guid.toLowerCase(),
    ]),
  );
  const phrases = new Map<string, VocabularyGrant[]>();

  for (const [phrase, grants] of Object.entries(bindings.access ?? {})) {
    const resolved = grants.map((grant, index) => {
      checkScopeWord(bindings, grant.scope, ["access", phrase, index, "scope"], site);

      return resolveRole(grant, customRoles, ["access", phrase, index, "role"], site);
    });

    phrases.set(phraseKey(phrase), resolved);
  }

  return { phrases, customRoles };
}

function fail(site: CheckSite, path: YamlPath, value: string, problem: string, fix: string): never {
  const ref = site.refOf(path);

  throw new PolicyError({
    code: "BINDINGS_REFERENCE",
    file: site.file,
    line: ref.line,
    column: ref.column ?? 1,
    value: looksSecret(value) ? undefined : value,
    problem: `${formatPath(path)} is ${showValue(value)}, ${problem}`,
    fix,
  });
}

/**
 * A rule id under `severity:` or in a waiver that no finding can carry
 * would change nothing and say nothing: a typo there silently keeps the
 * severity, or the finding unwaived. Every such id is reported at once.
 */
function checkRuleIds(bindings: BindingsFile, site: CheckSite): void {
  const known = site.knownRuleIds;

  if (!known) {
    return;
  }

  const isUnknown = (id: string) => !known.includes(id);
  const severities = Object.keys(bindings.severity ?? {})
    .filter(isUnknown)
    .map((id) => ruleIdProblem(site, ["severity", id], id, `severity names ${showValue(id)}`));
  const waivers = (bindings.waivers ?? []).flatMap(({ rule }, index) => {
    const path = ["waivers", index, "rule"];

    return isUnknown(rule)
      ? [ruleIdProblem(site, path, rule, `${formatPath(path)} is ${showValue(rule)}`)]
      : [];
  });
  const [first, ...more] = [...severities, ...waivers].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );

  if (first) {
    throw new PolicyError({ code: "BINDINGS_REFERENCE", file: site.file, ...first }, more);
  }
}

function ruleIdProblem(site: CheckSite, path: YamlPath, id: string, what: string): PolicyProblem {
  const ref = site.refOf(path);
  const nearest = suggestClosest(id, site.knownRuleIds ?? []);

  return {
    line: ref.line,
    column: ref.column ?? 1,
    value: looksSecret(id) ? undefined : id,
    problem: `${what}, which is not a rule id the auditor has`,
    fix: nearest
      ? `did you mean ${nearest}?`
      : "write the rule id as reports print it, or remove the entry",
  };
}

function checkIdentities(bindings: BindingsFile, site: CheckSite): void {
  const apps = Object.keys(bindings.apps ?? {});

  for (const [name, identity] of Object.entries(bindings.identities ?? {})) {
    if (identity.app !== undefined && !apps.includes(identity.app)) {
      const nearest = suggestClosest(identity.app, apps);
      const fix = apps.length
        ? `write one of ${apps.join(", ")}`
        : "declare the app under apps: first";

      fail(
        site,
        ["identities", name, "app"],
        identity.app,
        "which apps: does not declare",
        nearest ? `${fix} (did you mean ${nearest}?)` : fix,
      );
    }
  }
}

function checkRotationClasses(bindings: BindingsFile, site: CheckSite): void {
  for (const [name, entry] of Object.entries(bindings.rotationClasses ?? {})) {
    for (const key of ["pattern", "purpose"] as const) {
      const pattern = entry[key];

      if (pattern !== undefined && !compiles(pattern)) {
        fail(
          site,
          ["rotationClasses", name, key],
          pattern,
          "which is not a valid regular expression",
          "escape special characters such as ( and + with \\",
        );
      }
    }

    if (!entry.secrets && !entry.pattern && !entry.purpose && !entry.phrase) {
      const ref = site.refOf(["rotationClasses", name]);

      throw new PolicyError({
        code: "BINDINGS_REFERENCE",
        file: site.file,
        line: ref.line,
        column: ref.column ?? 1,
        problem: `rotationClasses.${name} selects no secrets`,
        fix: "add secrets:, pattern:, purpose: or phrase:",
      });
    }
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "i");
    return true;
  } catch {
    return false;
  }
}

function checkWaivers(bindings: BindingsFile, site: CheckSite): void {
  (bindings.waivers ?? []).forEach((waiver, index) => {
    if (!isCalendarDate(waiver.expires)) {
      fail(
        site,
        ["waivers", index, "expires"],
        waiver.expires,
        "which is not a real date",
        "write a calendar date as YYYY-MM-DD",
      );
    }
  });
}

function checkScopeWord(
  bindings: BindingsFile,
  scope: string | undefined,
  path: YamlPath,
  site: CheckSite,
): void {
  if (scope === undefined || scope.startsWith("/")) {
    return;
  }

  const known = [
    ...Object.keys(bindings.resources ?? {}),
    ...Object.keys(bindings.vaults ?? {}),
    ...Object.values(bindings.vaults ?? {}).map((vault) => vault.name),
    ...Object.keys(bindings.apps ?? {}),
    ...(bindings.vaults ? ["Key Vault"] : []),
  ];

  if (!known.some((word) => word.toLowerCase() === scope.toLowerCase())) {
    const nearest = suggestClosest(scope, known);
    const guess = nearest ? ` (did you mean ${nearest}?)` : "";
    const fix = `write a key under resources:, a vault, an app key or an ARM id${guess}`;

    fail(site, path, scope, "which names no resource, vault or app in the bindings", fix);
  }
}

function resolveRole(
  grant: { role: string; scope?: string; secretPermissions?: string[] },
  customRoles: ReadonlyMap<string, string>,
  path: YamlPath,
  site: CheckSite,
): VocabularyGrant {
  const scope = {
    ...(grant.scope === undefined ? {} : { scope: grant.scope }),
    ...(grant.secretPermissions
      ? { secretPermissions: grant.secretPermissions, satisfiedByGuids: SECRET_READER_GUIDS }
      : {}),
  };

  if (isGuid(grant.role)) {
    const guid = grant.role.toLowerCase();

    return {
      roleName: findBuiltInRoleByGuid(guid)?.name ?? guid,
      roleDefinitionGuid: guid,
      ...scope,
    };
  }

  const builtIn = findBuiltInRole(grant.role);

  if (builtIn) {
    return { roleName: builtIn.name, roleDefinitionGuid: builtIn.guid, ...scope };
  }

  const custom = customRoles.get(grant.role.toLowerCase());

  if (custom) {
    return { roleName: grant.role, roleDefinitionGuid: custom, ...scope };
  }

  const nearest = suggestClosest(grant.role, BUILT_IN_ROLE_NAMES);
  const fix = nearest
    ? `write "${nearest}", a role definition GUID, or declare the role under customRoles:`
    : "write a built-in role name, a role definition GUID, or declare the role under customRoles:";

  return fail(site, path, grant.role, "which is not a built-in role the auditor knows", fix);
}
