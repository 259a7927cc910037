/**
 * Fault injection for the fake: a rule answers matching requests with an
 * Azure error (throttling, authorization failures, vault firewalls), or a
 * wrong answer (an empty listing with HTTP 200), a set number of times, then
 * lets them through.
 */
import { azureError, json } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";

export interface FaultRule {
  /** `arm` or a vault name; any server when undefined. */
  server?: string;
  method?: string;
  /** A RegExp tested on the path, or text the path ends with (case-insensitive). */
  path: string | RegExp;
  /** Query parameters that must match too, e.g. `{ $filter: /principalId/ }`. */
  query?: Record<string, RegExp>;
  status: number;
  code: string;
  message: string;
  innerCode?: string;
  headers?: Record<string, string>;
  /** Answered instead of Azure's error body: a wrong answer rather than a failure. */
  body?: unknown;
  /** How many matching requests it answers; Infinity for all of them. */
  times: number;
}

function matchesPath(rule: FaultRule, path: string): boolean {
  if (rule.path instanceof RegExp) {
    return rule.path.test(path);
  }

  return path.toLowerCase().endsWith(rule.path.toLowerCase());
}

function matches(rule: FaultRule, server: string, request: FakeRequest): boolean {
  const serverOk = rule.server === undefined || rule.server.toLowerCase() === server.toLowerCase();
  const methodOk = rule.method === undefined || rule.method.toUpperCase() === request.method;

  const queryOk = Object.entries(rule.query ?? {}).every(([name, pattern]) =>
    pattern.test(request.query.get(name) ?? ""),
  );

  return rule.times > 0 && serverOk && methodOk && queryOk && matchesPath(rule, request.path);
}

export class FaultTable {
  private readonly rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push(rule);
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The fault for this request, if a rule still applies; counts it down. */
  take(server: string, request: FakeRequest): (RouteResult & { fault: string }) | undefined {
    const rule = this.rules.find((r) => matches(r, server, request));
    if (!rule) {
      return undefined;
    }

    rule.times -= 1;
    const result =
      rule.body === undefined
        ? azureError(rule.status, rule.code, rule.message, rule.innerCode)
        : json(rule.body, rule.status);

    return { ...result, headers: rule.headers ?? {}, fault: rule.code };
  }
}

/** ARM's throttling answer: 429 with Retry-After in seconds. */
export function makeThrottleRule(
  path: string | RegExp,
  times: number,
  retryAfterSeconds: number,
): FaultRule {
  return {
    server: "arm",
    path,
    status: 429,
    code: "ResourceRequestsThrottled",
    message: `Number of read requests for subscription exceeded the limit. Please try again after '${retryAfterSeconds}' seconds.`,
    headers: { "retry-after": String(retryAfterSeconds) },
    times,
  };
}

/** ARM's answer to a caller without the needed action (e.g. Reader on appsettings/list). */
export function makeArmDenyRule(
  path: string | RegExp,
  status: number,
  code: string,
  times: number,
): FaultRule {
  return {
    server: "arm",
    path,
    status,
    code,
    message:
      "The client does not have authorization to perform action over the scope, or the scope is invalid.",
    times,
  };
}

/** Key Vault's answer when RBAC or its firewall refuses the caller. */
export function makeVaultForbiddenRule(vaultName: string, times: number): FaultRule {
  return {
    server: `vault:${vaultName}`,
    path: /.*/,
    status: 403,
    code: "Forbidden",
    message: `Caller is not authorized to perform action on resource.\r\nVault: ${vaultName};location=eastus\r\n`,
    innerCode: "ForbiddenByRbac",
    times,
  };
}

const ROLE_ASSIGNMENTS = "/providers/Microsoft.Authorization/roleAssignments";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whose role-assignment listing answers empty: one principal's, or one scope's. */
export type ListingTarget = { principalId: string } | { scope: string };

/**
 * A13: ARM answers a role-assignment listing with `{"value": []}` and HTTP
 * 200 although there are assignments. For a principal, every listing that
 * filters on it (`principalId eq` and `assignedTo()`); for a scope, every
 * listing at exactly that scope.
 */
export function makeEmptyListingRule(target: ListingTarget, times: number): FaultRule {
  const base = {
    server: "arm",
    method: "GET",
    status: 200,
    code: "SilentEmptyListing",
    message: "An empty page for a listing that has assignments.",
    body: { value: [] },
    times,
  };

  if ("principalId" in target) {
    return {
      ...base,
      path: new RegExp(`${escapeRegExp(ROLE_ASSIGNMENTS)}$`, "i"),
      query: { $filter: new RegExp(escapeRegExp(target.principalId), "i") },
    };
  }

  const scope = target.scope.replace(/\/+$/, "");

  return { ...base, path: new RegExp(`^${escapeRegExp(scope + ROLE_ASSIGNMENTS)}$`, "i") };
}
