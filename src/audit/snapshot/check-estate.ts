/**
 * Shape checks for the sites and vaults of a snapshot file: every field a
 * rule reads, so a hand edit fails here, naming the field, rather than as a
 * TypeError inside a rule or, worse, as a finding about nothing.
 */
import type { Check } from "./check-fields.js";
import { checkFields, checkList, checkOptional, checkOptionalList } from "./check-fields.js";
import { VALUE_SHAPES } from "./snapshot.js";

const SETTING_KINDS = ["appSetting", "connectionString"] as const;
const VALUE_KINDS = ["keyVaultReference", "appConfigReference", "plaintext", "empty"] as const;

export function checkSite(site: unknown, path: string): string | undefined {
  const record = site as Record<string, unknown>;

  return (
    checkFields(site, path, {
      resourceId: "string",
      name: "string",
      // Rules tell a slot from production by `slot !== undefined`: no null.
      slot: "optionalText",
      keyVaultReferenceIdentity: "nullableText",
      outboundIpAddresses: "optionalTextList",
      virtualNetworkSubnetId: "nullableText",
    }) ??
    checkOptional(record, "identity", checkIdentity, path) ??
    checkList(record, "settings", checkSetting, path) ??
    checkOptional(record, "slotConfigNames", checkSlotConfigNames, path) ??
    checkOptionalList(record, "configReferences", checkConfigReference, path)
  );
}

function checkIdentity(identity: unknown, path: string): string | undefined {
  const checkUserAssigned: Check = (item, at) =>
    checkFields(item, at, { resourceId: "string", principalId: "text" });

  return (
    checkFields(identity, path, { type: "string", principalId: "nullableText" }) ??
    checkList(identity as Record<string, unknown>, "userAssigned", checkUserAssigned, path)
  );
}

/**
 * A value's shape is printed in reports, so only the collector's own words
 * are accepted: a hand-edited snapshot cannot smuggle text into a finding.
 */
function checkSetting(setting: unknown, path: string): string | undefined {
  const problem = checkFields(setting, path, {
    name: "string",
    kind: SETTING_KINDS,
    valueKind: VALUE_KINDS,
  });

  if (problem) {
    return problem;
  }

  const record = setting as Record<string, unknown>;
  const shape = record["valueShape"];

  if (shape !== undefined && !(VALUE_SHAPES as readonly unknown[]).includes(shape)) {
    return `${path}.valueShape is not a shape the collector writes`;
  }

  return checkSettingReference(record, path);
}

/** The collector parses every Key Vault reference; without one, no reference rule would look. */
function checkSettingReference(setting: Record<string, unknown>, path: string) {
  if (setting["valueKind"] === "keyVaultReference" && setting["reference"] === undefined) {
    return `${path}.reference is missing for a Key Vault reference`;
  }

  return checkOptional(setting, "reference", checkReference, path);
}

function checkReference(reference: unknown, path: string): string | undefined {
  // A malformed reference is recorded with empty names, so names may be empty.
  return checkFields(reference, path, {
    form: ["SecretUri", "VaultName"],
    vaultName: "text",
    secretName: "text",
    secretVersion: "optionalText",
    malformed: "optionalText",
  });
}

function checkSlotConfigNames(names: unknown, path: string): string | undefined {
  return checkFields(names, path, {
    appSettingNames: "textList",
    connectionStringNames: "textList",
  });
}

function checkConfigReference(status: unknown, path: string): string | undefined {
  return checkFields(status, path, {
    name: "text",
    kind: SETTING_KINDS,
    status: "nullableText",
    vaultName: "nullableText",
    secretName: "nullableText",
    secretVersion: "nullableText",
    activeVersion: "nullableText",
    identityType: "nullableText",
    details: "nullableText",
  });
}

export function checkVault(vault: unknown, path: string): string | undefined {
  const record = vault as Record<string, unknown>;

  return (
    checkFields(vault, path, {
      key: "string",
      name: "string",
      resourceId: "string",
      // Rules tell "not read" (absent) from access-policy mode (false).
      enableRbacAuthorization: "optionalBoolean",
      publicNetworkAccess: "nullableText",
    }) ??
    checkList(record, "secrets", checkSecret, path) ??
    checkOptionalList(record, "deletedSecrets", checkDeletedSecret, path) ??
    checkOptionalList(record, "accessPolicies", checkAccessPolicy, path) ??
    checkOptional(record, "networkAcls", checkNetworkAcls, path)
  );
}

const SECRET_DATES = {
  createdOn: "optionalDate",
  expiresOn: "optionalDate",
  notBefore: "optionalDate",
} as const;

function checkSecret(secret: unknown, path: string): string | undefined {
  return (
    checkFields(secret, path, {
      name: "string",
      version: "optionalText",
      enabled: "boolean",
      ...SECRET_DATES,
      managed: "optionalBoolean",
    }) ?? checkOptionalList(secret as Record<string, unknown>, "versions", checkVersion, path)
  );
}

function checkVersion(version: unknown, path: string): string | undefined {
  return checkFields(version, path, { version: "string", enabled: "boolean", ...SECRET_DATES });
}

function checkDeletedSecret(deleted: unknown, path: string): string | undefined {
  return checkFields(deleted, path, {
    name: "string",
    deletedOn: "optionalDate",
    scheduledPurgeDate: "optionalDate",
  });
}

/** A snapshot keeps the permissions flat, not under ARM's `permissions` object. */
function checkAccessPolicy(entry: unknown, path: string): string | undefined {
  return checkFields(entry, path, {
    objectId: "string",
    secrets: "textList",
    keys: "textList",
    certificates: "textList",
  });
}

function checkNetworkAcls(acls: unknown, path: string): string | undefined {
  return checkFields(acls, path, {
    defaultAction: "nullableText",
    bypass: "nullableText",
    ipRules: "textList",
    virtualNetworkRules: "textList",
  });
}
