/**
 * What App Service's configreferences API reports for a site's settings.
 *
 * The fake derives a status from the estate unless the test overrode it:
 * Resolved when the vault and secret (and pinned version) exist, else the
 * matching *NotFound status. Text the platform would not recognise as a
 * reference is left out, as the portal docs describe.
 */
import { currentVersionOf } from "./estate-builders.js";
import type { FakeEstate, FakeReferenceStatus, FakeSiteConfig } from "./estate-model.js";

interface ParsedReference {
  vaultName: string;
  secretName: string;
  secretVersion: string | null;
}

export interface RenderedReference {
  id: string;
  properties: Record<string, unknown>;
}

// Deliberately independent of the product's parser: the fake must not
// agree with the auditor by construction.
function parseReference(text: string): ParsedReference | undefined {
  const uri =
    /^@Microsoft\.KeyVault\(SecretUri=https:\/\/([^./]+)\.vault\.azure\.net\/secrets\/([^/]+)\/?([^/)]*)\/?\)$/i.exec(
      text.trim(),
    );
  if (uri) {
    return { vaultName: uri[1] ?? "", secretName: uri[2] ?? "", secretVersion: uri[3] || null };
  }

  const named = /^@Microsoft\.KeyVault\((.*)\)$/i.exec(text.trim());
  const pairs = new Map(
    (named?.[1] ?? "").split(";").map((pair) => {
      const [key = "", value = ""] = pair.split("=");

      return [key.trim().toLowerCase(), value.trim()] as const;
    }),
  );
  const vaultName = pairs.get("vaultname");
  const secretName = pairs.get("secretname");

  return vaultName && secretName
    ? { vaultName, secretName, secretVersion: pairs.get("secretversion") || null }
    : undefined;
}

function deriveStatus(reference: ParsedReference, estate: FakeEstate): FakeReferenceStatus {
  const vault = estate.vaults.find(
    (v) => v.name.toLowerCase() === reference.vaultName.toLowerCase(),
  );
  const secret = vault?.secrets.find(
    (s) => s.name.toLowerCase() === reference.secretName.toLowerCase(),
  );
  const pinned = secret?.versions.find((v) => v.version === reference.secretVersion);
  const status = !vault
    ? "VaultNotFound"
    : !secret
      ? "SecretNotFound"
      : reference.secretVersion && !pinned
        ? "SecretVersionNotFound"
        : "Resolved";
  const active =
    status === "Resolved" ? (pinned ?? (secret && currentVersionOf(secret))) : undefined;

  return { status, activeVersion: active?.version ?? null };
}

function renderOne(
  key: string,
  text: string,
  override: FakeReferenceStatus | undefined,
  config: FakeSiteConfig,
  estate: FakeEstate,
): Record<string, unknown> | undefined {
  const parsed = parseReference(text);
  if (!parsed && !override) {
    return undefined;
  }

  const derived = parsed ? deriveStatus(parsed, estate) : { status: "InvalidSyntax" };

  return {
    reference: text,
    status: derived.status,
    vaultName: parsed?.vaultName ?? null,
    secretName: parsed?.secretName ?? null,
    secretVersion: parsed?.secretVersion ?? null,
    identityType: { type: config.identity?.type ?? "None" },
    details: derived.status === "Resolved" ? null : `Reference for ${key} is ${derived.status}.`,
    source: "KeyVault",
    activeVersion: derived.activeVersion ?? null,
    ...override,
  };
}

/** The configreferences items for a site's app settings or connection strings. */
export function renderReferences(
  config: FakeSiteConfig,
  kind: "appSettings" | "connectionStrings",
  siteId: string,
  estate: FakeEstate,
): RenderedReference[] {
  const path = kind === "appSettings" ? "appsettings" : "connectionstrings";
  const overrides =
    kind === "appSettings" ? config.appSettingReferences : config.connectionStringReferences;
  const values: [string, string][] =
    kind === "appSettings"
      ? Object.entries(config.appSettings)
      : Object.entries(config.connectionStrings).map(([k, v]) => [k, v.value]);
  const rendered: RenderedReference[] = [];

  for (const [key, text] of values) {
    const override = overrides[key];
    const properties =
      override === null ? undefined : renderOne(key, text, override, config, estate);
    if (properties) {
      rendered.push({ id: `${siteId}/config/configreferences/${path}/${key}`, properties });
    }
  }

  return rendered;
}
