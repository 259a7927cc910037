/**
 * The snapshot: what collectors saw in Azure, as plain JSON-safe data.
 * It never holds a secret value or an app setting value: setting values are
 * classified in memory by the collector and only the class is kept here.
 */

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** What a setting value looked like; the value itself is dropped. */
export type SettingValueKind = "keyVaultReference" | "appConfigReference" | "plaintext" | "empty";

/**
 * Every description the collector may give a plaintext value. A snapshot
 * is a file anyone can edit, so reports print only these words.
 */
export const VALUE_SHAPES = [
  "PEM private key",
  "connection string with AccountKey",
  "connection string with SharedAccessKey",
  "connection string with Password",
  "connection string with InstrumentationKey",
  "URL with embedded credentials",
  "URL with SAS signature",
  "JWT",
  "GitHub token",
  "AWS access key id",
  "Slack token",
  "Stripe key",
  "Google API key",
  "key-like string",
] as const;

export type ValueShape = (typeof VALUE_SHAPES)[number];

/** A parsed `@Microsoft.KeyVault(...)` reference. Names only, never a value. */
export interface KeyVaultReference {
  form: "SecretUri" | "VaultName";
  vaultName: string;
  secretName: string;
  /** Undefined when the reference follows the latest version. */
  secretVersion: string | undefined;
  /** Set when the text looked like a reference but could not be parsed. */
  malformed?: string;
}

/** A parsed `@Microsoft.AppConfiguration(...)` reference. Names only. */
export interface AppConfigReference {
  /** Host of the App Configuration store, e.g. `myconfig.azconfig.io`. */
  endpoint: string;
  key: string;
  label: string | undefined;
  /** Set when the text looked like a reference but could not be parsed. */
  malformed?: string;
}

export interface SettingObservation {
  name: string;
  kind: "appSetting" | "connectionString";
  valueKind: SettingValueKind;
  reference?: KeyVaultReference;
  /** For plaintext: what kind of secret the value resembled, never the value. */
  valueShape?: string;
  /** For appConfigReference values. */
  appConfigReference?: AppConfigReference;
  /** For connection strings: the declared type, e.g. `SQLAzure` or `Custom`. */
  connectionStringType?: string;
}

/**
 * App Service's own report on one Key Vault reference (the configreferences
 * API). The reference text itself is not kept: it is a setting value.
 */
export interface ConfigReferenceStatus {
  /** App setting or connection string name. */
  name: string;
  kind: "appSetting" | "connectionString";
  /** `Resolved`, `AccessToKeyVaultDenied`, `Initialized`... as reported. */
  status: string | undefined;
  vaultName: string | undefined;
  secretName: string | undefined;
  secretVersion: string | undefined;
  /** The secret version App Service is serving to the app. */
  activeVersion: string | undefined;
  /** Identity type App Service resolved with, e.g. `SystemAssigned`. */
  identityType: string | undefined;
  details: string | undefined;
}

export interface ManagedIdentity {
  type: string;
  principalId: string | undefined;
  tenantId: string | undefined;
  userAssigned: { resourceId: string; principalId: string; clientId: string }[];
}

export interface SiteSnapshot {
  /** ARM id of the site, or of the slot (`.../sites/app/slots/staging`). */
  resourceId: string;
  name: string;
  resourceGroup: string;
  slot: string | undefined;
  kind: string | undefined;
  identity: ManagedIdentity | undefined;
  /** `SystemAssigned` or the ARM id of a user-assigned identity. */
  keyVaultReferenceIdentity: string | undefined;
  settings: SettingObservation[];
  /**
   * The app's sticky (slot) setting names. One list per app, read from the
   * production site and copied onto each of its slots.
   */
  slotConfigNames?: { appSettingNames: string[]; connectionStringNames: string[] };
  /** Present when App Service's configreferences API answered for this site. */
  configReferences?: ConfigReferenceStatus[];
  /** The site's outbound IPs, for judging vault firewalls (A08). */
  outboundIpAddresses?: string[];
  /** Subnet of regional VNet integration, when the site has one. */
  virtualNetworkSubnetId?: string;
}

