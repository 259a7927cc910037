import { lookupFor, secretsByName } from "./snapshot-lookup.js";
import type { AppBinding, Policy, SettingRequirement } from "../policy/policy-model.js";
import type {
  CollectionGap,
  SecretProperties,
  SettingObservation,
  SiteSnapshot,
  Snapshot,
  VaultSnapshot,
} from "../snapshot/snapshot.js";

/** Compares ARM ids and names the way Azure does: without regard to case. */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `:` and `__` are the same hierarchy separator in App Service settings. */
export function normalizeSettingName(name: string): string {
  return name.replaceAll(":", "__").toLowerCase();
}

const MANAGEMENT_GROUP_PREFIX = "/providers/microsoft.management/managementgroups/";

/**
 * True when `ancestor` is `scope` itself or a parent of it in ARM's tree.
 * Management-group paths do not prefix subscription paths; the collectors
 * list assignments from a subscription down, and ARM returns management-
 * group grants there only when the group is an ancestor, so any
 * management-group scope counts as above a subscription resource.
 */
export function isScopeAtOrAbove(ancestor: string, scope: string): boolean {
  const a = trimSlash(ancestor.toLowerCase());
  const s = trimSlash(scope.toLowerCase());

  if (a.startsWith(MANAGEMENT_GROUP_PREFIX) && s.startsWith("/subscriptions/")) {
    return true;
  }

  return a === "" || s === a || s.startsWith(a + "/");
}

function trimSlash(id: string): string {
  return id.endsWith("/") ? id.slice(0, -1) : id;
}

/** The first gap that covers a resource and kind of read, if any. */
export function findGap(
  snapshot: Snapshot,
  resourceId: string,
  what: string,
): CollectionGap | undefined {
  return snapshot.gaps.find(
    (gap) => isScopeAtOrAbove(gap.resourceId, resourceId) && gap.what === what,
  );
}

export function findVault(snapshot: Snapshot, key: string): VaultSnapshot | undefined {
  return snapshot.vaults.find((vault) => vault.key === key);
}

export function findSecret(vault: VaultSnapshot, name: string): SecretProperties | undefined {
  return secretsByName(vault).get(name.toLowerCase());
}

/** The production site of a bound app; slots are separate sites. */
export function findSite(snapshot: Snapshot, app: AppBinding): SiteSnapshot | undefined {
  return lookupFor(snapshot).siteById.get(app.resourceId.toLowerCase());
}

/** The production site and every slot collected for a bound app. */
export function findAppSites(snapshot: Snapshot, app: AppBinding): SiteSnapshot[] {
  return lookupFor(snapshot).sitesByApp.get(app.resourceId.toLowerCase()) ?? [];
}

const CONNECTION_STRINGS_PREFIX = /^ConnectionStrings(:|__)/i;

/**
 * True when an observed setting (or a reference status naming one) is the
 * documented setting. .NET reads `ConnectionStrings:Main` from connection
 * string `Main` and from app setting `ConnectionStrings__Main` alike.
 */
export function settingMatches(
  observed: { name: string; kind: SettingObservation["kind"] },
  setting: SettingRequirement,
): boolean {
  const name = normalizeSettingName(observed.name);

  if (observed.kind === "appSetting") {
    return name === normalizeSettingName(setting.name);
  }

  return (
    setting.kind === "connectionString" &&
    name === normalizeSettingName(setting.name.replace(CONNECTION_STRINGS_PREFIX, ""))
  );
}

/** A key that equals a documented key exactly when `settingMatches` holds. */
export function observedSettingKey(observed: {
  name: string;
  kind: SettingObservation["kind"];
}): string {
  const prefix = observed.kind === "appSetting" ? "app:" : "cs:";

  return prefix + normalizeSettingName(observed.name);
}

/** Every key an observed setting may have to match one of these documented settings. */
export function documentedSettingKeys(settings: readonly SettingRequirement[]): Set<string> {
  return new Set(
    settings.flatMap((setting) => [
      "app:" + normalizeSettingName(setting.name),
      ...(setting.kind === "connectionString"
        ? ["cs:" + normalizeSettingName(setting.name.replace(CONNECTION_STRINGS_PREFIX, ""))]
        : []),
    ]),
  );
}

export function findSetting(
  site: SiteSnapshot,
  setting: SettingRequirement,
): SettingObservation | undefined {
  return site.settings.find((observed) => settingMatches(observed, setting));
}

/** Each (secret, setting, app) triple the doc asks for, with the app's binding. */
export function listDocumentedSettings(policy: Policy) {
  return policy.secrets.flatMap((secret) =>
    secret.settings.flatMap((setting) =>
      setting.apps.flatMap((appKey) => {
        const app = policy.apps[appKey];

        return app ? [{ secret, setting, appKey, app }] : [];
      }),
    ),
  );
}
