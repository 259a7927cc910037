/**
 * Microsoft.Authorization on the fake ARM: role assignments listed at any
 * scope with the documented `$filter` semantics, role definitions, and deny
 * assignments.
 */
import type {
  FakeDenyAssignment,
  FakeEstate,
  FakeRoleAssignment,
  FakeRoleDefinition,
} from "./estate-model.js";
import { armPage, azureError, json } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";
import { isAtOrAbove, isRelated } from "./scope-relations.js";

const ASSIGNMENTS = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i;
const DEFINITION = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i;
const DEFINITIONS = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions$/i;
const DENY_ASSIGNMENTS = /^(.*)\/providers\/Microsoft\.Authorization\/denyAssignments$/i;

type AssignmentFilter = (assignment: FakeRoleAssignment, scope: string) => boolean;

/** The ARM id of an assignment, as ARM and Resource Graph both show it. */
export function assignmentId(assignment: FakeRoleAssignment): string {
  const prefix = assignment.scope === "/" ? "" : assignment.scope;

  return `${prefix}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`;
}

function renderAssignment(assignment: FakeRoleAssignment): unknown {
  return {
    properties: {
      roleDefinitionId: assignment.roleDefinitionId,
      principalId: assignment.principalId,
      principalType: assignment.principalType,
      scope: assignment.scope,
      condition: assignment.condition ?? null,
      conditionVersion: assignment.conditionVersion ?? null,
      createdOn: "2026-01-05T10:00:00.0000000Z",
      updatedOn: "2026-01-05T10:00:00.0000000Z",
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: assignment.description ?? null,
    },
    id: assignmentId(assignment),
    type: "Microsoft.Authorization/roleAssignments",
    name: assignment.name,
  };
}

/** The groups a principal belongs to, transitively. */
function groupsOf(principalId: string, estate: FakeEstate): Set<string> {
  const found = new Set<string>();
  const pending = [principalId.toLowerCase()];

  while (pending.length > 0) {
    const member = pending.pop() ?? "";
    for (const [group, members] of Object.entries(estate.groupMembers)) {
      const id = group.toLowerCase();
      if (!found.has(id) && members.some((m) => m.toLowerCase() === member)) {
        found.add(id);
        pending.push(id);
      }
    }
  }

  return found;
}

function parseFilter(filter: string | null, estate: FakeEstate): AssignmentFilter | undefined {
  const text = (filter ?? "").trim();
  const principalEq = /^principalId\s+eq\s+'([^']+)'$/i.exec(text);
  const assignedTo = /^(atScope\(\)\s+and\s+)?assignedTo\('([^']+)'\)$/i.exec(text);

  if (text === "") {
    return (a, scope) => isRelated(a.scope, scope, estate);
  }

  if (/^atScope\(\)$/i.test(text)) {
    return (a, scope) => isAtOrAbove(a.scope, scope, estate);
  }

  if (principalEq) {
    const id = (principalEq[1] ?? "").toLowerCase();

    return (a, scope) => a.principalId.toLowerCase() === id && isRelated(a.scope, scope, estate);
  }

  if (assignedTo) {
    const id = (assignedTo[2] ?? "").toLowerCase();
    const ids = new Set([id, ...groupsOf(id, estate)]);
    const scopeTest = assignedTo[1] ? isAtOrAbove : isRelated;

    return (a, scope) => ids.has(a.principalId.toLowerCase()) && scopeTest(a.scope, scope, estate);
  }

  return undefined;
}

function listAssignments(request: FakeRequest, scope: string, estate: FakeEstate): RouteResult {
  const filter = parseFilter(request.query.get("$filter"), estate);

  if (!filter) {
    return azureError(400, "UnsupportedQuery", "The filter in the query is not supported.");
  }

  const matches = estate.roleAssignments.filter((a) => filter(a, scope)).map(renderAssignment);

  return armPage(request, matches, estate.paging.armPageSize);
}

