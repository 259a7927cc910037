/**
 * What a role definition lets its holder do, read from the permissions
 * collected this run rather than from its name: a custom role can carry any
 * name, and a built-in's name does not say what its data actions reach.
 */
import type { RoleDefinition } from "../snapshot/snapshot.js";
import { patternCovers } from "./action-patterns.js";

type Permission = NonNullable<RoleDefinition["permissions"]>[number];

/**
 * Operations that make a role privileged, probed against its actions after
 * its notActions, so `*` minus every write is a reader and `*` minus the
 * Authorization writes is still a contributor. Each hands out or takes
 * access: writing role assignments or definitions (editing a role one
 * holds is granting it), a vault's access policies or settings, a storage
 * account's keys, or any deployment (Contributor's reach).
 */
const PRIVILEGED_OPERATIONS = [
  "Microsoft.Authorization/roleAssignments/write",
  "Microsoft.Authorization/roleDefinitions/write",
  "Microsoft.KeyVault/vaults/accessPolicies/write",
  "Microsoft.KeyVault/vaults/write",
  "Microsoft.Storage/storageAccounts/listKeys/action",
  "Microsoft.Resources/deployments/write",
];

/** Reading or replacing a secret value: what a wildcard on secrets reaches. */
const SECRET_VALUE_ACTIONS = [
  "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  "Microsoft.KeyVault/vaults/secrets/setSecret/action",
];

/**
 * Key Vault data actions that read names, dates and public material, never
 * a secret value (that is `getSecret/action`). Key Vault Reader's data
 * actions are a read of every vault object type and `readMetadata/action`.
 */
const METADATA_READS = [/\/readMetadata\/action$/i, /^Microsoft\.KeyVault\/vaults\/.*\/read$/i];

/** The definition's permissions, or undefined when the snapshot has none to judge. */
export function permissionsOf(definition: RoleDefinition | undefined): Permission[] | undefined {
  const permissions = definition?.permissions;

  return permissions && permissions.length > 0 ? permissions : undefined;
}

/**
 * True when the role can change who has access, write everything, or reach
 * every secret value through a wildcard. A pattern a `notActions` entry
 * covers does not count; a narrower exclusion (Contributor's, of writes
 * under Microsoft.Authorization, from `*`) leaves the rest standing.
 */
export function grantsPrivilege(definition: RoleDefinition | undefined): boolean {
  return (permissionsOf(definition) ?? []).some(
    (permission) => grantsPrivilegedAction(permission) || grantsEverySecret(permission),
  );
}

function grantsPrivilegedAction({ actions, notActions }: Permission): boolean {
  return PRIVILEGED_OPERATIONS.some((operation) => grantsOperation(actions, notActions, operation));
}

/** An exact grant of one secret action (Secrets User's getSecret) is ordinary use. */
function grantsEverySecret({ dataActions, notDataActions }: Permission): boolean {
  const wildcards = dataActions.filter((action) => action.includes("*"));

  return SECRET_VALUE_ACTIONS.some((operation) =>
    grantsOperation(wildcards, notDataActions, operation),
  );
}

/** True when a pattern grants the operation and no exclusion takes it back. */
function grantsOperation(granted: string[], excluded: string[], operation: string): boolean {
  return (
    granted.some((pattern) => patternCovers(pattern, operation)) &&
    !excluded.some((pattern) => patternCovers(pattern, operation))
  );
}

/**
 * True when some data action the role grants goes beyond metadata reads.
 * Key Vault Reader lists names and dates and cannot read a value (pitfall
 * A17 B): the auditor's own least-privilege grant is no data access.
 */
export function grantsDataAccess(permissions: Permission[]): boolean {
  return permissions.some(({ dataActions, notDataActions }) =>
    dataActions
      .filter((action) => !notDataActions.some((n) => patternCovers(n, action)))
      .some((action) => !METADATA_READS.some((metadata) => metadata.test(action))),
  );
}
