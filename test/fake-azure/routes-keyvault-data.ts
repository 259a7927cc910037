/**
 * One vault's data plane: secret properties, versions and deleted secrets,
 * paged like the real service. It never returns a value: a request for one
 * gets a 418 and is flagged in the log so tests can prove nobody asked.
 */
import { currentVersionOf } from "./estate-builders.js";
import type { FakeEstate, FakeSecret, FakeSecretVersion, FakeVault } from "./estate-model.js";
import { azureError, json, vaultPage } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";

const RECOVERY_LEVEL = "Recoverable+Purgeable";

function renderAttributes(version: FakeSecretVersion): Record<string, unknown> {
  const attributes: Record<string, unknown> = { enabled: version.enabled };

  if (version.notBefore !== undefined) {
    attributes.nbf = version.notBefore;
  }
  if (version.expires !== undefined) {
    attributes.exp = version.expires;
  }

  return {
    ...attributes,
    created: version.created,
    updated: version.updated,
    recoveryLevel: RECOVERY_LEVEL,
    recoverableDays: 90,
  };
}

function renderItem(
  id: string,
  secret: FakeSecret,
  version: FakeSecretVersion,
): Record<string, unknown> {
  const item: Record<string, unknown> = { id, attributes: renderAttributes(version) };

  if (version.contentType !== undefined) {
    item.contentType = version.contentType;
  }
  if (version.tags !== undefined) {
    item.tags = version.tags;
  }
  if (secret.managed) {
    item.managed = true;
    item.kid = id.replace("/secrets/", "/keys/");
  }

  return item;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.toUpperCase().localeCompare(b.name.toUpperCase());
}

function listSecrets(request: FakeRequest, vault: FakeVault, pageSize: number): RouteResult {
  const items = [...vault.secrets].sort(byName).flatMap((secret) => {
    const current = currentVersionOf(secret);

    return current ? [renderItem(`${request.origin}/secrets/${secret.name}`, secret, current)] : [];
  });

  return vaultPage(request, items, pageSize);
}

function listVersions(request: FakeRequest, secret: FakeSecret, pageSize: number): RouteResult {
  // The real service lists versions in version-id order, not by creation.
  const items = [...secret.versions]
    .sort((a, b) => a.version.localeCompare(b.version))
    .map((v) => renderItem(`${request.origin}/secrets/${secret.name}/${v.version}`, secret, v));

  return vaultPage(request, items, pageSize);
}

function renderDeleted(
  origin: string,
  vault: FakeVault,
  name: string,
): Record<string, unknown> | undefined {
  const deleted = vault.deletedSecrets.find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!deleted) {
    return undefined;
  }

  return {
    recoveryId: `${origin}/deletedsecrets/${deleted.name}`,
    deletedDate: deleted.deletedDate,
    scheduledPurgeDate: deleted.scheduledPurgeDate,
    ...renderItem(
      `${origin}/secrets/${deleted.name}`,
      { name: deleted.name, versions: [] },
      deleted.current,
    ),
  };
}

function secretNotFound(name: string): RouteResult {
  return azureError(
    404,
    "SecretNotFound",
    `A secret with (name/id) ${name} was not found in this key vault.`,
  );
}

function refuseValue(): RouteResult {
  return {
    ...azureError(
      418,
      "FakeNeverServesSecretValues",
      "The auditor asked for a secret value; it must only ever read properties.",
    ),
    secretValueRequest: true,
  };
}

function routeGet(request: FakeRequest, vault: FakeVault, pageSize: number): RouteResult {
  const parts = request.path.split("/").filter(Boolean).map(decodeURIComponent);
  const [collection, name, third] = parts;
  const secret = vault.secrets.find((s) => s.name.toLowerCase() === name?.toLowerCase());

  if (collection === "secrets" && parts.length === 1) {
    return listSecrets(request, vault, pageSize);
  }

  if (collection === "secrets" && third === "versions" && parts.length === 3) {
    return secret ? listVersions(request, secret, pageSize) : secretNotFound(name ?? "");
  }

  if (collection === "secrets" && parts.length <= 3) {
    return refuseValue();
  }

  if (collection === "deletedsecrets" && parts.length === 1) {
    const items = [...vault.deletedSecrets]
      .sort(byName)
      .flatMap((d) => renderDeleted(request.origin, vault, d.name) ?? []);

    return vaultPage(request, items, pageSize);
  }

  if (collection === "deletedsecrets" && parts.length === 2) {
    const deleted = renderDeleted(request.origin, vault, name ?? "");

    return deleted ? json(deleted) : secretNotFound(name ?? "");
  }

  return azureError(400, "BadParameter", `The request URI ${request.path} is not valid.`);
}

/** Handles one vault's data-plane request (already authenticated). */
export function routeKeyVaultData(
  request: FakeRequest,
  vault: FakeVault,
  estate: FakeEstate,
): RouteResult {
  if (request.method !== "GET") {
    return {
      ...azureError(405, "FakeIsReadOnly", "The auditor must never change a vault."),
      write: true,
    };
  }

  return routeGet(request, vault, estate.paging.vaultPageSize);
}
