/**
 * Microsoft Graph, read through the Azure SDK's own pipeline: the same
 * bearer-token, retry and Retry-After handling as the ARM clients. Only one
 * question is asked: does this object id still exist in Microsoft Entra ID?
 *
 * Each principal is read from its own collection (`servicePrincipals`,
 * `users`, `groups`), whose least-privileged read permission is narrower
 * than the `directoryObjects` one (Directory.Read.All).
 */
import { ServiceClient } from "@azure/core-client";
import type { ServiceClientOptions } from "@azure/core-client";
import type { TokenCredential } from "@azure/identity";
import { createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import type { PipelineResponse } from "@azure/core-rest-pipeline";

import type { DirectoryObjectKind } from "../snapshot/snapshot.js";

export interface DirectoryLookup {
  exists: boolean;
  /** For a service principal: `Application`, `ManagedIdentity`, `Legacy`... */
  servicePrincipalType?: string;
}

export interface DirectoryClient {
  /** Throws RestError for anything but 200 and 404, like the ARM clients. */
  lookup(kind: DirectoryObjectKind, objectId: string): Promise<DirectoryLookup>;
}

const COLLECTIONS: Record<DirectoryObjectKind, string> = {
  servicePrincipal: "servicePrincipals",
  user: "users",
  group: "groups",
};

const SELECT: Record<DirectoryObjectKind, string> = {
  servicePrincipal: "id,servicePrincipalType",
  user: "id",
  group: "id",
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GraphErrorBody {
  error?: { code?: string; message?: string };
}

function parseBody(response: PipelineResponse): unknown {
  try {
    return response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    return undefined;
  }
}

/** Graph's error body is `{error: {code, message}}`, as ARM's is. */
function toRestError(response: PipelineResponse, objectId: string): RestError {
  const body = parseBody(response) as GraphErrorBody | undefined;
  const message =
    body?.error?.message ?? `Microsoft Graph answered HTTP ${response.status} for ${objectId}`;

  const code = body?.error?.code;

  return new RestError(message, {
    ...(code ? { code } : {}),
    statusCode: response.status,
    request: response.request,
    response,
  });
}

export function createDirectoryClient(
  endpoint: string,
  credential: TokenCredential,
  options: ServiceClientOptions,
): DirectoryClient {
  const client = new ServiceClient({ ...options, endpoint, credential });

  return {
    async lookup(kind, objectId) {
      // The id goes into a URL path: refuse anything but a GUID.
      if (!GUID.test(objectId)) {
        throw new Error(`Not an object id: ${objectId}`);
      }

      const url =
        `${endpoint}/v1.0/${COLLECTIONS[kind]}/${objectId.toLowerCase()}` +
        `?$select=${SELECT[kind]}`;
      const response = await client.sendRequest(createPipelineRequest({ url, method: "GET" }));

      if (response.status === 404) {
        return { exists: false };
      }

      if (response.status !== 200) {
        throw toRestError(response, objectId);
      }

      const body = parseBody(response) as { servicePrincipalType?: unknown } | undefined;
      const type = body?.servicePrincipalType;

      return typeof type === "string"
        ? { exists: true, servicePrincipalType: type }
        : { exists: true };
    },
  };
}
