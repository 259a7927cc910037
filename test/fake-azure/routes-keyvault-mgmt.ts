/**
 * Microsoft.KeyVault on the fake ARM: the vault resource (permission model,
 * access policies, vaultUri) and the management-plane secret list, which
 * carries attributes but never values.
 */
import { currentVersionOf } from "./estate-builders.js";
import type { FakeEstate, FakeSecret, FakeVault } from "./estate-model.js";
import { armPage, json, notFound } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";

const VAULT =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)(\/secrets(?:\/([^/]+))?)?$/i;

/** Where a vault's data plane is served; the fake gives each vault its own port. */
export type VaultUrlOf = (vaultName: string) => string;

function vaultId(estate: FakeEstate, vault: FakeVault): string {
  return `/subscriptions/${estate.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.KeyVault/vaults/${vault.name}`;
}

function renderVault(estate: FakeEstate, vault: FakeVault, vaultUrl: VaultUrlOf): unknown {
  const properties: Record<string, unknown> = {
    sku: { family: "A", name: "standard" },
    tenantId: estate.tenantId,
    accessPolicies: vault.accessPolicies.map((policy) => ({
      ...policy,
      permissions: { keys: [], secrets: [], certificates: [], ...policy.permissions },
    })),
    enabledForDeployment: false,
    enabledForDiskEncryption: false,
    enabledForTemplateDeployment: false,
    enableSoftDelete: true,
    softDeleteRetentionInDays: 90,
    enableRbacAuthorization: vault.enableRbacAuthorization,
    hsmPoolResourceId: null,
    vaultUri: `${vaultUrl(vault.name)}/`,
    provisioningState: "Succeeded",
    publicNetworkAccess: vault.publicNetworkAccess,
  };

  if (vault.networkAcls) {
    properties.networkAcls = {
      defaultAction: vault.networkAcls.defaultAction,
      bypass: vault.networkAcls.bypass,
      ipRules: vault.networkAcls.ipRules.map((value) => ({ value })),
      virtualNetworkRules: vault.networkAcls.virtualNetworkRules.map((id) => ({ id })),
    };
  }

  return {
    id: vaultId(estate, vault),
    name: vault.name,
    type: "Microsoft.KeyVault/vaults",
    location: vault.location,
    tags: {},
    systemData: {
      createdBy: "platform-team@example.com",
      createdByType: "User",
      createdAt: "2025-06-01T12:00:00.0000000Z",
      lastModifiedBy: "platform-team@example.com",
      lastModifiedByType: "User",
      lastModifiedAt: "2026-11-01T12:00:00.0000000Z",
    },
    properties,
  };
}

function renderSecret(
  estate: FakeEstate,
  vault: FakeVault,
  secret: FakeSecret,
  vaultUrl: VaultUrlOf,
): unknown {
  const current = currentVersionOf(secret);
  const secretUri = `${vaultUrl(vault.name)}/secrets/${secret.name}`;
  const attributes: Record<string, unknown> = {
    enabled: current?.enabled ?? false,
    created: current?.created,
    updated: current?.updated,
  };

  if (current?.notBefore !== undefined) {
    attributes.nbf = current.notBefore;
  }
  if (current?.expires !== undefined) {
    attributes.exp = current.expires;
  }

  return {
    id: `${vaultId(estate, vault)}/secrets/${secret.name}`,
    name: secret.name,
    type: "Microsoft.KeyVault/vaults/secrets",
    location: vault.location,
    tags: current?.tags ?? {},
    properties: {
      contentType: current?.contentType,
      attributes,
      secretUri,
      secretUriWithVersion: `${secretUri}/${current?.version ?? ""}`,
    },
  };
}

/** Handles Microsoft.KeyVault paths; undefined when the path is not one. */
export function routeKeyVaultMgmt(
  request: FakeRequest,
  estate: FakeEstate,
  vaultUrl: VaultUrlOf,
): RouteResult | undefined {
  const match = VAULT.exec(request.path);
  if (!match || request.method !== "GET") {
    return undefined;
  }

  const [, subscription, group, name, secretsPart, secretName] = match;
  const vault = estate.vaults.find(
    (v) =>
      v.name.toLowerCase() === name?.toLowerCase() &&
      v.resourceGroup.toLowerCase() === group?.toLowerCase(),
  );
  if (!vault || subscription?.toLowerCase() !== estate.subscriptionId.toLowerCase()) {
    return notFound(`Microsoft.KeyVault/vaults/${name ?? ""}`);
  }

  if (!secretsPart) {
    return json(renderVault(estate, vault, vaultUrl));
  }

  if (secretName === undefined) {
    const secrets = vault.secrets.map((s) => renderSecret(estate, vault, s, vaultUrl));

    return armPage(request, secrets, estate.paging.armPageSize);
  }

  const secret = vault.secrets.find((s) => s.name.toLowerCase() === secretName.toLowerCase());

  return secret
    ? json(renderSecret(estate, vault, secret, vaultUrl))
    : notFound(`Microsoft.KeyVault/vaults/${vault.name}/secrets/${secretName}`);
}
