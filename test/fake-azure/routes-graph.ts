/**
 * Microsoft Graph's principal reads, as the v1.0 reference documents them:
 * `GET /v1.0/{servicePrincipals|users|groups}/{id}?$select=...` answers the
 * object (only the selected properties, plus `@odata.context`), or 404
 * `Request_ResourceNotFound` once the object is deleted.
 */
import { randomUUID } from "node:crypto";

import type { FakeDirectoryObject, FakeEstate } from "./estate-model.js";
import { json } from "./http-kit.js";
import type { FakeRequest, RouteResult } from "./http-kit.js";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";

const COLLECTIONS: Record<string, FakeDirectoryObject["kind"]> = {
  servicePrincipals: "servicePrincipal",
  users: "user",
  groups: "group",
};

/** Graph's error body: ARM's shape, plus an `innerError` with request ids. */
export function graphError(status: number, code: string, message: string): RouteResult {
  const innerError = {
    date: new Date().toISOString().slice(0, 19),
    "request-id": randomUUID(),
    "client-request-id": randomUUID(),
  };

  return { status, body: { error: { code, message, innerError } } };
}

function select(object: FakeDirectoryObject, collection: string, fields: string[]) {
  const all: Record<string, unknown> = {
    id: object.id,
    displayName: object.displayName,
    ...(object.kind === "servicePrincipal"
      ? {
          appId: object.appId ?? object.id,
          servicePrincipalType: object.servicePrincipalType ?? "Application",
        }
      : {}),
  };
  const chosen = fields.length ? fields : Object.keys(all);
  const context = fields.length
    ? `${GRAPH_AUDIENCE}/v1.0/$metadata#${collection}(${fields.join(",")})/$entity`
    : `${GRAPH_AUDIENCE}/v1.0/$metadata#${collection}/$entity`;

  return {
    "@odata.context": context,
    ...Object.fromEntries(chosen.filter((f) => f in all).map((f) => [f, all[f]])),
  };
}

export function routeGraph(request: FakeRequest, estate: FakeEstate): RouteResult {
  const match = /^\/v1\.0\/(servicePrincipals|users|groups)\/([^/]+)$/.exec(request.path);
  const kind = match?.[1] === undefined ? undefined : COLLECTIONS[match[1]];

  if (!match || !kind || request.method !== "GET") {
    return graphError(
      400,
      "BadRequest",
      `Resource not found for the segment '${request.path.split("/")[2] ?? ""}'.`,
    );
  }

  const [, collection = "", id = ""] = match;
  const object = estate.directoryObjects.find(
    (o) => o.kind === kind && o.id.toLowerCase() === id.toLowerCase(),
  );

  if (!object) {
    return graphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }

  const fields = (request.query.get("$select") ?? "").split(",").filter(Boolean);

  return json(select(object, collection, fields));
}
