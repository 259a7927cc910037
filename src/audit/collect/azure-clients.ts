/**
 * The real Azure SDK clients the collectors use, all pointed at the
 * endpoints the policy names (public cloud, a sovereign cloud or a loopback
 * fake) and sharing one retry behaviour.
 */
import { WebSiteManagementClient } from "@azure/arm-appservice";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { KeyVaultManagementClient } from "@azure/arm-keyvault";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { ResourceGraphClient } from "@azure/arm-resourcegraph";
import type { TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import type { SecretClientOptions } from "@azure/keyvault-secrets";

import type { Policy } from "../policy/policy-model.js";
import { currentAbortSignal } from "./abort-scope.js";
import { createDirectoryClient } from "./directory-client.js";
import type { DirectoryClient } from "./directory-client.js";

type PipelinePolicy = NonNullable<SecretClientOptions["additionalPolicies"]>[number]["policy"];

export interface AzureClients {
  web: WebSiteManagementClient;
  authorization: AuthorizationManagementClient;
  keyVaultManagement: KeyVaultManagementClient;
  /** Azure Resource Graph, to cross-check role-assignment listings (A13). */
  resourceGraph: ResourceGraphClient;
  /** One client per subscription, created on first use: identities may live elsewhere. */
  managedIdentities(subscriptionId: string): ManagedServiceIdentityClient;
  /** One SecretClient per vault URL, created on first use. */
  secrets(vaultUrl: string): SecretClient;
  /** Microsoft Graph, for principals bound by object id. */
  directory: DirectoryClient;
}

export interface ClientTuning {
  /** Retries after the first failure; 1 means a second failure is final. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the read becomes a gap. */
  maxRetryAfterSeconds: number;
}

const USER_AGENT_PREFIX = "drift-auditor";
const RETRY_AFTER_HEADERS = ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"];

function readRetryAfterSeconds(header: string | undefined, unitMs: boolean): number | undefined {
  if (header === undefined) {
    return undefined;
  }

  const number = Number(header);
  if (Number.isFinite(number)) {
    return unitMs ? number / 1000 : number;
  }

  const date = Date.parse(header);

  return Number.isNaN(date) ? undefined : (date - Date.now()) / 1000;
}

/**
 * The SDK waits as long as Retry-After says (A25 saw 372 s). Inside a
 * Function with a 10-minute budget that is worse than a gap, so a wait
 * beyond the cap is stripped and the SDK gives up at once.
 */
export function createRetryAfterCapPolicy(maxSeconds: number): PipelinePolicy {
  return {
    name: "driftAuditorRetryAfterCap",
    async sendRequest(request, next) {
      const response = await next(request);

      const waits = RETRY_AFTER_HEADERS.map((name) =>
        readRetryAfterSeconds(response.headers.get(name), name !== "retry-after"),
      );
      if (waits.some((seconds) => seconds !== undefined && seconds > maxSeconds)) {
        RETRY_AFTER_HEADERS.forEach((name) => response.headers.delete(name));
      }

      return response;
    },
  };
}

/**
 * Gives a request the signal of the abort scope it was started in, unless
 * the caller passed one: later pages of a listing carry none (A32).
 */
export function createAbortScopePolicy(): PipelinePolicy {
  return {
    name: "driftAuditorAbortScope",
    sendRequest(request, next) {
      const signal = currentAbortSignal();
      if (signal && !request.abortSignal) {
        request.abortSignal = signal;
      }

      return next(request);
    },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Builds every client from the policy's endpoints; no request is made here. */
export function createAzureClients(
  policy: Policy,
  credential: TokenCredential,
  tuning: ClientTuning,
): AzureClients {
  const endpoint = trimSlash(policy.endpoints.armEndpoint);
  const common = {
    retryOptions: { maxRetries: tuning.maxRetries },
    additionalPolicies: [
      {
        policy: createRetryAfterCapPolicy(tuning.maxRetryAfterSeconds),
        position: "perRetry" as const,
      },
      // Per call, ahead of the retry policy, so a wait between retries is cut short too.
      { policy: createAbortScopePolicy(), position: "perCall" as const },
    ],
    userAgentOptions: { userAgentPrefix: USER_AGENT_PREFIX },
  };
  const armOptions = { ...common, endpoint, credentials: { scopes: [policy.endpoints.armScope] } };
  const secretClients = new Map<string, SecretClient>();
  const identityClients = new Map<string, ManagedServiceIdentityClient>();
  // Like the authorization client, it builds URLs from $host and, without
  // credentialScopes, would ask for a token for the endpoint itself.
  const hostOptions = { ...common, $host: endpoint, endpoint };

  return {
    web: new WebSiteManagementClient(credential, policy.subscriptionId, armOptions),
    keyVaultManagement: new KeyVaultManagementClient(credential, policy.subscriptionId, armOptions),
    resourceGraph: new ResourceGraphClient(credential, policy.subscriptionId, armOptions),
    authorization: new AuthorizationManagementClient(credential, policy.subscriptionId, {
      ...hostOptions,
      credentialScopes: [policy.endpoints.armScope],
    }),
    directory: createDirectoryClient(trimSlash(policy.endpoints.graphEndpoint), credential, {
      ...common,
      credentialScopes: [policy.endpoints.graphScope],
    }),
    managedIdentities(subscriptionId) {
      const key = subscriptionId.toLowerCase();
      const client =
        identityClients.get(key) ??
        new ManagedServiceIdentityClient(credential, subscriptionId, {
          ...hostOptions,
          credentialScopes: [policy.endpoints.armScope],
        });
      identityClients.set(key, client);

      return client;
    },
    secrets(vaultUrl) {
      const key = trimSlash(vaultUrl).toLowerCase();
      const existing = secretClients.get(key);
      if (existing) {
        return existing;
      }

      const client = new SecretClient(vaultUrl, credential, {
        ...common,
        disableChallengeResourceVerification: policy.endpoints.disableChallengeResourceVerification,
      });
      secretClients.set(key, client);

      return client;
    },
  };
}
