/**
 * A loopback HTTPS fake of Azure Resource Manager, Key Vault, Microsoft
 * Graph's principal reads and App Service's managed-identity token
 * endpoint, speaking the wire format of Microsoft's published examples
 * (../shared/azure-wire).
 *
 *   const fake = await startFakeAzure(makeDefaultEstate());
 *   const restoreEnv = fake.useManagedIdentityEnv();
 *   ... new DefaultAzureCredential() → real SDK clients → fake.armEndpoint ...
 *   expect(fake.secretValueRequests()).toEqual([]);
 *   restoreEnv(); await fake.close();
 *
 * ARM is one server; each vault's data plane gets its own port, because the
 * Key Vault SDK parses secret ids as `https://host/secrets/name/version` and
 * cannot live under a path prefix.
 */
import { createServer } from "node:https";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { FakeEstate, FakeVault } from "./estate-model.js";
import {
  FaultTable,
  makeArmDenyRule,
  makeEmptyListingRule,
  makeThrottleRule,
  makeVaultForbiddenRule,
} from "./faults.js";
import type { FaultRule, ListingTarget } from "./faults.js";
import { azureError, readBody, writeResult } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";
import { routeArm, VAULT_AUDIENCE } from "./route-arm.js";
import { GRAPH_AUDIENCE, graphError, routeGraph } from "./routes-graph.js";
import { routeKeyVaultData } from "./routes-keyvault-data.js";
import { loadTestTls } from "./test-tls.js";
import { getTokenService } from "./token-service.js";
import type { TokenService } from "./token-service.js";

export interface LoggedRequest {
  /** `arm`, `graph`, `identity` or `vault:<name>`. */
  server: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The request carried a valid token for this server's audience. */
  authorized: boolean;
  status: number;
  /** Code of the injected fault that answered it, if any. */
  fault: string | undefined;
  secretValueRequest: boolean;
  write: boolean;
}

export interface FakeAzureOptions {
  /** Token audience ARM accepts; the auditor must ask for this resource. */
  armAudience?: string;
  /** Delay before every answer, so concurrent requests overlap measurably. */
  latencyMs?: number;
  /** A further delay for chosen requests, e.g. the later pages of one listing (A32). */
  extraLatencyMs?: (server: string, request: FakeRequest) => number;
}

export interface FakeAzure {
  /** The live estate: mutate it between requests to change what Azure says. */
  readonly estate: FakeEstate;
  /** `https://127.0.0.1:<port>`, for the ARM clients' endpoint. */
  readonly armEndpoint: string;
  readonly armAudience: string;
  /** `https://127.0.0.1:<port>`, for the policy's `graphEndpoint`. */
  readonly graphEndpoint: string;
  readonly graphAudience: string;
  /** Values for IDENTITY_ENDPOINT and IDENTITY_HEADER. */
  readonly identityEndpoint: string;
  readonly identityHeader: string;
  /** Data-plane URL of a vault in the estate. */
  vaultUrl(vaultName: string): string;
  readonly log: readonly LoggedRequest[];
  /** Most requests the fake was answering at once, over all its servers. */
  maxInFlight(): number;
  requests(filter?: (entry: LoggedRequest) => boolean): LoggedRequest[];
  /** Requests that asked for a secret value. Must stay empty. */
  secretValueRequests(): LoggedRequest[];
  /** Requests that would have changed something. Must stay empty. */
  writeRequests(): LoggedRequest[];
  clearLog(): void;
  inject(rule: FaultRule): void;
  /** 429 + Retry-After for the next `times` ARM requests whose path ends with `path`. */
  throttle(path: string | RegExp, options?: { times?: number; retryAfterSeconds?: number }): void;
  /** An ARM error (403 AuthorizationFailed by default) for matching paths. */
  failArm(
    path: string | RegExp,
    options?: { status?: number; code?: string; times?: number },
  ): void;
  /** Key Vault 403 Forbidden for every data-plane request to this vault. */
  forbidVault(vaultName: string, options?: { times?: number }): void;
  /** A13: HTTP 200 `{"value": []}` for a principal's or a scope's role-assignment listing. */
  emptyRoleListing(target: ListingTarget, options?: { times?: number }): void;
  clearFaults(): void;
  /** Points DefaultAzureCredential at this fake; returns a function restoring the env. */
  useManagedIdentityEnv(): () => void;
  close(): Promise<void>;
}

interface ServerContext {
  name: string;
  origin: string;
  audience: string;
  route(request: FakeRequest): RouteResult;
  /** What an unauthenticated request gets back. */
  unauthorized(): RouteResult;
}

const TENANT_CHALLENGE = (tenantId: string): RouteResult => ({
  ...azureError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."),
  headers: {
    "www-authenticate": `Bearer authorization="https://login.windows.net/${tenantId}", resource="${VAULT_AUDIENCE}"`,
  },
});

const ARM_UNAUTHORIZED = (): RouteResult =>
  azureError(
    401,
    "AuthenticationFailed",
    "Authentication failed. The 'Authorization' header is missing or invalid.",
  );

class FakeAzureServers {
  readonly log: LoggedRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly faults = new FaultTable();
  private readonly servers: Server[] = [];

  constructor(
    private readonly tokens: TokenService,
    private readonly latencyMs: number,
    private readonly extraLatencyMs?: FakeAzureOptions["extraLatencyMs"],
  ) {}

