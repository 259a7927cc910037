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
import { directoryObjectPath, GAP_WHAT } from "../snapshot/snapshot.js";
import type { DirectoryObjectKind, DirectoryPrincipalObservation } from "../snapshot/snapshot.js";
import type { CollectContext } from "./collect-context.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";

/** Name used in `CollectionGap.what` for these reads. */
export const DIRECTORY_READ = GAP_WHAT.directoryPrincipal;

interface Lookup {
  objectId: string;
  /** Where to look, in order: one collection when the doc says, else all three. */
  kinds: DirectoryObjectKind[];
}

const ALL_KINDS: DirectoryObjectKind[] = ["servicePrincipal", "user", "group"];

/**
 * The doc's PrincipalType column says where to look first. A 404 in one
 * collection proves nothing about the others (the doc may have the type
 * wrong), so all are asked before the principal is called gone.
 */
function kindsOf(identity: IdentityRequirement): DirectoryObjectKind[] {
  const stated = ALL_KINDS.find(
    (kind) => kind.toLowerCase() === identity.principalType?.toLowerCase(),
  );

  return stated ? [stated, ...ALL_KINDS.filter((kind) => kind !== stated)] : ALL_KINDS;
}

function findLookups(context: CollectContext): Lookup[] {
  const lookups = context.policy.identities.flatMap((identity) =>
    identity.principal?.kind === "objectId"
      ? [{ objectId: identity.principal.objectId.toLowerCase(), kinds: kindsOf(identity) }]
      : [],
  );

  return [...new Map(lookups.map((l) => [l.objectId, l])).values()];
}

/** The first collection that has it; gone only if none does; a failed read decides nothing. */
async function lookUp(
  context: CollectContext,
  { objectId, kinds }: Lookup,
): Promise<DirectoryPrincipalObservation | undefined> {
  for (const kind of kinds) {
    const answer = await context.record.read(
      directoryObjectPath(kind, objectId),
      DIRECTORY_READ,
      () => context.clients.directory.lookup(kind, objectId),
      { principalId: objectId },
    );

    if (!answer) {
      return undefined;
    }

    if (answer.exists) {
      return { objectId, kind, ...answer };
    }
  }

  return { objectId, kind: kinds[0] ?? "servicePrincipal", exists: false };
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
