/**
 * Azure built-in roles the doc reader knows by name and GUID. The GUIDs are
 * the same in every tenant and cloud. `service` is the doc's usual word for
 * the resource a role is granted on, so an access phrase that names a role
 * but no scope can still be bound (`Event Hubs Data Sender` → `Event Hubs`).
 */
export interface BuiltInRole {
  name: string;
  guid: string;
  service?: string;
  /** A Cosmos DB SQL data-plane role, assigned under `sqlRoleDefinitions`. */
  dataPlane?: "cosmosDbSql";
}

const KV = "Key Vault";
const ST = "Storage";
const EH = "Event Hubs";
const SB = "Service Bus";

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { name: "Owner", guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" },
  { name: "Contributor", guid: "b24988ac-6180-42a0-ab88-20f7382dd24c" },
  { name: "Reader", guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7" },
  { name: "User Access Administrator", guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" },
  {
    name: "Role Based Access Control Administrator",
    guid: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  },
  { name: "Key Vault Administrator", guid: "00482a5a-887f-4fb3-b363-3b7fe8e74483", service: KV },
  { name: "Key Vault Reader", guid: "21090545-7ca7-4776-b22c-e363652d74d2", service: KV },
  { name: "Key Vault Secrets User", guid: "4633458b-17de-408a-b874-0445c86b69e6", service: KV },
  { name: "Key Vault Secrets Officer", guid: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", service: KV },
  { name: "Key Vault Crypto User", guid: "12338af0-0e69-4776-bea7-57ae8d297424", service: KV },
  {
    name: "Key Vault Certificates Officer",
    guid: "a4417e6f-fecd-4de8-b567-7b0420556985",
    service: KV,
  },
  { name: "Key Vault Contributor", guid: "f25e0fa2-a7c8-4377-a976-54943a77a395", service: KV },
  {
    name: "Storage Account Contributor",
    guid: "17d1049b-9a84-46fb-8f53-869881c3d3ab",
    service: ST,
  },
  {
    name: "Storage Blob Data Contributor",
    guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    service: ST,
  },
  { name: "Storage Blob Data Reader", guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", service: ST },
  { name: "Storage Blob Data Owner", guid: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", service: ST },
  {
    name: "Storage Queue Data Contributor",
    guid: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
    service: ST,
  },
  { name: "Storage Queue Data Reader", guid: "19e7f393-937e-4f77-808e-94535e297925", service: ST },
  {
    name: "Storage Queue Data Message Sender",
    guid: "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a",
    service: ST,
  },
  {
    name: "Storage Table Data Contributor",
    guid: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
    service: ST,
  },
  {
    name: "Azure Event Hubs Data Owner",
    guid: "f526a384-b230-433a-b45c-95f59c4a2dec",
    service: EH,
  },
  {
    name: "Azure Event Hubs Data Sender",
    guid: "2b629674-e913-4c01-ae53-ef4638d8f975",
    service: EH,
  },
  {
    name: "Azure Event Hubs Data Receiver",
    guid: "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
    service: EH,
  },
  {
    name: "Azure Service Bus Data Owner",
    guid: "090c5cfd-751d-490a-894a-3ce6f1109419",
    service: SB,
  },
  {
    name: "Azure Service Bus Data Sender",
    guid: "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
    service: SB,
  },
  {
    name: "Azure Service Bus Data Receiver",
    guid: "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
    service: SB,
  },
  { name: "Managed Identity Operator", guid: "f1a07417-d97a-45cb-824c-7a7467783830" },
  { name: "Managed Identity Contributor", guid: "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59" },
  { name: "Website Contributor", guid: "de139f84-1756-47ae-9be6-808fbbe84772" },
  { name: "AcrPull", guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d" },
  { name: "AcrPush", guid: "8311e382-0749-4cb8-b61a-304f252e45ec" },
  { name: "Monitoring Metrics Publisher", guid: "3913510d-42f4-4e42-8a64-420c390055eb" },
  { name: "App Configuration Data Reader", guid: "516239f1-63e1-4d78-a4de-a74fb236a071" },
  { name: "App Configuration Data Owner", guid: "5ae67dd6-50cb-40e7-96ff-dc2bfa4b606b" },
  { name: "Cosmos DB Account Reader Role", guid: "fbdf93bf-df7d-467e-a4d2-9458aa1360c8" },
  { name: "Cosmos DB Operator", guid: "230815da-be43-4aae-9cb4-875f7bd000aa" },
  { name: "DocumentDB Account Contributor", guid: "5bd9cd88-fe45-4216-938b-f97437e15450" },
  {
    name: "Cosmos DB Built-in Data Reader",
    guid: "00000000-0000-0000-0000-000000000001",
    dataPlane: "cosmosDbSql",
  },
  {
    name: "Cosmos DB Built-in Data Contributor",
    guid: "00000000-0000-0000-0000-000000000002",
    dataPlane: "cosmosDbSql",
  },
];

const byName = new Map(BUILT_IN_ROLES.map((role) => [role.name.toLowerCase(), role]));
const byGuid = new Map(BUILT_IN_ROLES.map((role) => [role.guid, role]));

/**
 * The built-in role a doc's words name. Docs drop the `Azure` prefix
 * (`Event Hubs Data Sender`) and add a trailing `role`; a name that is
 * itself built-in (`Cosmos DB Account Reader Role`) is kept whole.
 */
export function findBuiltInRole(text: string): BuiltInRole | undefined {
  const name = text.trim().replace(/\s+/g, " ").toLowerCase();
  const exact = byName.get(name) ?? byName.get(`azure ${name}`);

  if (exact) {
    return exact;
  }

  const withoutRole = name.replace(/\s+role$/, "");

  return withoutRole === name
    ? undefined
    : (byName.get(withoutRole) ?? byName.get(`azure ${withoutRole}`));
}

export function findBuiltInRoleByGuid(guid: string): BuiltInRole | undefined {
  return byGuid.get(guid.toLowerCase());
}

/** The roles that let a principal read secret values on a vault in RBAC mode. */
export const SECRET_READER_GUIDS: readonly string[] = [
  "4633458b-17de-408a-b874-0445c86b69e6",
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  "00482a5a-887f-4fb3-b363-3b7fe8e74483",
];

/** Every built-in role name, for "did you mean" hints. */
export const BUILT_IN_ROLE_NAMES: readonly string[] = BUILT_IN_ROLES.map((role) => role.name);
