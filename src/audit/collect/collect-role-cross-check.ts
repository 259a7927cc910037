/**
 * Cross-checks ARM's role-assignment listings against Azure Resource Graph
 * (pitfall A13): a listing has been seen to answer HTTP 200 with an empty
 * page for a scope that had assignments, and an unverified empty listing
 * would read as "role missing".
 *
 * One `authorizationresources` query (split when there are many principals)
 * asks for the assignments of the listed principals and those at, above or
 * below the documented scopes, in the policy's subscription and above it
 * (`AtScopeAboveAndBelow`, so management-group grants are in). Limits: a
 * documented scope in another subscription, or a documented management
 * group that is not above the policy's subscription, is not cross-checked;
 * nor are grants through groups (`assignedTo()`). Resource Graph lags
 * ARM by minutes, so the check only flags what ARM left out, never the
 * reverse (a grant made a minute ago), and the finding says that a row may
 * be a grant deleted a minute ago.
 */
import type { QueryRequest, QueryResponse } from "@azure/arm-resourcegraph";

import { GAP_WHAT } from "../snapshot/snapshot.js";
import type { CollectionGap, GraphRoleAssignment, RoleCrossCheck } from "../snapshot/snapshot.js";
import type { CollectContext } from "./collect-context.js";
import { toCollectionGap } from "./to-collection-gap.js";

/** `CollectionGap.what` when Resource Graph could not be asked. */
export const ROLE_CROSS_CHECK_READ = GAP_WHAT.roleCrossCheck;

/** What ARM's listings returned, and which of them succeeded. */
export interface ListedRoleAssignments {
  /** Principals whose own listing (`principalId eq`) succeeded. */
  principalIds: string[];
  /** Documented scopes whose listing (at, above and below) succeeded. */
  scopes: string[];
  /** Ids of every assignment any listing returned. */
  assignmentIds: string[];
}

/** Resource Graph's largest page. */
const ROWS_PER_PAGE = 1000;

/** Keeps each query text a few kilobytes long. */
const PRINCIPALS_PER_QUERY = 200;

/** A bound on paging, so a server that keeps answering a token cannot loop us. */
const MAX_PAGES = 100;

const MANAGEMENT_GROUPS = "/providers/Microsoft.Management/managementGroups/";

const UNVERIFIED =
  "; ARM's role-assignment listings were not cross-checked, so a role reported " +
  "missing in this run may come from a listing that was silently empty";

/**
 * The assignments Resource Graph shows for these principals and scopes, or
 * undefined when it could not be asked (the gap is recorded).
 */
export async function queryGraphRoleAssignments(
  context: CollectContext,
  principalIds: string[],
  scopes: string[],
): Promise<GraphRoleAssignment[] | undefined> {
  const subscription = `/subscriptions/${context.policy.subscriptionId}`;

  try {
    const rows: GraphRoleAssignment[] = [];
    for (const query of buildRoleAssignmentQueries(principalIds, scopes)) {
      rows.push(...(await queryAllPages(context, query)));
    }

    return [...new Map(rows.map((row) => [row.id.toLowerCase(), row])).values()];
  } catch (error) {
    if (error instanceof IncompleteAnswer) {
      context.record.addGap(incompleteGap(subscription, error.message));

      return undefined;
    }

    const gap = toCollectionGap(error, subscription, ROLE_CROSS_CHECK_READ);
    context.record.addGap({ ...gap, reason: gap.reason + UNVERIFIED });

    return undefined;
  }
}

/**
 * The Resource Graph rows that a listing the audit relied on should have
 * returned and no listing did. Compared with all listings together: a row
 * one listing left out and another returned changes no conclusion. Without
 * rows (Resource Graph failed) nothing was checked.
 */
export function compareWithListings(
  rows: GraphRoleAssignment[] | undefined,
  listed: ListedRoleAssignments,
): RoleCrossCheck {
  if (!rows) {
    return { checked: false, missingFromListing: [] };
  }

  const returned = new Set(listed.assignmentIds.map((id) => id.toLowerCase()));
  const principals = new Set(listed.principalIds.map((id) => id.toLowerCase()));
  const expected = (row: GraphRoleAssignment) =>
    principals.has(row.principalId.toLowerCase()) ||
    listed.scopes.some((scope) => areScopesRelated(row.scope, scope));

  return {
    checked: true,
    missingFromListing: rows.filter((row) => !returned.has(row.id.toLowerCase())).filter(expected),
  };
}

/** Thrown when Resource Graph answered, but not all of it. */
class IncompleteAnswer extends Error {
  override readonly name = "IncompleteAnswer";
}

function incompleteGap(subscription: string, reason: string): CollectionGap {
  return {
    resourceId: subscription,
    what: ROLE_CROSS_CHECK_READ,
    reason: reason + UNVERIFIED,
    statusCode: undefined,
    errorCode: "ResultTruncated",
  };
}

async function queryAllPages(
  context: CollectContext,
  query: string,
): Promise<GraphRoleAssignment[]> {
  const rows: GraphRoleAssignment[] = [];
  let skipToken: string | undefined;

  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await context.clients.resourceGraph.resources(
      buildRequest(context.policy.subscriptionId, query, skipToken),
    );
    rows.push(...readRows(answer));

    // Without a skip token a truncated answer cannot be completed.
    if (answer.resultTruncated === "true" && !answer.skipToken) {
      throw new IncompleteAnswer("Resource Graph truncated its answer and gave no skip token");
    }

    if (!answer.skipToken) {
      return rows;
    }

    skipToken = answer.skipToken;
  }

  throw new IncompleteAnswer(`Resource Graph was still paging after ${MAX_PAGES} pages`);
}