/** Secret properties as listed by Key Vault; never the value. */
export interface SecretProperties {
  name: string;
  version: string | undefined;
  enabled: boolean;
  createdOn: string | undefined;
  updatedOn: string | undefined;
  expiresOn: string | undefined;
  notBefore: string | undefined;
  managed: boolean;
  contentType: string | undefined;
  /** Every version, newest first; present only when the audit needed them. */
  versions?: SecretVersionProperties[];
}

export interface SecretVersionProperties {
  version: string;
  enabled: boolean;
  createdOn: string | undefined;
  updatedOn: string | undefined;
  expiresOn: string | undefined;
  notBefore: string | undefined;
}

/** A soft-deleted secret, recoverable until its purge date. */
export interface DeletedSecretProperties {
  name: string;
  deletedOn: string | undefined;
  scheduledPurgeDate: string | undefined;
}

/** One access policy entry of a vault in access-policy mode. */
export interface AccessPolicy {
  tenantId: string;
  objectId: string;
  applicationId: string | undefined;
  secrets: string[];
  keys: string[];
  certificates: string[];
}

export interface VaultSnapshot {
  /** Key of the vault in the policy bindings. */
  key: string;
  name: string;
  resourceId: string;
  vaultUrl: string;
  secrets: SecretProperties[];
  /**
   * Where `secrets` came from: the data plane, or the management plane when
   * the data plane refused us (then `managed` is inferred from contentType).
   */
  secretsSource?: "dataPlane" | "managementPlane";
  /** Why the data plane refused us, when it did. */
  dataPlaneRefusal?: {
    statusCode: number | undefined;
    errorCode: string | undefined;
    reason: string;
  };
  /** Present when listed: only when a documented secret was not in the vault. */
  deletedSecrets?: DeletedSecretProperties[];
  /** From the vault resource; undefined when it could not be read. */
  enableRbacAuthorization?: boolean;
  accessPolicies?: AccessPolicy[];
  publicNetworkAccess?: string;
  networkAcls?: {
    defaultAction: string | undefined;
    bypass: string | undefined;
    ipRules: string[];
    virtualNetworkRules: string[];
  };
}

export interface RoleAssignment {
  id: string;
  scope: string;
  principalId: string;
  principalType: string | undefined;
  roleDefinitionId: string;
  condition: string | undefined;
}

export interface RoleDefinition {
  id: string;
  roleName: string;
  /** `BuiltInRole` or `CustomRole`. */
  roleType: string;
  permissions?: {
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
  }[];
  assignableScopes?: string[];
}

/** A principal a deny assignment names: object id and type only, never a name or email. */
export interface DenyAssignmentPrincipal {
  /** Object id; `00000000-0000-0000-0000-000000000000` (type `SystemDefined`) is everyone. */
  id: string;
  type: string | undefined;
}

/**
 * A deny assignment: actions blocked for its principals at its scope even
 * where a role grants them. Azure creates these (deployment stacks, managed
 * applications); nobody can assign one directly.
 */
export interface DenyAssignment {
  id: string;
  denyAssignmentName: string;
  scope: string;
  permissions: {
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
    /** The permission's own ABAC condition, recorded and never evaluated. */
    condition?: string;
    conditionVersion?: string;
  }[];
  principals: DenyAssignmentPrincipal[];
  excludePrincipals: DenyAssignmentPrincipal[];
  /** When true, it applies at its scope only, not to resources below it. */
  doNotApplyToChildScopes: boolean;
  isSystemProtected: boolean;
  /**
   * An ABAC condition that narrows where the deny applies (an attribute
   * test, e.g. on a container name). Recorded, never evaluated; absent when
   * the deny assignment has none or the snapshot predates conditions.
   */
  condition?: string;
  /** The condition language version, e.g. `2.0`. */
  conditionVersion?: string;
}

/**
 * `CollectionGap.what` (and `notFound.what`) of reads that rules and the
 * snapshot's own checks look up by name: one spelling for both sides.
 */
export const GAP_WHAT = {
  appSettingReferences: "configReferences.appSettings",
  scopeAssignments: "roleAssignments.scope",
  groupAssignments: "roleAssignments.viaGroups",
  denyAssignments: "denyAssignments",
  roleCrossCheck: "roleAssignments.resourceGraph",
  userAssignedIdentity: "userAssignedIdentity",
  directoryPrincipal: "directoryPrincipal",
} as const;

