/**
 * Maps App Service SDK models to snapshot data. Setting values pass through
 * `classifySettingValue` here and go no further: nothing returned holds one.
 */
import type {
  ApiKVReference,
  ConnectionStringDictionary,
  ManagedServiceIdentity,
  Site,
  StringDictionary,
} from "@azure/arm-appservice";

import type {
  ConfigReferenceStatus,
  ManagedIdentity,
  SettingObservation,
  SiteSnapshot,
} from "../snapshot/snapshot.js";
import { classifySettingValue } from "./classify-setting-value.js";

export function observeIdentity(
  identity: ManagedServiceIdentity | undefined,
): ManagedIdentity | undefined {
  if (!identity?.type || identity.type === "None") {
    return undefined;
  }

  const userAssigned = Object.entries(identity.userAssignedIdentities ?? {}).map(
    ([resourceId, value]) => ({
      resourceId,
      principalId: value.principalId ?? "",
      clientId: value.clientId ?? "",
    }),
  );

  return {
    type: identity.type,
    principalId: identity.principalId,
    tenantId: identity.tenantId,
    userAssigned,
  };
}

export function observeAppSettings(dictionary: StringDictionary | undefined): SettingObservation[] {
  return Object.entries(dictionary?.properties ?? {}).map(([name, value]) => ({
    name,
    kind: "appSetting",
    ...classifySettingValue(value),
  }));
}

export function observeConnectionStrings(
  dictionary: ConnectionStringDictionary | undefined,
): SettingObservation[] {
  return Object.entries(dictionary?.properties ?? {}).map(([name, pair]) => {
    const observation: SettingObservation = {
      name,
      kind: "connectionString",
      ...classifySettingValue(pair.value),
    };

    return pair.type === undefined
      ? observation
      : { ...observation, connectionStringType: pair.type };
  });
}

function settingNameOf(reference: ApiKVReference): string {
  const fromId = reference.id?.split("/").at(-1);

  return reference.name?.split("/").at(-1) ?? fromId ?? "";
}

function orUndefined(value: string | null | undefined): string | undefined {
  return value === null || value === "" ? undefined : value;
}

/**
 * App Service's status for one reference. The platform echoes parts of the
 * reference text (a setting value) in its fields, so only values that have
 * the shape of a vault name, secret name, version or status are kept, and
 * the free-text `details` is dropped: nothing of a value reaches a snapshot.
 */
export function observeConfigReference(
  reference: ApiKVReference,
  kind: ConfigReferenceStatus["kind"],
): ConfigReferenceStatus {
  return {
    name: settingNameOf(reference),
    kind,
    status: keepIf(reference.status, STATUS_SHAPE),
    vaultName: keepIf(reference.vaultName, VAULT_NAME_SHAPE),
    secretName: keepIf(reference.secretName, SECRET_NAME_SHAPE),
    secretVersion: keepIf(reference.secretVersion, VERSION_SHAPE),
    activeVersion: keepIf(reference.activeVersion, VERSION_SHAPE),
    identityType: keepIf(reference.identityType?.type, STATUS_SHAPE),
    details: undefined,
  };
}

const STATUS_SHAPE = /^[A-Za-z, ]{1,64}$/;
const VAULT_NAME_SHAPE = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
const SECRET_NAME_SHAPE = /^[A-Za-z0-9-]{1,127}$/;
const VERSION_SHAPE = /^[0-9A-Fa-f]{32}$/;

function keepIf(value: string | null | undefined, shape: RegExp): string | undefined {
  const present = orUndefined(value);

  return present !== undefined && shape.test(present) ? present : undefined;
}

/** Where the site's traffic leaves from, for judging vault network rules. */
export function observeNetwork(
  site: Site,
): Pick<SiteSnapshot, "outboundIpAddresses" | "virtualNetworkSubnetId"> {
  const network: Pick<SiteSnapshot, "outboundIpAddresses" | "virtualNetworkSubnetId"> = {};

  if (site.outboundIpAddresses) {
    network.outboundIpAddresses = site.outboundIpAddresses.split(",").map((ip) => ip.trim());
  }
  if (site.virtualNetworkSubnetId) {
    network.virtualNetworkSubnetId = site.virtualNetworkSubnetId;
  }

  return network;
}