function definitionId(scope: string, guid: string): string {
  const subscription = /^\/subscriptions\/[^/]+/i.exec(scope)?.[0] ?? "";

  return `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

function renderDefinition(definition: FakeRoleDefinition, scope: string): unknown {
  return {
    properties: {
      roleName: definition.roleName,
      type: definition.type,
      description: definition.description,
      assignableScopes: definition.assignableScopes,
      permissions: definition.permissions,
      createdOn: "2015-02-02T21:55:09.8806423Z",
      updatedOn: "2026-01-01T00:00:00.0000000Z",
      createdBy: null,
      updatedBy: null,
    },
    id: definitionId(scope, definition.name),
    type: "Microsoft.Authorization/roleDefinitions",
    name: definition.name,
  };
}

function getDefinition(scope: string, guid: string, estate: FakeEstate): RouteResult {
  const definition = estate.roleDefinitions.find(
    (d) => d.name.toLowerCase() === guid.toLowerCase(),
  );

  if (!definition) {
    return azureError(
      404,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${guid}' does not exist.`,
    );
  }

  return json(renderDefinition(definition, scope));
}

function listDefinitions(request: FakeRequest, scope: string, estate: FakeEstate): RouteResult {
  const roleName = /^roleName\s+eq\s+'([^']+)'$/i.exec(request.query.get("$filter") ?? "")?.[1];
  const matches = estate.roleDefinitions
    .filter((d) => roleName === undefined || d.roleName.toLowerCase() === roleName.toLowerCase())
    .map((d) => renderDefinition(d, scope));

  return armPage(request, matches, estate.paging.armPageSize);
}

function denyAssignmentId(deny: FakeDenyAssignment): string {
  const prefix = deny.scope === "/" ? "" : deny.scope;

  return `${prefix}/providers/Microsoft.Authorization/denyAssignments/${deny.name}`;
}

/**
 * In the key order of GetDenyAssignmentByScope.json (2022-04-01). The
 * example has no condition; the 2022-04-01 schema (and the SDK model) puts
 * `condition` and `conditionVersion` beside the other properties.
 */
function renderDenyAssignment(deny: FakeDenyAssignment): unknown {
  const { condition, conditionVersion } = deny;

  return {
    properties: {
      denyAssignmentName: deny.denyAssignmentName,
      description: deny.description,
      permissions: deny.permissions,
      scope: deny.scope,
      doNotApplyToChildScopes: deny.doNotApplyToChildScopes,
      principals: deny.principals,
      excludePrincipals: deny.excludePrincipals,
      isSystemProtected: deny.isSystemProtected,
      ...(condition === undefined ? {} : { condition, conditionVersion }),
    },
    id: denyAssignmentId(deny),
    type: "Microsoft.Authorization/denyAssignments",
    name: deny.name,
  };
}

/**
 * No filter: at, above and below the scope, as for role assignments
 * (inferred; the spec documents only the filters). `atScope()`: at or above.
 */
function listDenyAssignments(request: FakeRequest, scope: string, estate: FakeEstate): RouteResult {
  const filter = (request.query.get("$filter") ?? "").trim();
  const related =
    filter === "" ? isRelated : /^atScope\(\)$/i.test(filter) ? isAtOrAbove : undefined;

  if (!related) {
    return azureError(400, "UnsupportedQuery", "The filter in the query is not supported.");
  }

  const matches = estate.denyAssignments
    .filter((deny) => related(deny.scope, scope, estate))
    .map(renderDenyAssignment);

  return armPage(request, matches, estate.paging.armPageSize);
}

/** Handles Microsoft.Authorization reads; undefined when the path is not one. */
export function routeAuthorization(
  request: FakeRequest,
  estate: FakeEstate,
): RouteResult | undefined {
  if (request.method !== "GET") {
    return undefined;
  }

  const assignments = ASSIGNMENTS.exec(request.path);
  if (assignments) {
    return listAssignments(request, assignments[1] || "/", estate);
  }

  const denyAssignments = DENY_ASSIGNMENTS.exec(request.path);
  if (denyAssignments) {
    return listDenyAssignments(request, denyAssignments[1] || "/", estate);
  }

  const definition = DEFINITION.exec(request.path);
  if (definition) {
    return getDefinition(definition[1] || "/", definition[2] ?? "", estate);
  }

  const definitions = DEFINITIONS.exec(request.path);

  return definitions ? listDefinitions(request, definitions[1] || "/", estate) : undefined;
}
