/**
 * The snapshot: what collectors saw in Azure, as plain JSON-safe data.
 * It never holds a secret value or an app setting value: setting values are
 * classified in memory by the collector and only the class is kept here.
 */

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** What a setting value looked like; the value itself is dropped. */
export type SettingValueKind =
  | "keyVaultReference"
  | "appConfigReference"
  | "plaintext"
  | "empty";

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

export interface SettingObservation {
  name: string;
  kind: "appSetting" | "connectionString";
  valueKind: SettingValueKind;
  reference?: KeyVaultReference;
  /** For plaintext: what kind of secret the value resembled, never the value. */
  valueShape?: string;
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
}

export interface VaultSnapshot {
  /** Key of the vault in the policy bindings. */
  key: string;
  name: string;
  resourceId: string;
  vaultUrl: string;
  secrets: SecretProperties[];
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
}

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
}
