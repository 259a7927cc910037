/**
 * Reads each bound vault: its resource (permission model, access policies,
 * network rules) from ARM, and its secrets' properties from the data plane,
 * falling back to the management plane when the data plane refuses us.
 * Versions and deleted secrets are read only when an answer needs them.
 */
import type { VaultBinding } from "../policy/policy-model.js";
import type {
  CollectionGap,
  SecretProperties,
  SiteSnapshot,
  VaultSnapshot,
} from "../snapshot/snapshot.js";
import type { CollectContext } from "./collect-context.js";
import { collectAll } from "./collection-record.js";
import { listSecretVersions } from "./list-secret-versions.js";
import type { VersionListing } from "./list-secret-versions.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";
import {
  observeDeletedSecret,
  observeManagementSecret,
  observeSecret,
  observeVaultResource,
} from "./observe-vault.js";
import { isAzureRestError, isCredentialError, toCollectionGap } from "./to-collection-gap.js";
import {
  findAbsentSecrets,
  findSecretsNeedingVersions,
  findVaultReferences,
  findWantedSecrets,
  needsCurrentVersions,
} from "./vault-needs.js";

/** Names used in `CollectionGap.what` (and `notFound.what`) by this stage. */
export const VAULT_READS = {
  vault: "vault",
  secrets: "secrets",
  managementPlaneSecrets: "secrets.managementPlane",
  secretVersions: "secretVersions",
  deletedSecrets: "deletedSecrets",
} as const;

type Refusal = NonNullable<VaultSnapshot["dataPlaneRefusal"]>;

type Listing =
  | { source: "dataPlane"; secrets: SecretProperties[] }
  | { source: "managementPlane"; secrets: SecretProperties[]; refusal: Refusal }
  | { source: "none" };

async function listManagementPlane(context: CollectContext, binding: VaultBinding, what: string) {
  const secrets = await context.record.read(binding.resourceId, what, () =>
    collectAll(
      context.clients.keyVaultManagement.secrets.list(binding.resourceGroup, binding.name),
    ),
  );

  return secrets?.map(observeManagementSecret);
}

/** Secret properties from the data plane, else from ARM; never "missing" on failure. */
async function listSecrets(context: CollectContext, binding: VaultBinding): Promise<Listing> {
  try {
    const client = context.clients.secrets(binding.vaultUrl);
    const secrets = await collectAll(client.listPropertiesOfSecrets());

    return { source: "dataPlane", secrets: secrets.map(observeSecret) };
  } catch (error) {
    if (!isAzureRestError(error) && !isCredentialError(error)) {
      throw error;
    }

    const refused = toCollectionGap(error, binding.resourceId, VAULT_READS.secrets);
    const secrets = await listManagementPlane(context, binding, VAULT_READS.managementPlaneSecrets);
    if (!secrets) {
      context.record.addGap(refused);

      return { source: "none" };
    }

    const { statusCode, errorCode, reason } = refused;

    return { source: "managementPlane", secrets, refusal: { statusCode, errorCode, reason } };
  }
}

/** Fills each secret's current version id from the management plane, which lists it. */
async function addCurrentVersions(
  context: CollectContext,
  binding: VaultBinding,
  vault: VaultSnapshot,
) {
  const listed = await listManagementPlane(context, binding, VAULT_READS.managementPlaneSecrets);
  const versions = new Map(listed?.map((s) => [s.name.toLowerCase(), s.version]));

  vault.secrets = vault.secrets.map((secret) => {
    const version = secret.version ?? versions.get(secret.name.toLowerCase());

    return version === undefined ? secret : { ...secret, version };
  });
}

/**
 * The listing ran out of time: the rules that need versions must not judge
 * the pages that did arrive, so the whole list is a gap.
 */
function timeLimitGap(
  resourceId: string,
  listing: Extract<VersionListing, { complete: false }>,
  timeLimitMs: number,
): CollectionGap {
  return {
    resourceId,
    what: VAULT_READS.secretVersions,
    reason:
      `the listing was cut off at its time limit of ${timeLimitMs / 1000} s after ` +
      `${listing.pagesRead} pages (${listing.versionsRead} versions), and Key Vault has no ` +
      "newest-first query to read fewer; run the audit again at a quieter hour, or raise " +
      "the collector's versionListingTimeoutMs",
    statusCode: undefined,
    errorCode: "VersionListingTimedOut",
  };
}