function buildRequest(
  subscriptionId: string,
  query: string,
  skipToken: string | undefined,
): QueryRequest {
  return {
    subscriptions: [subscriptionId],
    query,
    options: {
      resultFormat: "objectArray",
      top: ROWS_PER_PAGE,
      // The default (at and below) would leave out management-group grants.
      authorizationScopeFilter: "AtScopeAboveAndBelow",
      ...(skipToken === undefined ? {} : { skipToken }),
    },
  };
}

/** Rows of our projection; anything else in the answer is ignored. */
function readRows(answer: QueryResponse): GraphRoleAssignment[] {
  const data: unknown = answer.data;

  if (!Array.isArray(data)) {
    throw new IncompleteAnswer("Resource Graph answered without a row list");
  }

  return data.flatMap((row: unknown) => {
    const record = (typeof row === "object" && row !== null ? row : {}) as Record<string, unknown>;
    const text = (key: string) => {
      const value = record[key];

      return typeof value === "string" ? value : "";
    };
    const observed = {
      id: text("id"),
      scope: text("scope"),
      principalId: text("principalId"),
      roleDefinitionId: text("roleDefinitionId"),
    };

    return observed.id === "" ? [] : [observed];
  });
}

/** One query per batch of principals; the scope terms ride on the first. */
export function buildRoleAssignmentQueries(principalIds: string[], scopes: string[]): string[] {
  const batches: string[][] = [];
  for (let start = 0; start < principalIds.length; start += PRINCIPALS_PER_QUERY) {
    batches.push(principalIds.slice(start, start + PRINCIPALS_PER_QUERY));
  }

  const [first = [], ...rest] = batches;
  const queries = [buildQuery(first, scopes), ...rest.map((batch) => buildQuery(batch, []))];

  return principalIds.length === 0 && scopes.length === 0 ? [] : queries;
}

/**
 * The query's one shape (the fake recognises exactly this):
 *
 *   authorizationresources
 *   | where type =~ 'microsoft.authorization/roleassignments'
 *   | extend scope = ..., principalId = ..., roleDefinitionId = ...
 *   | where principalId in~ (...) or scope in~ (...) or scope startswith '...'
 *   | project id, scope, principalId, roleDefinitionId
 *   | order by id asc
 *
 * `in~` and `startswith` ignore case, as ARM ids do. The order by id keeps
 * pages stable, as Resource Graph's paging asks.
 */
function buildQuery(principalIds: string[], scopes: string[]): string {
  const terms = [
    ...(principalIds.length > 0 ? [`principalId in~ (${kqlList(principalIds)})`] : []),
    ...(scopes.length > 0 ? scopeTerms(scopes) : []),
  ];

  return [
    "authorizationresources",
    "| where type =~ 'microsoft.authorization/roleassignments'",
    "| extend scope = tostring(properties.scope), " +
      "principalId = tostring(properties.principalId), " +
      "roleDefinitionId = tostring(properties.roleDefinitionId)",
    `| where ${terms.join(" or ")}`,
    "| project id, scope, principalId, roleDefinitionId",
    "| order by id asc",
  ].join("\n");
}

/** At or above (the scope and its ancestors, the root, management groups) or below. */
function scopeTerms(scopes: string[]): string[] {
  const atOrAbove = unique(["/", ...scopes.flatMap(listSelfAndAncestors)]);

  return [
    `scope in~ (${kqlList(atOrAbove)})`,
    `scope startswith ${kqlString(MANAGEMENT_GROUPS)}`,
    ...unique(scopes).map((scope) => `scope startswith ${kqlString(`${trimSlash(scope)}/`)}`),
  ];
}

/** `/subscriptions/s/resourceGroups/rg/...` → `/subscriptions/s`, `.../resourceGroups/rg`, ... */
function listSelfAndAncestors(scope: string): string[] {
  const segments = trimSlash(scope).split("/").filter(Boolean);
  const prefixes: string[] = [];
  for (let length = 2; length <= segments.length; length += 2) {
    prefixes.push(`/${segments.slice(0, length).join("/")}`);
  }

  // An odd tail (`.../providers/Microsoft.KeyVault/vaults/kv` has one) is the scope itself.
  return [...prefixes, `/${segments.join("/")}`];
}

function kqlList(values: string[]): string {
  return values.map(kqlString).join(", ");
}

/** A single-quoted KQL string literal. */
function kqlString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function unique(values: string[]): string[] {
  return [...new Map(values.map((value) => [value.toLowerCase(), value])).values()];
}

function trimSlash(scope: string): string {
  return scope.replace(/\/+$/, "");
}

/**
 * True when one scope is at, above or below the other. The root and any
 * management group Resource Graph returns for our subscription are above
 * every scope in it (it returns only the subscription's own chain).
 */
function areScopesRelated(a: string, b: string): boolean {
  const x = trimSlash(a.toLowerCase());
  const y = trimSlash(b.toLowerCase());
  const isAboveSubscriptions = (scope: string) =>
    scope === "" || scope.startsWith(MANAGEMENT_GROUPS.toLowerCase());

  if (x === y || (isAboveSubscriptions(x) && y.startsWith("/subscriptions/"))) {
    return true;
  }

  return (
    (isAboveSubscriptions(y) && x.startsWith("/subscriptions/")) ||
    x.startsWith(`${y}/`) ||
    y.startsWith(`${x}/`)
  );
}
