import type { ResourceBinding } from "./bindings-schema.js";
import type { PolicyDoc } from "./policy-doc.js";
import type { AppBinding, AzureEndpoints, PolicyFinding, VaultBinding } from "./policy-model.js";
import type { ResolvedBindings } from "./parse-bindings.js";

/** What the binder works from: the doc, the bindings (if any) and what is derived. */
export interface BindContext {
  doc: PolicyDoc;
  bindings: ResolvedBindings | undefined;
  subscriptionId: string;
  resourceGroup: string;
  vaults: Record<string, VaultBinding>;
  apps: Record<string, AppBinding>;
  findings: PolicyFinding[];
}

const CLOUDS = {
  AzurePublicCloud: {
    arm: "https://management.azure.com",
    graph: "https://graph.microsoft.com",
    vaultSuffix: "vault.azure.net",
  },
  AzureUSGovernment: {
    arm: "https://management.usgovcloudapi.net",
    graph: "https://graph.microsoft.us",
    vaultSuffix: "vault.usgovcloudapi.net",
  },
  AzureChinaCloud: {
    arm: "https://management.chinacloudapi.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    vaultSuffix: "vault.azure.cn",
  },
} as const;

function cloudOf(bindings: ResolvedBindings | undefined) {
  return CLOUDS[bindings?.data.cloud ?? "AzurePublicCloud"];
}

export function bindEndpoints(bindings: ResolvedBindings | undefined): AzureEndpoints {
  const cloud = cloudOf(bindings);
  const data = bindings?.data;

  return {
    armEndpoint: (data?.armEndpoint ?? cloud.arm).replace(/\/+$/, ""),
    armScope: data?.armScope ?? `${cloud.arm}/.default`,
    disableChallengeResourceVerification: data?.disableChallengeResourceVerification ?? false,
    graphEndpoint: (data?.graphEndpoint ?? cloud.graph).replace(/\/+$/, ""),
    graphScope: data?.graphScope ?? `${cloud.graph}/.default`,
    verifyPrincipals: data?.verifyPrincipals ?? true,
  };
}

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return subscriptionId && resourceGroup
    ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`
    : "";
}

function providerId(group: string, type: string, name: string): string {
  return group ? `${group}/providers/${type}/${name}` : "";
}

/** Vaults from the bindings; when the bindings name none, the vaults the doc names. */
export function bindVaults(
  doc: PolicyDoc,
  bindings: ResolvedBindings | undefined,
  subscriptionId: string,
  resourceGroup: string,
): Record<string, VaultBinding> {
  const suffix = cloudOf(bindings).vaultSuffix;
  const declared = Object.entries(bindings?.data.vaults ?? {});
  const entries = declared.length
    ? declared
    : doc.vaults.map(
        (vault) =>
          [
            vault.name.toLowerCase(),
            { name: vault.name, resourceGroup: vault.resourceGroup },
          ] as const,
      );

  return Object.fromEntries(
    entries.map(([key, vault]) => {
      const group = vault.resourceGroup ?? resourceGroup;
      const url =
        "vaultUrl" in vault && vault.vaultUrl ? vault.vaultUrl : `https://${vault.name}.${suffix}`;

      return [
        key,
        {
          name: vault.name,
          resourceGroup: group,
          vaultUrl: url.replace(/\/+$/, ""),
          resourceId: providerId(
            resourceGroupId(subscriptionId, group),
            "Microsoft.KeyVault/vaults",
            vault.name,
          ),
        },
      ];
    }),
  );
}

export function bindApps(
  bindings: ResolvedBindings | undefined,
  subscriptionId: string,
  resourceGroup: string,
): Record<string, AppBinding> {
  return Object.fromEntries(
    Object.entries(bindings?.data.apps ?? {}).map(([key, app]) => {
      const group = app.resourceGroup ?? resourceGroup;

      return [
        key,
        {
          name: app.name,
          resourceGroup: group,
          resourceId: providerId(
            resourceGroupId(subscriptionId, group),
            "Microsoft.Web/sites",
            app.name,
          ),
          slots: app.slots ?? [],
          ...(app.os ? { os: app.os } : {}),
        },
      ];
    }),
  );
}

/** The ARM id a `resources:` entry stands for. */
export function resourceIdOf(context: BindContext, binding: ResourceBinding): string {
  if (typeof binding === "string") {
    return binding;
  }

  const group = resourceGroupId(
    context.subscriptionId,
    binding.resourceGroup ?? context.resourceGroup,
  );

  return providerId(group, binding.type, binding.name);
}

/** Looks a key up the way the doc spells it: without regard to case. */
export function lookup<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  const wanted = key.toLowerCase();
  const found = Object.entries(record ?? {}).find(
    ([candidate]) => candidate.toLowerCase() === wanted,
  );

  return found?.[1];
}
