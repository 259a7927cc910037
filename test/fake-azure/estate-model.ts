/**
 * The data a fake Azure serves. Tests build one with the builders in
 * `estate-builders.ts` (or start from `makeDefaultEstate()`), hand it to
 * `startFakeAzure()`, and may mutate it between requests: the fake reads it
 * live on every call.
 *
 * Times are unix seconds, as Key Vault puts them on the wire.
 */

/** `identity` block of a site; leave it undefined for a site without one. */
export interface FakeIdentity {
  type: "SystemAssigned" | "UserAssigned" | "SystemAssigned, UserAssigned" | "None";
  principalId?: string;
  tenantId?: string;
  /** Keyed by the ARM id of the user-assigned identity. */
  userAssignedIdentities?: Record<string, { principalId: string; clientId: string }>;
}

/** What App Service reports for one Key Vault reference (configreferences API). */
export interface FakeReferenceStatus {
  status: string;
  vaultName?: string | null;
  secretName?: string | null;
  secretVersion?: string | null;
  activeVersion?: string | null;
  details?: string | null;
}

export interface FakeConnectionString {
  value: string;
  type: string;
}

/** Settings and identity shared by a production site and each of its slots. */
export interface FakeSiteConfig {
  kind: string;
  identity: FakeIdentity | undefined;
  /** `SystemAssigned` or the ARM id of a user-assigned identity. */
  keyVaultReferenceIdentity: string;
  appSettings: Record<string, string>;
  connectionStrings: Record<string, FakeConnectionString>;
  /**
   * Overrides for the configreferences API, by setting name. Without one,
   * the fake derives a status from the estate (Resolved when the vault and
   * secret exist). `null` hides the setting from the API, as the platform
   * does for text it does not recognise as a reference.
   */
  appSettingReferences: Record<string, FakeReferenceStatus | null>;
  connectionStringReferences: Record<string, FakeReferenceStatus | null>;
}

export interface FakeSlot extends FakeSiteConfig {
  name: string;
}

export interface FakeSite extends FakeSiteConfig {
  name: string;
  resourceGroup: string;
  location: string;
  slots: FakeSlot[];
  slotConfigNames: { appSettingNames: string[]; connectionStringNames: string[] };
}

export interface FakeSecretVersion {
  /** 32 hex characters. */
  version: string;
  /**
   * Planted so tests can prove it never leaves the fake: no endpoint the
   * auditor may call returns it.
   */
  value: string;
  enabled: boolean;
  created: number;
  updated: number;
  notBefore?: number;
  expires?: number;
  contentType?: string;
  tags?: Record<string, string>;
}

export interface FakeSecret {
  name: string;
  /** Certificate-backed secrets carry `managed: true`. */
  managed?: boolean;
  /** The current version is the one created last. */
  versions: FakeSecretVersion[];
}

export interface FakeDeletedSecret {
  name: string;
  deletedDate: number;
  scheduledPurgeDate: number;
  current: FakeSecretVersion;
}

export interface FakeAccessPolicy {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[] };
}

export interface FakeVault {
  name: string;
  resourceGroup: string;
  location: string;
  enableRbacAuthorization: boolean;
  accessPolicies: FakeAccessPolicy[];
  publicNetworkAccess: "Enabled" | "Disabled";
  networkAcls?: {
    defaultAction: "Allow" | "Deny";
    bypass: "AzureServices" | "None";
    ipRules: string[];
    virtualNetworkRules: string[];
  };
  secrets: FakeSecret[];
  deletedSecrets: FakeDeletedSecret[];
}

export interface FakeRoleAssignment {
  /** The assignment's GUID name. */
  name: string;
  /** `/`, a management group, subscription, resource group or resource id. */
  scope: string;
  /** Either path form: tenant (`/providers/...`) or subscription-prefixed. */
  roleDefinitionId: string;
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal" | "ForeignGroup";
  condition?: string;
  conditionVersion?: string;
  description?: string;
}

export interface FakeRoleDefinition {
  /** The definition's GUID. */
  name: string;
  roleName: string;
  type: "BuiltInRole" | "CustomRole";
  description: string;
  assignableScopes: string[];
  permissions: {
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
  }[];
}

/** A principal in a deny assignment, as on the wire. */
export interface FakeDenyPrincipal {
  /** Object id; the zero GUID with type `SystemDefined` means everyone. */
  id: string;
  type: string;
}

/** A deny assignment Azure created (deployment stack, managed application). */
export interface FakeDenyAssignment {
  /** The deny assignment's GUID name. */
  name: string;
  /** Its display name. */
  denyAssignmentName: string;
  description: string;
  /** `/`, a management group, subscription, resource group or resource id. */
  scope: string;
  permissions: {
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
  }[];
  principals: FakeDenyPrincipal[];
  excludePrincipals: FakeDenyPrincipal[];
  doNotApplyToChildScopes: boolean;
  isSystemProtected: boolean;
  /** An ABAC condition (in the 2022-04-01 schema, absent from its example). */
  condition?: string;
  conditionVersion?: string;
}

/** A standalone user-assigned identity (Microsoft.ManagedIdentity). */
export interface FakeUserAssignedIdentity {
  resourceGroup: string;
  name: string;
  principalId: string;
  clientId: string;
  location: string;
}

/** An object in Microsoft Entra ID, as Microsoft Graph serves it. */
export interface FakeDirectoryObject {
  id: string;
  kind: "servicePrincipal" | "user" | "group";
  /** For service principals: `Application`, `ManagedIdentity`... */
  servicePrincipalType?: string;
  /** For service principals: the application (client) id. */
  appId?: string;
  displayName: string;
}

export interface FakeEstate {
  tenantId: string;
  subscriptionId: string;
  /** Management groups above the subscription, nearest first. */
  managementGroups: string[];
  /** Group object id → member principal ids (for `assignedTo()` filters). */
  groupMembers: Record<string, string[]>;
  sites: FakeSite[];
  vaults: FakeVault[];
  roleAssignments: FakeRoleAssignment[];
  roleDefinitions: FakeRoleDefinition[];
  denyAssignments: FakeDenyAssignment[];
  /** User-assigned identities served on their own; none when absent. */
  userAssignedIdentities?: FakeUserAssignedIdentity[];
  /** What Microsoft Graph knows; an id not listed answers 404. */
  directoryObjects: FakeDirectoryObject[];
  /** Small pages, so every client must follow nextLink. */
  paging: { armPageSize: number; vaultPageSize: number };
}
