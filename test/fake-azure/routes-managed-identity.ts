/**
 * Microsoft.ManagedIdentity on the fake ARM: a user-assigned identity read
 * on its own, in the shape of IdentityGet.json (2024-11-30): id, name,
 * type, location, tags, and properties with tenantId, principalId, clientId
 * and isolationScope.
 */
import type { FakeEstate, FakeUserAssignedIdentity } from "./estate-model.js";
import { json, notFound } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";

const USER_ASSIGNED =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

function renderIdentity(estate: FakeEstate, identity: FakeUserAssignedIdentity): unknown {
  return {
    id: `/subscriptions/${estate.subscriptionId}/resourcegroups/${identity.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identity.name}`,
    name: identity.name,
    type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    location: identity.location,
    tags: {},
    properties: {
      tenantId: estate.tenantId,
      principalId: identity.principalId,
      clientId: identity.clientId,
      // 2024-11-30 adds it; `None` unless the identity is isolated to its region.
      isolationScope: "None",
    },
  };
}

export function routeManagedIdentity(
  request: FakeRequest,
  estate: FakeEstate,
): RouteResult | undefined {
  const match = USER_ASSIGNED.exec(request.path);

  if (!match || request.method !== "GET") {
    return undefined;
  }

  const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const identity = (estate.userAssignedIdentities ?? []).find(
    (candidate) =>
      same(subscriptionId, estate.subscriptionId) &&
      same(candidate.resourceGroup, resourceGroup) &&
      same(candidate.name, name),
  );

  return identity
    ? json(renderIdentity(estate, identity))
    : notFound(`Microsoft.ManagedIdentity/userAssignedIdentities/${name}`);
}
