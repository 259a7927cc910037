/**
 * Documented user-assigned identities that no audited site carries: read
 * from Microsoft.ManagedIdentity, so that their object id (and through it
 * their role assignments) is known. A 404 means the identity was deleted;
 * any other failure is a gap.
 */
import { GAP_WHAT } from "../snapshot/snapshot.js";
import type { UserAssignedIdentityObservation } from "../snapshot/snapshot.js";
import type { CollectContext } from "./collect-context.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";
import type { UnresolvedIdentity } from "./resolve-principals.js";

/** Name used in `CollectionGap.what` and `notFound.what` for these reads. */
export const USER_ASSIGNED_READ = GAP_WHAT.userAssignedIdentity;

const USER_ASSIGNED_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)$/i;

async function readOne(
  context: CollectContext,
  identity: UnresolvedIdentity,
): Promise<UserAssignedIdentityObservation | undefined> {
  const match = USER_ASSIGNED_ID.exec(identity.resourceId);

  if (!match) {
    context.record.addGap({
      resourceId: identity.resourceId,
      what: USER_ASSIGNED_READ,
      reason:
        `The bindings give ${identity.identity} an id that is not a user-assigned identity's ` +
        "ARM id, so it could not be read.",
      statusCode: undefined,
      errorCode: undefined,
    });

    return undefined;
  }

  const [, subscriptionId = "", resourceGroup = "", name = ""] = match;
  const { userAssignedIdentities } = context.clients.managedIdentities(subscriptionId);
  const found = await context.record.read(
    identity.resourceId,
    USER_ASSIGNED_READ,
    () => userAssignedIdentities.get(resourceGroup, name),
    { notFoundIsData: true },
  );

  return found?.principalId
    ? {
        resourceId: identity.resourceId,
        principalId: found.principalId,
        clientId: found.clientId ?? "",
        tenantId: found.tenantId,
      }
    : undefined;
}

/** Reads each identity once; those that could not be read are left out. */
export async function collectUserAssigned(
  context: CollectContext,
  identities: UnresolvedIdentity[],
): Promise<UserAssignedIdentityObservation[]> {
  const unique = [...new Map(identities.map((i) => [i.resourceId.toLowerCase(), i])).values()];
  const read = await mapWithConcurrency(unique, context.concurrency, (identity) =>
    readOne(context, identity),
  );

  return read.flatMap((observation) => (observation ? [observation] : []));
}
