/**
 * Fault injection for the fake: a rule answers matching requests with an
 * Azure error (throttling, authorization failures, vault firewalls) a set
 * number of times, then lets them through.
 */
import { azureError } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";

export interface FaultRule {
  /** `arm` or a vault name; any server when undefined. */
  server?: string;
  method?: string;
  /** A RegExp tested on the path, or text the path ends with (case-insensitive). */
  path: string | RegExp;
  status: number;
  code: string;
  message: string;
  innerCode?: string;
  headers?: Record<string, string>;
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

  return rule.times > 0 && serverOk && methodOk && matchesPath(rule, request.path);
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
    const result = azureError(rule.status, rule.code, rule.message, rule.innerCode);

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
