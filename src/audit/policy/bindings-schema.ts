/**
 * The bindings file's JSON Schema. `policy/bindings.schema.json` is this
 * object written out for editors; a test keeps the two identical.
 * Descriptions double as the "write ... instead" hint of each error.
 */
const GUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const URL = "^https?://[^\\s/?#]+(/[^\\s]*)?$";
const ARM_ID = "^/(subscriptions|providers)/[^\\s]+$";

const guid = (description: string, example: string) => ({
  type: "string",
  pattern: GUID,
  description,
  examples: [example],
});

const resourceGroup = {
  type: "string",
  pattern: "^[-\\w.()]{0,89}[-\\w()]$",
  description: "a resource group name",
  examples: ["rg-app-prod"],
};

const names = (description: string, example: string) => ({
  type: "array",
  items: { type: "string", minLength: 1 },
  description,
  examples: [[example]],
});

const vault = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: {
      type: "string",
      pattern: "^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$",
      description: "a Key Vault name (3-24 letters, digits and dashes)",
      examples: ["kv-app-prod"],
    },
    resourceGroup,
    vaultUrl: {
      type: "string",
      pattern: URL,
      description: "the vault's data-plane URL",
      examples: ["https://kv-app-prod.vault.azure.net"],
    },
  },
};

const app = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9-]{0,59}$",
      description: "an App Service site name",
      examples: ["app-api-prod"],
    },
    resourceGroup,
    slots: names("deployment slot names to audit besides production", "staging"),
    settings: names(
      "the documented setting names this app consumes (default: all)",
      "DATABASE_URL",
    ),
    os: {
      type: "string",
      enum: ["linux", "windows"],
      description: "linux or windows",
      examples: ["linux"],
    },
  },
};

const identity = {
  type: "object",
  additionalProperties: false,
  description: "one of app, userAssigned or objectId",
  oneOf: [{ required: ["app"] }, { required: ["userAssigned"] }, { required: ["objectId"] }],
  properties: {
    app: { type: "string", minLength: 1, description: "a key under apps:", examples: ["api"] },
    userAssigned: {
      type: "string",
      pattern:
        "^/subscriptions/[^\\s]+/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/\\s]+$",
      description: "the ARM id of a user-assigned identity",
      examples: [
        "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>",
      ],
    },
    objectId: guid("the principal's object id", "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0"),
  },
};

const resource = {
  description: "an ARM id, or type and name",
  oneOf: [
    {
      type: "string",
      pattern: ARM_ID,
      description: "an ARM resource id",
      examples: [
        "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>",
      ],
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["type", "name"],
      properties: {
        type: {
          type: "string",
          pattern: "^[A-Za-z]+\\.[A-Za-z.]+(/[A-Za-z]+)+$",
          description: "a resource type",
          examples: ["Microsoft.Storage/storageAccounts"],
        },
        name: {
          type: "string",
          minLength: 1,
          description: "the resource name",
          examples: ["stappprod"],
        },
        resourceGroup,
      },
    },
  ],
};

const accessGrant = {
  type: "object",
  additionalProperties: false,
  required: ["role"],
  properties: {
    role: {
      type: "string",
      minLength: 1,
      description: "a built-in role name, a role definition GUID, or a name under customRoles:",
      examples: ["Key Vault Secrets User"],
    },
    scope: {
      type: "string",
      minLength: 1,
      description: "a key under resources:, a vault, `Key Vault`, or an ARM id",
      examples: ["Key Vault"],
    },
    secretPermissions: {
      type: "array",
      minItems: 1,
      items: { type: "string", enum: ["get", "list"] },
      description:
        "secret permissions that mean the same on a vault in access-policy mode; any secret-reading role satisfies them",
      examples: [["get", "list"]],
    },
  },
};

const rotationClass = {
  type: "object",
  additionalProperties: false,
  properties: {
    secrets: names("secret names in this class", "BROKER-API-KEY"),
    pattern: {
      type: "string",
      minLength: 1,
      description: "a regular expression over secret names",
      examples: ["^VENDOR-"],
    },
    purpose: {
      type: "string",
      minLength: 1,
      description: "a regular expression over the doc's purpose column",
      examples: ["broker|vendor"],
    },
    phrase: {
      type: "string",
      minLength: 1,
      description: "the doc's words for the class in its rotation sentence",
      examples: ["broker + vendor keys"],
    },
    maxAgeDays: {
      type: "integer",
      minimum: 1,
      description: "a whole number of days",
      examples: [90],
    },
  },
};

const waiver = {
  type: "object",
  additionalProperties: false,
  required: ["rule", "subject", "owner", "reason", "expires"],
  properties: {
    rule: {
      type: "string",
      pattern: "^[A-Z][A-Z0-9_]*$",
      description: "a rule id",
      examples: ["ROTATION_OVERDUE"],
    },
    subject: {
      type: "string",
      minLength: 1,
      description: "the secret, setting or principal",
      examples: ["ALPACA-KEY-ID"],
    },
    owner: {
      type: "string",
      minLength: 1,
      description: "who answers for the waiver",
      examples: ["platform-team"],
    },
    reason: {
      type: "string",
      minLength: 1,
      description: "why the finding is accepted",
      examples: ["Vendor rotates on its own schedule"],
    },
    expires: {
      type: "string",
      pattern: "^\\d{4}-\\d{2}-\\d{2}$",
      description: "a date as YYYY-MM-DD",
      examples: ["2026-06-30"],
    },
  },
};

