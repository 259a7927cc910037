/**
 * Microsoft.Web on the fake ARM: sites and slots, their app settings,
 * connection strings, sticky slot settings and Key Vault reference status.
 */
import type { FakeEstate, FakeSite, FakeSiteConfig } from "./estate-model.js";
import { armPage, json, notFound } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";
import { renderReferences } from "./render-references.js";
import { renderSite, siteResourceId } from "./render-site.js";

const SITE_LIST =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.Web\/sites$/i;
const SITE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Web\/sites\/([^/]+)(?:\/slots\/([^/]+))?(\/.*)?$/i;

interface SiteTarget {
  site: FakeSite;
  slot: string | undefined;
  config: FakeSiteConfig;
  resourceId: string;
  rest: string;
}

function sameName(a: string, b: string | undefined): boolean {
  return a.toLowerCase() === b?.toLowerCase();
}

function findTarget(match: RegExpExecArray, estate: FakeEstate): SiteTarget | undefined {
  const [, subscription, group, name, slotName, rest = ""] = match;
  const site = estate.sites.find((s) => sameName(s.name, name) && sameName(s.resourceGroup, group));

  if (!site || !sameName(estate.subscriptionId, subscription)) {
    return undefined;
  }

  const slot =
    slotName === undefined ? undefined : site.slots.find((s) => sameName(s.name, slotName));
  if (slotName !== undefined && !slot) {
    return undefined;
  }

  return {
    site,
    slot: slot?.name,
    config: slot ?? site,
    resourceId: siteResourceId(estate.subscriptionId, site, slot?.name),
    rest: rest.toLowerCase(),
  };
}

function configResource(target: SiteTarget, name: string, properties: unknown): RouteResult {
  return json({
    id: `${target.resourceId}/config/${name}`,
    name,
    type: target.slot ? "Microsoft.Web/sites/slots/config" : "Microsoft.Web/sites/config",
    kind: target.config.kind,
    properties,
  });
}

function listSlots(request: FakeRequest, target: SiteTarget, estate: FakeEstate): RouteResult {
  const slots = target.site.slots.map((slot) =>
    renderSite(estate.subscriptionId, target.site, slot.name),
  );

  return armPage(request, slots, estate.paging.armPageSize);
}

function slotConfigNames(target: SiteTarget): RouteResult {
  return configResource(target, "slotConfigNames", {
    connectionStringNames: target.site.slotConfigNames.connectionStringNames,
    appSettingNames: target.site.slotConfigNames.appSettingNames,
    azureStorageConfigNames: [],
  });
}

function routePost(target: SiteTarget): RouteResult | undefined {
  if (target.rest === "/config/appsettings/list") {
    return configResource(target, "appsettings", { ...target.config.appSettings });
  }

  if (target.rest === "/config/connectionstrings/list") {
    return configResource(target, "connectionstrings", { ...target.config.connectionStrings });
  }

  return undefined;
}

function routeGet(
  request: FakeRequest,
  target: SiteTarget,
  estate: FakeEstate,
): RouteResult | undefined {
  const references =
    /^\/config\/configreferences\/(appsettings|connectionstrings)(?:\/([^/]+))?$/.exec(target.rest);

  if (target.rest === "") {
    return json(renderSite(estate.subscriptionId, target.site, target.slot));
  }

  if (target.rest === "/slots" && !target.slot) {
    return listSlots(request, target, estate);
  }

  if (target.rest === "/config/slotconfignames" && !target.slot) {
    return slotConfigNames(target);
  }

  if (references) {
    const kind = references[1] === "appsettings" ? "appSettings" : "connectionStrings";
    const all = renderReferences(target.config, kind, target.resourceId, estate);
    if (references[2] === undefined) {
      return armPage(request, all, estate.paging.armPageSize);
    }

    const key = decodeURIComponent(references[2]).toLowerCase();
    const one = all.find((r) => r.id.toLowerCase().endsWith(`/${key}`));

    return one ? json(one) : notFound(`${target.resourceId}/config/configreferences/${key}`);
  }

  return undefined;
}

function listSites(request: FakeRequest, match: RegExpExecArray, estate: FakeEstate): RouteResult {
  const [, subscription, group] = match;
  const sites = sameName(estate.subscriptionId, subscription)
    ? estate.sites.filter((s) => group === undefined || sameName(s.resourceGroup, group))
    : [];

  return armPage(
    request,
    sites.map((s) => renderSite(estate.subscriptionId, s)),
    estate.paging.armPageSize,
  );
}

/** Handles Microsoft.Web paths; undefined when the path is not one. */
export function routeAppService(request: FakeRequest, estate: FakeEstate): RouteResult | undefined {
  const list = SITE_LIST.exec(request.path);
  if (list && request.method === "GET") {
    return listSites(request, list, estate);
  }

  const match = SITE.exec(request.path);
  if (!match) {
    return undefined;
  }

  const target = findTarget(match, estate);
  if (!target) {
    return notFound(`Microsoft.Web/sites/${match[3] ?? ""}${match[4] ? "/slots/" + match[4] : ""}`);
  }

  const routed = request.method === "POST" ? routePost(target) : routeGet(request, target, estate);

  return routed ?? notFound(`${target.resourceId}${target.rest}`);
}
