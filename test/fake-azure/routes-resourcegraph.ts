/**
 * Azure Resource Graph on the fake ARM: `POST /providers/Microsoft.
 * ResourceGraph/resources`, answered in the shape of the 2024-04-01
 * examples (objectArray rows, totalRecords, count, resultTruncated as a
 * string, `$skipToken` in the body). There is no KQL engine: the fake
 * recognises the one `authorizationresources` query the auditor sends
 * (collect-role-cross-check.ts) and answers it from the estate's role
 * assignments; any other query gets Resource Graph's 400.
 */
import type { FakeEstate, FakeRoleAssignment } from "./estate-model.js";
import { decodeSkipToken, encodeSkipToken, json } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";
import { assignmentId } from "./routes-authorization.js";
import { isAtOrAbove, isRelated } from "./scope-relations.js";

const RESOURCES = /^\/providers\/Microsoft\.ResourceGraph\/resources$/i;

interface QueryBody {
  subscriptions?: unknown;
  managementGroups?: unknown;
  query?: unknown;
  options?: {
    $top?: number;
    $skip?: number;
    $skipToken?: string;
    resultFormat?: string;
    authorizationScopeFilter?: string;
  };
}

interface Row {
  id: string;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
}

type Term = (row: Row) => boolean;

const HEAD =
  "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' " +
  "| extend scope = tostring(properties.scope), principalId = tostring(properties.principalId), " +
  "roleDefinitionId = tostring(properties.roleDefinitionId) | where ";
const TAIL = /^(.*) \| project id, scope, principalId, roleDefinitionId( \| order by id asc)?$/;
const STRING = String.raw`'(?:[^'\\]|\\.)*'`;
const LIST = String.raw`\(\s*(${STRING}(?:\s*,\s*${STRING})*)\s*\)`;
const TERM = new RegExp(
  String.raw`^(principalId|scope) in~ ${LIST}|^scope startswith (${STRING})`,
  "i",
);

/** Resource Graph's answer to a query it cannot run, in ARM's error body. */
function invalidQuery(detail: string): RouteResult {
  return json(
    {
      error: {
        code: "BadRequest",
        message: "Please provide below info when asking for support: the fake's query parser.",
        details: [
          {
            code: "InvalidQuery",
            message: `Query is invalid. ${detail}`,
          },
        ],
      },
    },
    400,
  );
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, "$1");
}

function readList(text: string): string[] {
  return [...text.matchAll(new RegExp(STRING, "g"))].map((m) => unquote(m[0]).toLowerCase());
}

function toTerm(match: RegExpExecArray): Term {
  const [, column, list, prefix] = match;

  if (prefix !== undefined) {
    const start = unquote(prefix).toLowerCase();

    return (row) => row.scope.toLowerCase().startsWith(start);
  }

  const values = new Set(readList(list ?? ""));

  return column?.toLowerCase() === "principalid"
    ? (row) => values.has(row.principalId.toLowerCase())
    : (row) => values.has(row.scope.toLowerCase());
}

/** The `or`-joined terms of our one query shape, or undefined for anything else. */
function parseQuery(query: string): Term[] | undefined {
  const text = query.replace(/\s+/g, " ").trim();
  const where = text.startsWith(HEAD) ? TAIL.exec(text.slice(HEAD.length))?.[1] : undefined;
  const terms: Term[] = [];
  let rest = where;

  while (rest !== undefined && rest !== "") {
    const match = TERM.exec(rest);
    if (!match) {
      return undefined;
    }

    terms.push(toTerm(match));
    rest = rest.slice(match[0].length).replace(/^ or /i, "");
  }

  return terms.length > 0 ? terms : undefined;
}

/** Which assignments a subscription scope yields, per `authorizationScopeFilter`. */
function scopeFilter(filter: string | undefined, subscription: string, estate: FakeEstate) {
  const tests: Record<string, (scope: string) => boolean> = {
    AtScopeAndBelow: (scope) => isAtOrAbove(subscription, scope, estate),
    AtScopeAndAbove: (scope) => isAtOrAbove(scope, subscription, estate),
    AtScopeExact: (scope) => scope.toLowerCase() === subscription.toLowerCase(),
    AtScopeAboveAndBelow: (scope) => isRelated(scope, subscription, estate),
  };

  return tests[filter ?? "AtScopeAndBelow"];
}

function toRow(assignment: FakeRoleAssignment): Row {
  return {
    id: assignmentId(assignment),
    scope: assignment.scope,
    principalId: assignment.principalId,
    roleDefinitionId: assignment.roleDefinitionId,
  };
}

function readBody(request: FakeRequest): QueryBody | undefined {
  try {
    const body = JSON.parse(request.body ?? "") as unknown;

    return typeof body === "object" && body !== null ? (body as QueryBody) : undefined;
  } catch {
    return undefined;
  }
}

/** One page: the examples' keys, in their order; small pages, like the fake's ARM lists. */
function page(rows: Row[], body: QueryBody, estate: FakeEstate): RouteResult {
  const options = body.options ?? {};
  const offset = options.$skipToken
    ? decodeSkipToken(options.$skipToken)
    : Math.max(0, options.$skip ?? 0);
  const size = Math.min(options.$top ?? 100, estate.paging.armPageSize);
  const data = rows.slice(offset, offset + size);
  const next = offset + size < rows.length ? { $skipToken: encodeSkipToken(offset + size) } : {};

  return json({
    totalRecords: rows.length,
    count: data.length,
    resultTruncated: "false",
    facets: [],
    ...next,
    data,
  });
}

function answerQuery(body: QueryBody, estate: FakeEstate): RouteResult {
  const subscriptions = Array.isArray(body.subscriptions) ? (body.subscriptions as string[]) : [];
  const terms = typeof body.query === "string" ? parseQuery(body.query) : undefined;
  const format = body.options?.resultFormat ?? "objectArray";
  const filters = subscriptions.map((id) =>
    scopeFilter(body.options?.authorizationScopeFilter, `/subscriptions/${id}`, estate),
  );

  if (
    body.managementGroups !== undefined ||
    subscriptions.length === 0 ||
    format !== "objectArray"
  ) {
    return invalidQuery("The fake answers objectArray queries over subscriptions only.");
  }

  if (!terms || filters.some((filter) => !filter)) {
    return invalidQuery("The fake knows only the auditor's role-assignment query.");
  }

  const rows = estate.roleAssignments
    .filter((a) => filters.some((inScope) => inScope?.(a.scope)))
    .map(toRow)
    .filter((row) => terms.some((term) => term(row)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  return page(rows, body, estate);
}

/** Handles Resource Graph queries; undefined when the path is not one. */
export function routeResourceGraph(
  request: FakeRequest,
  estate: FakeEstate,
): RouteResult | undefined {
  if (request.method !== "POST" || !RESOURCES.test(request.path)) {
    return undefined;
  }

  const body = readBody(request);

  return body ? answerQuery(body, estate) : invalidQuery("The request body is not JSON.");
}
