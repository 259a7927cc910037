/**
 * Maps Key Vault SDK models (data plane and management plane) to snapshot
 * data. Only properties: the SDK calls used never return a value.
 */
import type { Secret as ManagementSecret, Vault } from "@azure/arm-keyvault";
import type {
  DeletedSecret,
  SecretProperties as SdkSecretProperties,
} from "@azure/keyvault-secrets";

import type {
  DeletedSecretProperties,
  SecretProperties,
  SecretVersionProperties,
  VaultSnapshot,
} from "../snapshot/snapshot.js";

// Without the data plane's `managed` flag, a certificate's backing secret is
// recognised by the content types Key Vault gives it.
const CERTIFICATE_CONTENT_TYPES = new Set(["application/x-pkcs12", "application/x-pem-file"]);

function iso(date: Date | undefined): string | undefined {
  return date?.toISOString();
}

export function observeSecret(properties: SdkSecretProperties): SecretProperties {
  return {
    name: properties.name,
    version: properties.version,
    enabled: properties.enabled ?? true,
    createdOn: iso(properties.createdOn),
    updatedOn: iso(properties.updatedOn),
    expiresOn: iso(properties.expiresOn),
    notBefore: iso(properties.notBefore),
    managed: properties.managed ?? false,
    contentType: properties.contentType,
  };
}

export function observeSecretVersion(properties: SdkSecretProperties): SecretVersionProperties {
  return {
    version: properties.version ?? "",
    enabled: properties.enabled ?? true,
    createdOn: iso(properties.createdOn),
    updatedOn: iso(properties.updatedOn),
    expiresOn: iso(properties.expiresOn),
    notBefore: iso(properties.notBefore),
  };
}

export function observeDeletedSecret(deleted: DeletedSecret): DeletedSecretProperties {
  return {
    name: deleted.name,
    deletedOn: iso(deleted.properties.deletedOn),
    scheduledPurgeDate: iso(deleted.properties.scheduledPurgeDate),
  };
}

export function observeManagementSecret(secret: ManagementSecret): SecretProperties {
  const attributes = secret.properties.attributes;
  const contentType = secret.properties.contentType;

  return {
    name: secret.name ?? "",
    version: secret.properties.secretUriWithVersion?.split("/").at(-1) || undefined,
    enabled: attributes?.enabled ?? true,
    createdOn: iso(attributes?.created),
    updatedOn: iso(attributes?.updated),
    expiresOn: iso(attributes?.expires),
    notBefore: iso(attributes?.notBefore),
    managed: contentType !== undefined && CERTIFICATE_CONTENT_TYPES.has(contentType),
    contentType,
  };
}

/** The vault resource's permission model and network posture. */
export function observeVaultResource(vault: Vault): Partial<VaultSnapshot> {
  const { properties } = vault;
  const acls = properties.networkAcls;
  const observed: Partial<VaultSnapshot> = {
    // The spec: "If null or not specified, the vault is created with the default value of false".
    enableRbacAuthorization: properties.enableRbacAuthorization ?? false,
    accessPolicies: (properties.accessPolicies ?? []).map((policy) => ({
      tenantId: policy.tenantId,
      objectId: policy.objectId,
      applicationId: policy.applicationId,
      secrets: policy.permissions.secrets ?? [],
      keys: policy.permissions.keys ?? [],
      certificates: policy.permissions.certificates ?? [],
    })),
  };

  if (properties.publicNetworkAccess !== undefined) {
    observed.publicNetworkAccess = properties.publicNetworkAccess;
  }

  if (acls) {
    observed.networkAcls = {
      defaultAction: acls.defaultAction,
      bypass: acls.bypass,
      ipRules: (acls.ipRules ?? []).map((rule) => rule.value),
      virtualNetworkRules: (acls.virtualNetworkRules ?? []).map((rule) => rule.id),
    };
  }

  return observed;
}
