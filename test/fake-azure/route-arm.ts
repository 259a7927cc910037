/**
 * The fake ARM's router: each resource provider's handler gets a look, and
 * anything unknown gets ARM's 404. Writes are refused and flagged, since the
 * auditor only ever reads (its only POSTs are the `config/.../list` reads and
 * Resource Graph queries).
 */
import type { FakeEstate } from "./estate-model.js";
import { azureError } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";
import { routeAppService } from "./routes-appservice.js";
import { routeAuthorization } from "./routes-authorization.js";
import { routeKeyVaultMgmt } from "./routes-keyvault-mgmt.js";
import { routeManagedIdentity } from "./routes-managed-identity.js";
import { routeResourceGraph } from "./routes-resourcegraph.js";
import type { VaultUrlOf } from "./routes-keyvault-mgmt.js";

/** The resource Key Vault's challenge names; tokens must be issued for it. */
export const VAULT_AUDIENCE = "https://vault.azure.net";

function isRead(request: FakeRequest): boolean {
  const isQuery = /^\/providers\/Microsoft\.ResourceGraph\/resources$/i.test(request.path);

  return (
    request.method === "GET" ||
    (request.method === "POST" && (/\/list$/i.test(request.path) || isQuery))
  );
}

export function routeArm(
  request: FakeRequest,
  estate: FakeEstate,
  vaultUrl: VaultUrlOf,
): RouteResult {
  if (!request.query.get("api-version")) {
    return azureError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }

  // The SDKs paste a scope into `/{scope}/providers/...` verbatim, so a scope
  // given with its leading slash yields `//subscriptions/...`. Whether ARM
  // tolerates that is not documented; fail loudly instead of matching nothing.
  if (request.path.includes("//")) {
    return azureError(400, "FakeRejectsDoubleSlash", `Path '${request.path}' contains '//'.`);
  }

  if (!isRead(request)) {
    return {
      ...azureError(405, "FakeIsReadOnly", "The auditor must never change a resource."),
      write: true,
    };
  }

  const routed =
    routeAppService(request, estate) ??
    routeAuthorization(request, estate) ??
    routeKeyVaultMgmt(request, estate, vaultUrl) ??
    routeManagedIdentity(request, estate) ??
    routeResourceGraph(request, estate);

  return (
    routed ??
    azureError(404, "InvalidResourceType", `The fake has no resource type at '${request.path}'.`)
  );
}
