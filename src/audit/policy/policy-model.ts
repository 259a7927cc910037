/**
 * The policy model: what the team's document says, bound to real Azure
 * resources by the bindings file. Plain data; built by `loadPolicy()`.
 */

/** Where in a source file a fact came from. Lines and columns are 1-based. */
export interface DocRef {
  file: string;
  line: number;
  column?: number;
}

export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** Where a documented setting lives on an App Service site. */
export type SettingKind = "appSetting" | "connectionString";

export interface SettingRequirement {
  /** The name as the doc writes it, e.g. `ALPACA_API_KEY` or `ConnectionStrings:Main`. */
  name: string;
  kind: SettingKind;
  /** Keys of `Policy.apps` that must carry this setting. */
  apps: string[];
  docRef: DocRef;
  /**
   * A .NET configuration key beside the secret it maps to (`Storage:Key`
   * and `Storage--Key`): the Key Vault configuration provider may load it
   * without any App Service setting, so its absence is not drift.
   */
  configProviderKey?: boolean;
}

export interface SecretRequirement {
  /** Key Vault secret name as documented (compared case-insensitively). */
  name: string;
  /** Key of `Policy.vaults` holding this secret. */
  vault: string;
  purpose: string;
  settings: SettingRequirement[];
  /** Rotation classes this secret belongs to, e.g. `broker-vendor`. */
  rotationClasses: string[];
  /** Strictest limit over its classes; undefined when no rotation is documented. */
  maxAgeDays: number | undefined;
  docRef: DocRef;
}

/** How a documented identity maps to a principal in Entra ID. */
export type PrincipalBinding =
  | { kind: "systemAssigned"; app: string }
  | { kind: "userAssigned"; resourceId: string }
  | { kind: "objectId"; objectId: string };

export interface RoleRequirement {
  /** Role name as resolved, e.g. `Key Vault Secrets User`. */
  roleName: string;
  /** Lower-case GUID of the role definition, when known. */
  roleDefinitionGuid: string | undefined;
  /**
   * ARM resource id of the scope the role must be held at. Empty when the
   * doc's scope could not be bound to a resource (a `SCOPE_UNBOUND` or
   * `MATRIX_SCOPE_UNNAMED` policy finding says so).
   */
  scope: string;
  /** The doc's words for the scope, e.g. `aitraderblobstore` or `Key Vault`. */
  scopeLabel: string;
  docRef: DocRef;
  /** The doc's words for the role or access phrase, e.g. `Key Vault (read secrets)`. */
  roleText?: string;
  /** What kind of scope the doc means, even when it names none. */
  scopeKind?: ScopeKind;
  /**
   * Lower-case role definition GUIDs that each satisfy this requirement; set
   * when the doc names a capability rather than a role (`Key Vault (read
   * secrets)` is met by Secrets User, Secrets Officer or Administrator).
   */
  satisfiedByGuids?: string[];
  /** Access-policy secret permissions that also satisfy it on a vault in access-policy mode. */
  secretPermissions?: string[];
  /** A Cosmos DB SQL data-plane role rather than an Azure RBAC role. */
  dataPlane?: "cosmosDbSql";
  /** ABAC condition the doc attaches to the assignment. */
  condition?: string;
}

export type ScopeKind = "managementGroup" | "subscription" | "resourceGroup" | "resource";

export interface IdentityRequirement {
  name: string;
  principal: PrincipalBinding | undefined;
  /** Expected trailing characters of the object id, from "OID ending …85df". */
  objectIdSuffix: string | undefined;
  roles: RoleRequirement[];
  docRef: DocRef;
  /** What the doc says the identity is: `(SAMI)`, `(UAMI)`, or a CI principal. */
  identityType?: "systemAssigned" | "userAssigned" | "ci";
  /** The doc's `PrincipalType` column (`Group`, `ServicePrincipal`, `User`). */
  principalType?: string;
  /** Where the doc says the identity is used (the seed's `Scope` column). */
  usedBy?: string;
  /** Signs in through a federated credential (`via federated credential`). */
  federated?: boolean;
}

export interface VaultBinding {
  name: string;
  resourceGroup: string;
  /** Data-plane URL, e.g. `https://kv-x.vault.azure.net`. */
  vaultUrl: string;
  resourceId: string;
}

export interface AppBinding {
  name: string;
  resourceGroup: string;
  resourceId: string;
  /** Deployment slots to audit besides production. */
  slots: string[];
  /** Operating system, when the bindings say; Linux apps cannot carry `:` in setting names. */
  os?: "linux" | "windows";
}

/** Where Azure is: public cloud, a sovereign cloud or a loopback fake. */
export interface AzureEndpoints {
  armEndpoint: string;
  /** OAuth scope for ARM tokens, e.g. `https://management.azure.com/.default`. */
  armScope: string;
  /** Needed when a vault is served from a host outside `*.vault.azure.net`. */
  disableChallengeResourceVerification: boolean;
  /** Microsoft Graph, where principals bound by object id are looked up. */
  graphEndpoint: string;
  /** OAuth scope for Graph tokens, e.g. `https://graph.microsoft.com/.default`. */
  graphScope: string;
  /**
   * Look principals bound by object id up in Microsoft Entra ID, so a
   * deleted CI principal is found. Needs Graph read permissions.
   */
  verifyPrincipals: boolean;
}

export interface Waiver {
  ruleId: string;
  subject: string;
  owner: string;
  reason: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer applies. */
  expires: string;
  docRef: DocRef;
}

/** A problem in the policy itself: the doc or the bindings. */
export interface PolicyFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  remediation: string;
  docRef: DocRef;
  /** The secret, setting, identity or waiver the finding is about, when there is one. */
  subject?: string;
}

export interface Policy {
  /** Files read, relative to the policy directory as given. */
  docFile: string;
  bindingsFile: string | undefined;
  subscriptionId: string;
  /**
   * Where `subscriptionId` was read: the bindings' key, or the doc's vault
   * facts table when no bindings were given. Absent when nothing names one.
   */
  subscriptionSource?: { kind: "bindings" | "doc"; docRef: DocRef };
  endpoints: AzureEndpoints;
  vaults: Record<string, VaultBinding>;
  apps: Record<string, AppBinding>;
  secrets: SecretRequirement[];
  identities: IdentityRequirement[];
  /** Expiry warning tiers in days, largest first, e.g. [30, 7, 1]. */
  expiryWarningDays: number[];
  /** Doc is stale when front matter `last_verified` is older than this. */
  docMaxAgeDays: number;
  /** `last_verified` from the doc's front matter, ISO date, when present. */
  lastVerified: string | undefined;
  /** Where `last_verified` is written, so a stale-doc finding can point at it. */
  lastVerifiedRef?: DocRef;
  /** Settings the doc lists without a Key Vault secret (plain config or env tables). */
  settings?: SettingRequirement[];
  waivers: Waiver[];
  /** Severities the bindings set per rule id, e.g. SECRET_NO_EXPIRY: info. */
  severityOverrides?: Record<string, Severity>;
  findings: PolicyFinding[];
}
