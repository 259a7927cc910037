import type { TableKind } from "./column-meaning.js";
import type { FrontMatter } from "./front-matter.js";
import type { PolicyFinding, ScopeKind } from "./policy-model.js";

/**
 * What the doc says, read but not yet bound to Azure resources. Names are
 * kept as written; lines and columns are 1-based positions in the doc.
 */
export interface PolicyDoc {
  file: string;
  frontMatter: FrontMatter;
  tables: DocTableSummary[];
  vaults: DocVault[];
  secrets: DocSecretPair[];
  settings: DocSetting[];
  identities: DocIdentity[];
  rotationRules: DocRotationRule[];
  rotationCategories: DocRotationCategory[];
  /** The prose says the apps run on Linux, where `:` cannot appear in a setting name. */
  mentionsLinux: boolean;
  findings: PolicyFinding[];
}

export interface DocTableSummary {
  kind: TableKind;
  line: number;
  endLine: number;
  heading: string | undefined;
}

/** A vault the doc names: in a facts table, in prose, or in a vault column. */
export interface DocVault {
  name: string;
  resourceGroup?: string;
  subscriptionId?: string;
  /** Where the facts table gives the subscription. */
  subscriptionLine?: number;
  line: number;
}

/** One secret ⇐ setting pair, or a secret documented without a setting. */
export interface DocSecretPair {
  secret: string;
  setting: string | undefined;
  vault: string | undefined;
  purpose: string;
  /** App names from an app column; empty when the doc does not say. */
  apps: string[];
  required: boolean | undefined;
  type: string | undefined;
  /** From a rotation column: days, `null` for "never", absent when not given. */
  maxAgeDays?: number | null;
  line: number;
  column: number;
  /** Where the setting cell starts, for findings about the setting name. */
  settingColumn: number;
}

/** A setting documented without a secret. */
export interface DocSetting {
  setting: string;
  purpose: string;
  source: string;
  apps: string[];
  line: number;
  column: number;
}

export type GrantSource =
  "builtIn" | "guid" | "custom" | "capability" | "vocabulary" | "cosmosSql" | "ambiguous";

export interface DocScope {
  /** The doc's words for the scope, markup removed. */
  label: string;
  /** The resource, group or management group named, when one is. */
  name: string | undefined;
  kind: ScopeKind | undefined;
  /** The kind of resource in the doc's words (`Key Vault`, `Blob Storage`). */
  service: string | undefined;
}

/** One role (or capability) an identity should hold at one scope. */
export interface DocGrant {
  /** The access entry or role cell as written. */
  text: string;
  roleText: string;
  /** Resolved role name; the doc's words when unresolved. */
  roleName: string;
  roleDefinitionGuid: string | undefined;
  source: GrantSource;
  scope: DocScope;
  satisfiedByGuids?: string[];
  secretPermissions?: string[];
  dataPlane?: "cosmosDbSql";
  condition?: string;
  line: number;
  column: number;
}

export interface DocIdentity {
  name: string;
  objectId: string | undefined;
  objectIdSuffix: string | undefined;
  identityType: "systemAssigned" | "userAssigned" | "ci" | undefined;
  principalType: string | undefined;
  usedBy: string | undefined;
  federated: boolean;
  /** Named only by a heading, with no `(name identity)`: presumed system-assigned. */
  implied: boolean;
  grants: DocGrant[];
  line: number;
  column: number;
}

/** A rotation rule written as a sentence: "Rotate broker + vendor keys quarterly". */
export interface DocRotationRule {
  /** What the sentence says is rotated: `broker + vendor keys`. */
  phrase: string;
  maxAgeDays: number;
  /** Matrix secrets the sentence names, as the matrix spells them. */
  secrets: string[];
  text: string;
  line: number;
  column: number;
}

/** A row of a rotation table by category; not bound to secrets. */
export interface DocRotationCategory {
  category: string;
  maxAgeDays: number | null;
  line: number;
}
