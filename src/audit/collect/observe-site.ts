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

const MAX_DETAILS_CHARS = 300;

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

/** App Service's status for one reference; its `reference` text is a value and is dropped. */
export function observeConfigReference(
  reference: ApiKVReference,
  kind: ConfigReferenceStatus["kind"],
): ConfigReferenceStatus {
  const details = orUndefined(reference.details)?.split(/\r?\n/)[0];

  return {
    name: settingNameOf(reference),
    kind,
    status: orUndefined(reference.status),
    vaultName: orUndefined(reference.vaultName),
    secretName: orUndefined(reference.secretName),
    secretVersion: orUndefined(reference.secretVersion),
    activeVersion: orUndefined(reference.activeVersion),
    identityType: orUndefined(reference.identityType?.type),
    details: details === undefined ? undefined : details.slice(0, MAX_DETAILS_CHARS),
  };
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
