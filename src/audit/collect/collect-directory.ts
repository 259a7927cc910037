/**
 * Principals the bindings give by object id (CI principals, mostly), looked
 * up in Microsoft Entra ID through Microsoft Graph. ARM cannot answer this:
 * a deleted principal's role assignments stay behind and still list, so
 * only the directory can say the principal is gone.
 *
 * Managed identities are not looked up: ARM shows them on their app or as
 * a user-assigned identity resource, and deleting either deletes them.
 */
import type { IdentityRequirement } from "../policy/policy-model.js";
import type { DirectoryObjectKind, DirectoryPrincipalObservation } from "../snapshot/snapshot.js";
import type { CollectContext } from "./collect-context.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";

/** Name used in `CollectionGap.what` for these reads. */
export const DIRECTORY_READ = "directoryPrincipal";

interface Lookup {
  objectId: string;
  kind: DirectoryObjectKind;
}

/** The doc's PrincipalType column picks the collection; CI principals are apps. */
function kindOf(identity: IdentityRequirement): DirectoryObjectKind {
  switch (identity.principalType?.toLowerCase()) {
    case "user":
      return "user";
    case "group":
      return "group";
    default:
      return "servicePrincipal";
  }
}

function findLookups(context: CollectContext): Lookup[] {
  const lookups = context.policy.identities.flatMap((identity) =>
    identity.principal?.kind === "objectId"
      ? [{ objectId: identity.principal.objectId.toLowerCase(), kind: kindOf(identity) }]
      : [],
  );

  return [...new Map(lookups.map((l) => [`${l.kind}/${l.objectId}`, l])).values()];
}

async function lookUp(
  context: CollectContext,
  { objectId, kind }: Lookup,
): Promise<DirectoryPrincipalObservation | undefined> {
  const answer = await context.record.read(
    `${context.policy.endpoints.graphEndpoint}/v1.0/${kind}s/${objectId}`,
    DIRECTORY_READ,
    () => context.clients.directory.lookup(kind, objectId),
    { principalId: objectId },
  );

  return answer && { objectId, kind, ...answer };
}

/**
 * Undefined when the bindings turned the lookup off, so the snapshot says
 * "not looked up" rather than "looked up, nothing to report".
 */
export async function collectDirectory(
  context: CollectContext,
): Promise<DirectoryPrincipalObservation[] | undefined> {
  if (!context.policy.endpoints.verifyPrincipals) {
    return undefined;
  }

  const looked = await mapWithConcurrency(findLookups(context), context.concurrency, (lookup) =>
    lookUp(context, lookup),
  );

  return looked.flatMap((observation) => (observation ? [observation] : []));
}