/** Each secret's versions are listed once per run, however many settings point at it. */
async function addVersions(
  context: CollectContext,
  binding: VaultBinding,
  vault: VaultSnapshot,
  names: string[],
) {
  const client = context.clients.secrets(binding.vaultUrl);
  const timeLimitMs = context.versionListingTimeoutMs;

  for (const name of names) {
    const resourceId = `${binding.resourceId}/secrets/${name}`;
    const listing = await context.record.read(resourceId, VAULT_READS.secretVersions, () =>
      listSecretVersions(client, name, timeLimitMs),
    );
    if (!listing) {
      continue;
    }

    if (!listing.complete) {
      context.record.addGap(timeLimitGap(resourceId, listing, timeLimitMs));
      continue;
    }

    vault.secrets = vault.secrets.map((s) =>
      s.name === name ? { ...s, versions: listing.versions } : s,
    );
  }
}

async function addDeletedSecrets(
  context: CollectContext,
  binding: VaultBinding,
  vault: VaultSnapshot,
) {
  const client = context.clients.secrets(binding.vaultUrl);
  const deleted = await context.record.read(binding.resourceId, VAULT_READS.deletedSecrets, () =>
    collectAll(client.listDeletedSecrets()),
  );

  if (deleted) {
    vault.deletedSecrets = deleted.map(observeDeletedSecret);
  }
}

/** Reads that only the data plane can answer, when it refused us, are gaps. */
function recordUnreadable(
  context: CollectContext,
  vault: VaultSnapshot,
  what: string,
  names: string[],
) {
  context.record.addGap({
    resourceId: vault.resourceId,
    what,
    reason: `Only Key Vault's data plane can answer this for ${names.join(", ")}, and it refused the auditor.`,
    statusCode: vault.dataPlaneRefusal?.statusCode,
    errorCode: vault.dataPlaneRefusal?.errorCode,
  });
}

async function addDetails(
  context: CollectContext,
  binding: VaultBinding,
  vault: VaultSnapshot,
  sites: SiteSnapshot[],
) {
  const references = findVaultReferences(sites, binding.name);
  const wanted = findWantedSecrets(context.policy, vault.key, references);
  const dataPlane = vault.secretsSource === "dataPlane";

  if (dataPlane && needsCurrentVersions(references)) {
    await addCurrentVersions(context, binding, vault);
  }

  const needVersions = findSecretsNeedingVersions(vault, wanted, references);
  if (needVersions.length > 0 && dataPlane) {
    await addVersions(context, binding, vault, needVersions);
  } else if (needVersions.length > 0) {
    recordUnreadable(context, vault, VAULT_READS.secretVersions, needVersions);
  }

  const absent = findAbsentSecrets(vault, wanted);
  if (absent.length > 0 && dataPlane) {
    await addDeletedSecrets(context, binding, vault);
  } else if (absent.length > 0) {
    recordUnreadable(context, vault, VAULT_READS.deletedSecrets, absent);
  }
}

async function collectVault(
  context: CollectContext,
  key: string,
  binding: VaultBinding,
  sites: SiteSnapshot[],
) {
  const resource = await context.record.read(
    binding.resourceId,
    VAULT_READS.vault,
    () => context.clients.keyVaultManagement.vaults.get(binding.resourceGroup, binding.name),
    { notFoundIsData: true },
  );
  const vaultGone = context.record.notFound.some((n) => n.resourceId === binding.resourceId);
  if (vaultGone) {
    return undefined;
  }

  const listing = await listSecrets(context, binding);
  const vault: VaultSnapshot = {
    key,
    name: binding.name,
    resourceId: binding.resourceId,
    vaultUrl: binding.vaultUrl,
    secrets: listing.source === "none" ? [] : listing.secrets,
    ...(resource ? observeVaultResource(resource) : {}),
  };

  if (listing.source === "managementPlane") {
    vault.dataPlaneRefusal = listing.refusal;
  }
  if (listing.source !== "none") {
    vault.secretsSource = listing.source;
    await addDetails(context, binding, vault, sites);
  }

  return vault;
}

/** Every bound vault; one that ARM says does not exist is recorded as not found. */
export async function collectVaults(
  context: CollectContext,
  sites: SiteSnapshot[],
): Promise<VaultSnapshot[]> {
  const bindings = Object.entries(context.policy.vaults);
  const vaults = await mapWithConcurrency(bindings, context.concurrency, ([key, binding]) =>
    collectVault(context, key, binding, sites),
  );

  return vaults.filter((vault): vault is VaultSnapshot => vault !== undefined);
}
