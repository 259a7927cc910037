import { SNAPSHOT_SCHEMA_VERSION, VALUE_SHAPES } from "./snapshot.js";

/**
 * Checks that parsed JSON has the snapshot's shape, field by field, and
 * returns the first problem as `path: what is wrong`, or undefined. A
 * hand-edited or truncated snapshot then fails with a message naming the
 * field instead of a TypeError deep inside a rule.
 */
export function checkSnapshot(data: unknown): string | undefined {
  if (!isRecord(data)) {
    return "the file does not hold a JSON object";
  }

  if (data["schemaVersion"] !== SNAPSHOT_SCHEMA_VERSION) {
    return `schemaVersion is ${JSON.stringify(data["schemaVersion"])}, expected ${SNAPSHOT_SCHEMA_VERSION}`;
  }

  return (
    checkFields(data, "", { subscriptionId: "string", collectedAt: "date" }) ??
    checkList(data, "sites", checkSite) ??
    checkList(data, "vaults", checkVault) ??
    checkList(data, "roleAssignments", (item, path) =>
      checkFields(item, path, {
        id: "string",
        scope: "string",
        principalId: "string",
        roleDefinitionId: "string",
      }),
    ) ??
    checkList(data, "roleDefinitions", (item, path) =>
      checkFields(item, path, { id: "string", roleName: "string" }),
    ) ??
    checkList(data, "gaps", (item, path) =>
      checkFields(item, path, { resourceId: "string", what: "string", reason: "string" }),
    ) ??
    checkList(data, "principalsQueried", (item, path) =>
      typeof item === "string" ? undefined : `${path} is not a string`,
    ) ??
    (data["denyAssignments"] === undefined
      ? undefined
      : checkList(data, "denyAssignments", checkDenyAssignment)) ??
    (data["roleCrossCheck"] === undefined
      ? undefined
      : checkRoleCrossCheck(data["roleCrossCheck"])) ??
    (data["userAssignedIdentities"] === undefined
      ? undefined
      : checkList(data, "userAssignedIdentities", (item, path) =>
          checkFields(item, path, { resourceId: "string", principalId: "string" }),
        )) ??
    (data["directoryPrincipals"] === undefined
      ? undefined
      : checkList(data, "directoryPrincipals", checkDirectoryPrincipal))
  );
}

const DIRECTORY_KINDS: readonly unknown[] = ["servicePrincipal", "user", "group"];

function checkDirectoryPrincipal(principal: unknown, path: string): string | undefined {
  const problem = checkFields(principal, path, { objectId: "string", exists: "boolean" });
  const kind = (principal as Record<string, unknown>)["kind"];

  if (problem || DIRECTORY_KINDS.includes(kind)) {
    return problem;
  }

  return `${path}.kind is not servicePrincipal, user or group`;
}

function checkRoleCrossCheck(crossCheck: unknown): string | undefined {
  const path = "roleCrossCheck";

  return (
    checkFields(crossCheck, path, { checked: "boolean" }) ??
    checkList(
      crossCheck as Record<string, unknown>,
      "missingFromListing",
      (item, at) =>
        checkFields(item, at, {
          id: "string",
          scope: "string",
          principalId: "string",
          roleDefinitionId: "string",
        }),
      path,
    )
  );
}

type FieldKind = "string" | "date" | "optionalDate" | "boolean";
type Check = (item: unknown, path: string) => string | undefined;

function checkSite(site: unknown, path: string): string | undefined {
  return (
    checkFields(site, path, { resourceId: "string", name: "string" }) ??
    checkList(site as Record<string, unknown>, "settings", checkSetting, path)
  );
}

function checkVault(vault: unknown, path: string): string | undefined {
  return (
    checkFields(vault, path, { key: "string", name: "string", resourceId: "string" }) ??
    checkList(vault as Record<string, unknown>, "secrets", checkSecret, path)
  );
}

const PERMISSION_LISTS = ["actions", "notActions", "dataActions", "notDataActions"];

function checkDenyAssignment(deny: unknown, path: string): string | undefined {
  const record = deny as Record<string, unknown>;
  const checkPermission: Check = (permission, at) =>
    checkFields(permission, at, {}) ??
    PERMISSION_LISTS.map((key) =>
      checkList(permission as Record<string, unknown>, key, checkString, at),
    ).find(Boolean) ??
    checkOptionalString(permission as Record<string, unknown>, "condition", at);
  const checkPrincipal: Check = (principal, at) => checkFields(principal, at, { id: "string" });

  return (
    checkFields(deny, path, { id: "string", scope: "string" }) ??
    checkList(record, "permissions", checkPermission, path) ??
    checkList(record, "principals", checkPrincipal, path) ??
    checkList(record, "excludePrincipals", checkPrincipal, path) ??
    checkOptionalString(record, "condition", path) ??
    checkOptionalString(record, "conditionVersion", path)
  );
}

function checkOptionalString(record: Record<string, unknown>, key: string, parent: string) {
  const value = record[key];

  return value === undefined ? undefined : checkString(value, `${parent}.${key}`);
}

function checkString(item: unknown, path: string): string | undefined {
  return typeof item === "string" ? undefined : `${path} is not a string`;
}

/**
 * A value's shape is printed in reports, so only the collector's own words
 * are accepted: a hand-edited snapshot cannot smuggle text into a finding.
 */
function checkSetting(setting: unknown, path: string): string | undefined {
  const problem = checkFields(setting, path, {
    name: "string",
    kind: "string",
    valueKind: "string",
  });
  const shape = (setting as Record<string, unknown>)["valueShape"];

  if (problem || shape === undefined || (VALUE_SHAPES as readonly unknown[]).includes(shape)) {
    return problem;
  }

  return `${path}.valueShape is not a shape the collector writes`;
}

function checkSecret(secret: unknown, path: string): string | undefined {
  return checkFields(secret, path, {
    name: "string",
    enabled: "boolean",
    createdOn: "optionalDate",
    expiresOn: "optionalDate",
    notBefore: "optionalDate",
  });
}

function checkList(
  record: Record<string, unknown>,
  key: string,
  checkItem: Check,
  parent = "",
): string | undefined {
  const path = parent ? `${parent}.${key}` : key;
  const list = record[key];

  if (!Array.isArray(list)) {
    return `${path} is not a list`;
  }

  for (const [index, item] of list.entries()) {
    const problem = checkItem(item, `${path}[${index}]`);

    if (problem) {
      return problem;
    }
  }

  return undefined;
}

function checkFields(
  item: unknown,
  path: string,
  fields: Record<string, FieldKind>,
): string | undefined {
  if (!isRecord(item)) {
    return `${path || "the snapshot"} is not an object`;
  }

  for (const [key, kind] of Object.entries(fields)) {
    const problem = checkField(item[key], kind);

    if (problem) {
      return `${path ? `${path}.` : ""}${key} ${problem}`;
    }
  }

  return undefined;
}

function checkField(value: unknown, kind: FieldKind): string | undefined {
  if (kind === "optionalDate" && value === undefined) {
    return undefined;
  }

  if (kind === "boolean") {
    return typeof value === "boolean" ? undefined : "is not true or false";
  }

  if (typeof value !== "string" || value === "") {
    return "is missing or not a string";
  }

  return kind !== "string" && Number.isNaN(Date.parse(value)) ? "is not a date" : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