  async listen(context: () => ServerContext): Promise<string> {
    const tls = loadTestTls();
    const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
      void this.handle(context(), request, response);
    });
    this.servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async handle(
    context: ServerContext,
    raw: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.answer(context, raw, response);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async answer(
    context: ServerContext,
    raw: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const body = await readBody(raw);
    if (this.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    }
    // Concatenate rather than resolve: a path starting with `//` must stay a
    // path, not become a protocol-relative URL naming another host.
    const url = new URL(context.origin + (raw.url ?? "/"));
    const request: FakeRequest = {
      method: raw.method ?? "GET",
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: raw.headers,
      origin: context.origin,
      body,
    };
    const extraMs = this.extraLatencyMs?.(context.name, request) ?? 0;
    if (extraMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, extraMs));
    }
    const authorized = this.tokens.audienceOf(raw.headers.authorization) === context.audience;
    const fault = authorized ? this.faults.take(context.name, request) : undefined;
    const result = !authorized ? context.unauthorized() : (fault ?? safeRoute(context, request));

    this.log.push({
      server: context.name,
      method: request.method,
      path: request.path,
      query: Object.fromEntries(url.searchParams),
      authorized,
      status: result.status,
      fault: fault?.fault,
      secretValueRequest: result.secretValueRequest ?? false,
      write: result.write ?? false,
    });
    writeResult(response, result);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }
}

function safeRoute(context: ServerContext, request: FakeRequest): RouteResult {
  try {
    return context.route(request);
  } catch (error) {
    return azureError(500, "FakeAzureBug", error instanceof Error ? error.message : String(error));
  }
}

function makeVaultContext(estate: FakeEstate, vault: FakeVault, origin: string): ServerContext {
  return {
    name: `vault:${vault.name}`,
    origin,
    audience: VAULT_AUDIENCE,
    route: (request) => routeKeyVaultData(request, vault, estate),
    unauthorized: () => TENANT_CHALLENGE(estate.tenantId),
  };
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) {
    Reflect.deleteProperty(process.env, name);
  } else {
    process.env[name] = value;
  }
}

export async function startFakeAzure(
  estate: FakeEstate,
  options: FakeAzureOptions = {},
): Promise<FakeAzure> {
  const tokens = await getTokenService();
  const servers = new FakeAzureServers(tokens, options.latencyMs ?? 0, options.extraLatencyMs);
  const armAudience = options.armAudience ?? "https://management.azure.com";
  const vaultOrigins = new Map<string, string>();
  const vaultUrl = (name: string): string => {
    const origin = vaultOrigins.get(name.toLowerCase());
    if (!origin) {
      throw new Error(`The fake estate has no vault named ${name}.`);
    }

    return origin;
  };

  for (const vault of estate.vaults) {
    let origin = "";
    origin = await servers.listen(() => makeVaultContext(estate, vault, origin));
    vaultOrigins.set(vault.name.toLowerCase(), origin);
  }

  let graphOrigin = "";
  graphOrigin = await servers.listen(() => ({
    name: "graph",
    origin: graphOrigin,
    audience: GRAPH_AUDIENCE,
    route: (request) => routeGraph(request, estate),
    unauthorized: () =>
      graphError(401, "InvalidAuthenticationToken", "Access token is empty or not valid."),
  }));

  let armOrigin = "";
  armOrigin = await servers.listen(() => ({
    name: "arm",
    origin: armOrigin,
    audience: armAudience,
    route: (request) => routeArm(request, estate, vaultUrl),
    unauthorized: ARM_UNAUTHORIZED,
  }));

  const unsubscribe = tokens.subscribe((event) => {
    servers.log.push({
      server: "identity",
      method: "GET",
      path: "/msi/token",
      query: { resource: event.resource ?? "", "api-version": event.apiVersion ?? "" },
      authorized: event.headerValid,
      status: event.status,
      fault: undefined,
      secretValueRequest: false,
      write: false,
    });
  });

  return {
    estate,
    armEndpoint: armOrigin,
    armAudience,
    graphEndpoint: graphOrigin,
    graphAudience: GRAPH_AUDIENCE,
    identityEndpoint: tokens.endpoint,
    identityHeader: tokens.header,
    vaultUrl,
    log: servers.log,
    maxInFlight: () => servers.maxInFlight,
    requests: (filter) => servers.log.filter(filter ?? (() => true)),
    secretValueRequests: () => servers.log.filter((entry) => entry.secretValueRequest),
    writeRequests: () => servers.log.filter((entry) => entry.write),
    clearLog: () => {
      servers.log.length = 0;
    },
    inject: (rule) => servers.faults.add({ ...rule }),
    throttle: (path, { times = 1, retryAfterSeconds = 1 } = {}) =>
      servers.faults.add(makeThrottleRule(path, times, retryAfterSeconds)),
    failArm: (path, { status = 403, code = "AuthorizationFailed", times = Infinity } = {}) =>
      servers.faults.add(makeArmDenyRule(path, status, code, times)),
    forbidVault: (vaultName, { times = Infinity } = {}) =>
      servers.faults.add(makeVaultForbiddenRule(vaultName, times)),
    emptyRoleListing: (target, { times = Infinity } = {}) =>
      servers.faults.add(makeEmptyListingRule(target, times)),
    clearFaults: () => servers.faults.clear(),
    useManagedIdentityEnv: () => {
      const saved = [process.env.IDENTITY_ENDPOINT, process.env.IDENTITY_HEADER] as const;
      process.env.IDENTITY_ENDPOINT = tokens.endpoint;
      process.env.IDENTITY_HEADER = tokens.header;

      return () => {
        setEnv("IDENTITY_ENDPOINT", saved[0]);
        setEnv("IDENTITY_HEADER", saved[1]);
      };
    },
    close: async () => {
      unsubscribe();
      await servers.close();
    },
  };
}