/** `CollectionGap.errorCode` of a part an older or hand-made snapshot file does not record. */
export const SNAPSHOT_FIELD_MISSING = "SnapshotFieldMissing";

/**
 * Something the collectors could not read. Rules never treat a gap as
 * "missing": a gap makes the run incomplete and becomes its own finding.
 */
export interface CollectionGap {
  /** ARM id (or vault URL) of what could not be read. */
  resourceId: string;
  /** What was being read, e.g. `secrets`, `appSettings`, `roleAssignments`. */
  what: string;
  reason: string;
  statusCode: number | undefined;
  errorCode: string | undefined;
  /** For role listings: whose assignments could not be read. */
  principalId?: string;
}

/** A user-assigned identity read on its own, because no audited site carries it. */
export interface UserAssignedIdentityObservation {
  /** ARM id of the identity, as the bindings name it. */
  resourceId: string;
  principalId: string;
  clientId: string;
  tenantId: string | undefined;
}

/** The Microsoft Graph collections a principal is looked up in. */
export type DirectoryObjectKind = "servicePrincipal" | "user" | "group";

/**
 * `/servicePrincipals/<id>`: where a principal was looked up, the resource
 * id its gaps and findings carry, so the two can be matched.
 */
export function directoryObjectPath(kind: DirectoryObjectKind, objectId: string): string {
  return `/${kind}s/${objectId}`;
}

/**
 * A principal bound by object id, looked up in Microsoft Entra ID. Role
 * assignments outlive their principal, so only the directory can say it is
 * gone. A lookup that failed is a gap, not an observation.
 */
export interface DirectoryPrincipalObservation {
  objectId: string;
  kind: DirectoryObjectKind;
  exists: boolean;
  /** For a service principal: `Application`, `ManagedIdentity`... */
  servicePrincipalType?: string;
}

/** A role assignment as Resource Graph's `authorizationresources` table shows it. */
export interface GraphRoleAssignment {
  id: string;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
}

/**
 * What Resource Graph showed that ARM's role-assignment listings did not.
 * Only assignments that a listing the audit relied on should have returned
 * count: one for a principal whose listing succeeded, or at, above or below
 * a documented scope whose listing succeeded.
 */
export interface RoleCrossCheck {
  /** False when Resource Graph could not be asked; a gap then says why. */
  checked: boolean;
  /** Assignments in Resource Graph that no such listing returned. */
  missingFromListing: GraphRoleAssignment[];
}

/** A definite 404: the resource does not exist (unlike a gap, which is unknown). */
export interface NotFoundObservation {
  resourceId: string;
  /** `site`, `slot`, `vault`... */
  what: string;
}

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  collectedAt: string;
  subscriptionId: string;
  vaults: VaultSnapshot[];
  sites: SiteSnapshot[];
  /** Principal ids whose assignments were listed, so absence means absence. */
  principalsQueried: string[];
  roleAssignments: RoleAssignment[];
  roleDefinitions: RoleDefinition[];
  gaps: CollectionGap[];
  /** Resources Azure answered 404 for: absent for sure. */
  notFound?: NotFoundObservation[];
  /** Scopes whose assignments were all listed (at, above and below the scope). */
  scopesQueried?: string[];
  /**
   * For each queried principal, the groups through which it holds role
   * assignments (from `assignedTo()`); empty when it has none. Absent for a
   * principal whose group grants could not be read.
   */
  principalGroups?: Record<string, string[]>;
  /**
   * Deny assignments at, above and below each documented scope, de-duplicated
   * by id. Absent in snapshots taken before they were collected.
   */
  denyAssignments?: DenyAssignment[];
  /**
   * The role-assignment listings checked against Azure Resource Graph (A13:
   * a listing can answer an empty page with HTTP 200). Absent in snapshots
   * taken before the check existed.
   */
  roleCrossCheck?: RoleCrossCheck;
  /**
   * Documented user-assigned identities that no audited site carries, read
   * from Microsoft.ManagedIdentity. Absent in snapshots taken before they were.
   */
  userAssignedIdentities?: UserAssignedIdentityObservation[];
  /**
   * Principals bound by object id, as Microsoft Entra ID answered for them.
   * Absent when they were not looked up (`verifyPrincipals: false`, or a
   * snapshot taken before they were).
   */
  directoryPrincipals?: DirectoryPrincipalObservation[];
}
