/**
 * Reads every bound app and each of its slots: identity, the identity that
 * resolves Key Vault references, app settings, connection strings, sticky
 * setting names and App Service's own reference statuses. Each slot is its
 * own site with its own identity.
 */
import type { Site, SlotConfigNamesResource } from "@azure/arm-appservice";

import type { AppBinding } from "../policy/policy-model.js";
import { GAP_WHAT } from "../snapshot/snapshot.js";
import type { ConfigReferenceStatus, SiteSnapshot } from "../snapshot/snapshot.js";
import type { CollectContext } from "./collect-context.js";
import { collectAll } from "./collection-record.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";
import {
  observeAppSettings,
  observeConfigReference,
  observeConnectionStrings,
  observeIdentity,
  observeNetwork,
} from "./observe-site.js";

/** Names used in `CollectionGap.what` (and `notFound.what`) by this stage. */
export const SITE_READS = {
  site: "site",
  slot: "slot",
  slots: "slots",
  slotConfigNames: "slotConfigNames",
  appSettings: "appSettings",
  connectionStrings: "connectionStrings",
  appSettingReferences: GAP_WHAT.appSettingReferences,
  connectionStringReferences: "configReferences.connectionStrings",
} as const;

function slotNameOf(site: Site): string | undefined {
  return site.name?.split("/").at(-1);
}

/** The declared slots plus any the app has that the bindings do not list. */
function mergeSlotNames(declared: string[], listed: Site[] | undefined): string[] {
  const names = new Map(declared.map((name) => [name.toLowerCase(), name]));

  for (const site of listed ?? []) {
    const name = slotNameOf(site);
    if (name && !names.has(name.toLowerCase())) {
      names.set(name.toLowerCase(), name);
    }
  }

  return [...names.values()];
}

async function readReferences(
  context: CollectContext,
  resourceId: string,
  app: AppBinding,
  slot: string | undefined,
): Promise<ConfigReferenceStatus[] | undefined> {
  const { webApps } = context.clients.web;
  const group = app.resourceGroup;
  const [appSettings, connectionStrings] = await Promise.all([
    context.record.read(resourceId, SITE_READS.appSettingReferences, () =>
      collectAll(
        slot === undefined
          ? webApps.listAppSettingsKeyVaultReferences(group, app.name)
          : webApps.listAppSettingsKeyVaultReferencesSlot(group, app.name, slot),
      ),
    ),
    context.record.read(resourceId, SITE_READS.connectionStringReferences, () =>
      collectAll(
        slot === undefined
          ? webApps.listSiteConnectionStringKeyVaultReferences(group, app.name)
          : webApps.listSiteConnectionStringKeyVaultReferencesSlot(group, app.name, slot),
      ),
    ),
  ]);

  if (appSettings === undefined && connectionStrings === undefined) {
    return undefined;
  }

  return [
    ...(appSettings ?? []).map((r) => observeConfigReference(r, "appSetting")),
    ...(connectionStrings ?? []).map((r) => observeConfigReference(r, "connectionString")),
  ];
}

/** Settings and reference statuses of one site or slot, already fetched as `site`. */
async function observeSite(
  context: CollectContext,
  app: AppBinding,
  site: Site,
  slot: string | undefined,
): Promise<SiteSnapshot> {
  const { webApps } = context.clients.web;
  const group = app.resourceGroup;
  const fallbackId = slot === undefined ? app.resourceId : `${app.resourceId}/slots/${slot}`;
  const resourceId = site.id ?? fallbackId;
  const [appSettings, connectionStrings, configReferences] = await Promise.all([
    context.record.read(resourceId, SITE_READS.appSettings, () =>
      slot === undefined
        ? webApps.listApplicationSettings(group, app.name)
        : webApps.listApplicationSettingsSlot(group, app.name, slot),
    ),
    context.record.read(resourceId, SITE_READS.connectionStrings, () =>
      slot === undefined
        ? webApps.listConnectionStrings(group, app.name)
        : webApps.listConnectionStringsSlot(group, app.name, slot),
    ),
    readReferences(context, resourceId, app, slot),
  ]);
  const snapshot: SiteSnapshot = {
    resourceId,
    name: app.name,
    resourceGroup: app.resourceGroup,
    slot,
    kind: site.kind,
    identity: observeIdentity(site.identity),
    keyVaultReferenceIdentity: site.keyVaultReferenceIdentity,
    settings: [...observeAppSettings(appSettings), ...observeConnectionStrings(connectionStrings)],
  };

  return { ...snapshot, ...observeNetwork(site), ...(configReferences && { configReferences }) };
}

async function collectSlot(
  context: CollectContext,
  app: AppBinding,
  slot: string,
): Promise<SiteSnapshot | undefined> {
  const slotId = `${app.resourceId}/slots/${slot}`;
  const site = await context.record.read(
    slotId,
    SITE_READS.slot,
    () => context.clients.web.webApps.getSlot(app.resourceGroup, app.name, slot),
    { notFoundIsData: true },
  );

  return site && observeSite(context, app, site, slot);
}

function toSlotConfigNames(
  resource: SlotConfigNamesResource | undefined,
): SiteSnapshot["slotConfigNames"] {
  return (
    resource && {
      appSettingNames: resource.appSettingNames ?? [],
      connectionStringNames: resource.connectionStringNames ?? [],
    }
  );
}

/** The production site and every slot of one bound app; none when the app is unreadable. */
async function collectApp(context: CollectContext, app: AppBinding): Promise<SiteSnapshot[]> {
  const { webApps } = context.clients.web;
  const site = await context.record.read(
    app.resourceId,
    SITE_READS.site,
    () => webApps.get(app.resourceGroup, app.name),
    { notFoundIsData: true },
  );
  if (!site) {
    return [];
  }

  const [listedSlots, slotConfig, production] = await Promise.all([
    context.record.read(app.resourceId, SITE_READS.slots, () =>
      collectAll(webApps.listSlots(app.resourceGroup, app.name)),
    ),
    context.record.read(app.resourceId, SITE_READS.slotConfigNames, () =>
      webApps.listSlotConfigurationNames(app.resourceGroup, app.name),
    ),
    observeSite(context, app, site, undefined),
  ]);
  const slots: SiteSnapshot[] = [];

  // One slot at a time: the app as a whole is the unit of concurrency.
  for (const slot of mergeSlotNames(app.slots, listedSlots)) {
    const observed = await collectSlot(context, app, slot);
    if (observed) {
      slots.push(observed);
    }
  }

  const slotConfigNames = toSlotConfigNames(slotConfig);

  return [production, ...slots].map((s) => (slotConfigNames ? { ...s, slotConfigNames } : s));
}

/** Every bound app with its slots, a bounded number of apps at a time. */
export async function collectSites(context: CollectContext): Promise<SiteSnapshot[]> {
  const apps = Object.values(context.policy.apps);
  const perApp = await mapWithConcurrency(apps, context.concurrency, (app) =>
    collectApp(context, app),
  );

  return perApp.flat();
}