const mapOf = (value: object, description: string) => ({
  type: "object",
  description,
  additionalProperties: value,
});

export const BINDINGS_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "drift-auditor bindings",
  description: "Ties the team's secrets doc to real Azure resources.",
  type: "object",
  additionalProperties: false,
  required: ["subscriptionId"],
  properties: {
    $schema: { type: "string" },
    subscriptionId: guid("the subscription's GUID", "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d"),
    resourceGroup,
    cloud: {
      type: "string",
      enum: ["AzurePublicCloud", "AzureUSGovernment", "AzureChinaCloud"],
      description: "a cloud the auditor knows",
      examples: ["AzurePublicCloud"],
    },
    armEndpoint: {
      type: "string",
      pattern: URL,
      description: "the ARM endpoint URL",
      examples: ["https://management.azure.com"],
    },
    armScope: {
      type: "string",
      minLength: 1,
      description: "the OAuth scope for ARM tokens",
      examples: ["https://management.azure.com/.default"],
    },
    disableChallengeResourceVerification: {
      type: "boolean",
      description: "true or false",
      examples: [false],
    },
    graphEndpoint: {
      type: "string",
      pattern: URL,
      description: "the Microsoft Graph endpoint URL",
      examples: ["https://graph.microsoft.com"],
    },
    graphScope: {
      type: "string",
      minLength: 1,
      description: "the OAuth scope for Microsoft Graph tokens",
      examples: ["https://graph.microsoft.com/.default"],
    },
    verifyPrincipals: {
      type: "boolean",
      description: "true or false (false skips looking object ids up in Microsoft Entra ID)",
      examples: [true],
    },
    docMaxAgeDays: {
      type: "integer",
      minimum: 1,
      description: "a whole number of days",
      examples: [180],
    },
    expiryWarningDays: {
      type: "array",
      minItems: 1,
      items: { type: "integer", minimum: 0 },
      description: "a list of whole days",
      examples: [[30, 7, 1]],
    },
    severity: {
      type: "object",
      description: "severities by rule id, to raise or lower a rule for this estate",
      examples: [{ SECRET_NO_EXPIRY: "info" }],
      propertyNames: { pattern: "^[A-Z][A-Z0-9_]*$" },
      additionalProperties: {
        enum: ["critical", "high", "medium", "low", "info"],
        description: "critical, high, medium, low or info",
      },
    },
    vaults: mapOf(vault, "vaults by key"),
    apps: mapOf(app, "App Service sites by key"),
    identities: mapOf(identity, "principals by the doc's identity name"),
    resources: mapOf(resource, "ARM resources by the doc's scope word"),
    access: mapOf(
      { type: "array", minItems: 1, items: accessGrant },
      "roles by the doc's access phrase",
    ),
    customRoles: mapOf(
      guid("a role definition GUID", "1a2b3c4d-0000-4000-8000-000000000001"),
      "custom role GUIDs by name",
    ),
    rotationClasses: mapOf(rotationClass, "rotation classes by name"),
    waivers: { type: "array", items: waiver, description: "accepted findings" },
  },
} as const;

export type CloudName = "AzurePublicCloud" | "AzureUSGovernment" | "AzureChinaCloud";

export type ResourceBinding = string | { type: string; name: string; resourceGroup?: string };

/** The bindings file as the schema admits it. */
export interface BindingsFile {
  subscriptionId: string;
  resourceGroup?: string;
  cloud?: CloudName;
  armEndpoint?: string;
  armScope?: string;
  disableChallengeResourceVerification?: boolean;
  graphEndpoint?: string;
  graphScope?: string;
  verifyPrincipals?: boolean;
  docMaxAgeDays?: number;
  expiryWarningDays?: number[];
  severity?: Record<string, "critical" | "high" | "medium" | "low" | "info">;
  vaults?: Record<string, { name: string; resourceGroup?: string; vaultUrl?: string }>;
  apps?: Record<string, AppEntry>;
  identities?: Record<string, { app?: string; userAssigned?: string; objectId?: string }>;
  resources?: Record<string, ResourceBinding>;
  access?: Record<string, { role: string; scope?: string; secretPermissions?: string[] }[]>;
  customRoles?: Record<string, string>;
  rotationClasses?: Record<string, RotationClassEntry>;
  waivers?: { rule: string; subject: string; owner: string; reason: string; expires: string }[];
}

export interface AppEntry {
  name: string;
  resourceGroup?: string;
  slots?: string[];
  settings?: string[];
  os?: "linux" | "windows";
}

export interface RotationClassEntry {
  secrets?: string[];
  pattern?: string;
  purpose?: string;
  phrase?: string;
  maxAgeDays?: number;
}
