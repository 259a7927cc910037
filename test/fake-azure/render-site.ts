/**
 * A site or slot as Microsoft.Web returns it, following GetWebApp.json and
 * ListWebAppSlots.json. The `identity` key is left out when the site has no
 * identity, as in the real recording.
 */
import type { FakeSite, FakeSiteConfig } from "./estate-model.js";

export function siteResourceId(subscriptionId: string, site: FakeSite, slot?: string): string {
  const base = `/subscriptions/${subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/sites/${site.name}`;

  return slot === undefined ? base : `${base}/slots/${slot}`;
}

function renderSiteConfig(config: FakeSiteConfig): Record<string, unknown> {
  const linux = config.kind.includes("linux");

  return {
    numberOfWorkers: 1,
    defaultDocuments: ["index.html", "hostingstart.html"],
    netFrameworkVersion: "v4.0",
    phpVersion: "",
    pythonVersion: "",
    nodeVersion: "",
    powerShellVersion: "",
    linuxFxVersion: linux ? "PYTHON|3.11" : "",
    requestTracingEnabled: false,
    remoteDebuggingEnabled: false,
    httpLoggingEnabled: false,
    acrUseManagedIdentityCreds: false,
    logsDirectorySizeLimit: 35,
    detailedErrorLoggingEnabled: false,
    use32BitWorkerProcess: !linux,
    webSocketsEnabled: false,
    alwaysOn: true,
    appCommandLine: "",
    managedPipelineMode: "Integrated",
    virtualApplications: [
      { virtualPath: "/", physicalPath: "site\\wwwroot", preloadEnabled: true },
    ],
    loadBalancing: "LeastRequests",
    autoHealEnabled: false,
    vnetName: "",
    vnetRouteAllEnabled: false,
    vnetPrivatePortsCount: 0,
    http20Enabled: true,
    minTlsVersion: "1.2",
    scmMinTlsVersion: "1.2",
    ftpsState: "Disabled",
    functionAppScaleLimit: 0,
    functionsRuntimeScaleMonitoringEnabled: false,
    minimumElasticInstanceCount: 0,
    azureStorageAccounts: {},
  };
}

function renderProperties(
  subscriptionId: string,
  site: FakeSite,
  config: FakeSiteConfig,
  hostName: string,
): Record<string, unknown> {
  const farm = `/subscriptions/${subscriptionId}/resourceGroups/${site.resourceGroup}/providers/Microsoft.Web/serverfarms/asp-${site.name}`;
  const scmHost = hostName.replace(".azurewebsites.net", ".scm.azurewebsites.net");

  return {
    state: "Running",
    hostNames: [hostName],
    repositorySiteName: site.name,
    usageState: "Normal",
    enabled: true,
    enabledHostNames: [hostName, scmHost],
    availabilityState: "Normal",
    hostNameSslStates: [
      { name: hostName, sslState: "Disabled", hostType: "Standard" },
      { name: scmHost, sslState: "Disabled", hostType: "Repository" },
    ],
    serverFarmId: farm,
    reserved: config.kind.includes("linux"),
    isXenon: false,
    hyperV: false,
    lastModifiedTimeUtc: "2026-11-20T08:00:00.000Z",
    vnetRouteAllEnabled: false,
    vnetImagePullEnabled: false,
    vnetContentShareEnabled: false,
    siteConfig: renderSiteConfig(config),
    scmSiteAlsoStopped: false,
    clientAffinityEnabled: false,
    clientCertEnabled: false,
    clientCertMode: "Required",
    hostNamesDisabled: false,
    customDomainVerificationId: "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0",
    outboundIpAddresses: "203.0.113.10,203.0.113.11",
    possibleOutboundIpAddresses: "203.0.113.10,203.0.113.11,203.0.113.12",
    containerSize: 0,
    dailyMemoryTimeQuota: 0,
    resourceGroup: site.resourceGroup,
    defaultHostName: hostName,
    httpsOnly: true,
    redundancyMode: "None",
    storageAccountRequired: false,
    keyVaultReferenceIdentity: config.keyVaultReferenceIdentity,
    workloadProfileName: null,
    resourceConfig: null,
    sku: "PremiumV3",
  };
}

/** The JSON for GET .../sites/{name} or .../sites/{name}/slots/{slot}. */
export function renderSite(subscriptionId: string, site: FakeSite, slotName?: string): unknown {
  const slot = site.slots.find((s) => s.name.toLowerCase() === slotName?.toLowerCase());
  const config: FakeSiteConfig = slot ?? site;
  const hostLabel = slot ? `${site.name}-${slot.name}` : site.name;
  const body: Record<string, unknown> = {
    id: siteResourceId(subscriptionId, site, slot?.name),
    name: slot ? `${site.name}/${slot.name}` : site.name,
    type: slot ? "Microsoft.Web/sites/slots" : "Microsoft.Web/sites",
    kind: config.kind,
    location: site.location,
    properties: renderProperties(subscriptionId, site, config, `${hostLabel}.azurewebsites.net`),
  };

  if (config.identity) {
    body.identity = config.identity;
  }

  return body;
}
