import type { Check } from "./check-fields.js";
import {
  checkFields,
  checkList,
  checkOptional,
  checkOptionalList,
  isRecord,
} from "./check-fields.js";
import { checkSite, checkVault } from "./check-estate.js";
import { SNAPSHOT_SCHEMA_VERSION } from "./snapshot.js";

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

  return checkEstate(data) ?? checkAccess(data) ?? checkLaterParts(data);
}

function checkEstate(data: Record<string, unknown>): string | undefined {
  return (
    checkFields(data, "", { subscriptionId: "string", collectedAt: "date" }) ??
    checkList(data, "sites", checkSite) ??
    checkList(data, "vaults", checkVault)
  );
}

function checkAccess(data: Record<string, unknown>): string | undefined {
  return (
    checkList(data, "roleAssignments", checkRoleAssignment) ??
    checkList(data, "roleDefinitions", checkRoleDefinition) ??
    checkList(data, "gaps", checkGap) ??
    checkFields(data, "", { principalsQueried: "textList" })
  );
}

/** Parts older collectors did not write; blind-spots.ts makes gaps of their absence. */
function checkLaterParts(data: Record<string, unknown>): string | undefined {
  return (
    checkOptionalList(data, "notFound", (item, path) =>
      checkFields(item, path, { resourceId: "string", what: "string" }),
    ) ??
    checkFields(data, "", { scopesQueried: "optionalTextList" }) ??
    checkOptional(data, "principalGroups", checkPrincipalGroups) ??
    checkOptionalList(data, "denyAssignments", checkDenyAssignment) ??
    checkOptional(data, "roleCrossCheck", checkRoleCrossCheck) ??
    checkOptionalList(data, "userAssignedIdentities", (item, path) =>
      checkFields(item, path, { resourceId: "string", principalId: "string" }),
    ) ??
    checkOptionalList(data, "directoryPrincipals", (item, path) =>
      checkFields(item, path, {
        objectId: "string",
        kind: ["servicePrincipal", "user", "group"],
        exists: "boolean",
      }),
    )
  );
}

const ASSIGNMENT_IDS = {
  id: "string",
  scope: "string",
  principalId: "string",
  roleDefinitionId: "string",
} as const;

function checkRoleAssignment(assignment: unknown, path: string): string | undefined {
  return checkFields(assignment, path, {
    ...ASSIGNMENT_IDS,
    principalType: "nullableText",
    condition: "nullableText",
  });
}

function checkRoleDefinition(definition: unknown, path: string): string | undefined {
  return (
    checkFields(definition, path, { id: "string", roleName: "string", roleType: "nullableText" }) ??
    checkOptionalList(definition as Record<string, unknown>, "permissions", checkPermissions, path)
  );
}

/** Actions and data actions, each with its exclusions: a role's or a deny assignment's. */
function checkPermissions(permissions: unknown, path: string): string | undefined {
  return checkFields(permissions, path, {
    actions: "textList",
    notActions: "textList",
    dataActions: "textList",
    notDataActions: "textList",
  });
}

function checkGap(gap: unknown, path: string): string | undefined {
  return checkFields(gap, path, {
    resourceId: "string",
    what: "string",
    reason: "string",
    statusCode: "optionalNumber",
    errorCode: "nullableText",
    principalId: "optionalText",
  });
}

/** Principal id to the groups it holds grants through: an object of id lists. */
function checkPrincipalGroups(groups: unknown, path: string): string | undefined {
  if (!isRecord(groups)) {
    return `${path} is not an object`;
  }

  const lists = Object.fromEntries(Object.keys(groups).map((id) => [id, "textList" as const]));

  return checkFields(groups, path, lists);
}

function checkDenyAssignment(deny: unknown, path: string): string | undefined {
  const record = deny as Record<string, unknown>;
  const conditional = { condition: "optionalText", conditionVersion: "optionalText" } as const;
  const checkPermission: Check = (permission, at) =>
    checkPermissions(permission, at) ?? checkFields(permission, at, conditional);
  const checkPrincipal: Check = (principal, at) =>
    checkFields(principal, at, { id: "string", type: "nullableText" });

  return (
    checkFields(deny, path, {
      id: "string",
      denyAssignmentName: "text",
      scope: "string",
      doNotApplyToChildScopes: "optionalBoolean",
      isSystemProtected: "optionalBoolean",
    }) ??
    checkList(record, "permissions", checkPermission, path) ??
    checkList(record, "principals", checkPrincipal, path) ??
    checkList(record, "excludePrincipals", checkPrincipal, path) ??
    checkFields(deny, path, conditional)
  );
}

function checkRoleCrossCheck(crossCheck: unknown, path: string): string | undefined {
  const checkRow: Check = (row, at) => checkFields(row, at, ASSIGNMENT_IDS);

  return (
    checkFields(crossCheck, path, { checked: "boolean" }) ??
    checkList(crossCheck as Record<string, unknown>, "missingFromListing", checkRow, path)
  );
}
