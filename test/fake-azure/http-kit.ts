/**
 * Small HTTP helpers shared by the fake's route handlers: the request as
 * handlers see it, the result they return, Azure's error body and paging.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A request as route handlers see it. */
export interface FakeRequest {
  method: string;
  /** Decoded path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** `https://127.0.0.1:<port>` of the server that received the request. */
  origin: string;
  /** The request body as text (Resource Graph's query is a POST body). */
  body?: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Set when the request asked for a secret value (the fake never serves one). */
  secretValueRequest?: boolean;
  /** Set when the request would have changed something. */
  write?: boolean;
}

export function json(body: unknown, status = 200): RouteResult {
  return { status, body };
}

/** The error body every ARM resource provider and Key Vault return. */
export function azureError(
  status: number,
  code: string,
  message: string,
  innerCode?: string,
): RouteResult {
  const error: Record<string, unknown> = { code, message };
  if (innerCode) {
    error.innererror = { code: innerCode };
  }

  return { status, body: { error } };
}

export function notFound(what: string): RouteResult {
  return azureError(
    404,
    "ResourceNotFound",
    `The Resource '${what}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }

  return Buffer.concat(chunks).toString("utf8");
}

export function writeResult(response: ServerResponse, result: RouteResult): void {
  const text = result.body === undefined ? "" : JSON.stringify(result.body);

  response.writeHead(result.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text).toString(),
    "x-ms-request-id": randomUUID(),
    ...result.headers,
  });
  response.end(text);
}

export function encodeSkipToken(offset: number): string {
  const marker = Buffer.from(`offset!${offset}`).toString("base64");

  return Buffer.from(
    JSON.stringify({ NextMarker: `2!${offset}!${marker}`, TargetLocation: 0 }),
  ).toString("base64url");
}

/** Reads the offset back from a skip token this fake issued (0 when absent). */
export function decodeSkipToken(token: string | null): number {
  if (!token) {
    return 0;
  }

  const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
    NextMarker?: string;
  };
  const offset = Number(parsed.NextMarker?.split("!")[1]);

  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}

/** The request's own URL with a new skip token: nextLinks are absolute, on this host. */
function makeNextLink(request: FakeRequest, offset: number): string {
  // Written by hand: URLSearchParams would encode `$skiptoken` as `%24skiptoken`,
  // which real nextLinks never do.
  const pairs = [...request.query.entries()]
    .filter(([key]) => key !== "$skiptoken")
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  pairs.push(`$skiptoken=${encodeSkipToken(offset)}`);

  return `${request.origin}${request.path}?${pairs.join("&")}`;
}

/** One ARM page: `{ value, nextLink }`, nextLink omitted on the last page. */
export function armPage<T>(request: FakeRequest, items: T[], pageSize: number): RouteResult {
  const offset = decodeSkipToken(request.query.get("$skiptoken"));
  const end = offset + pageSize;
  const body: { value: T[]; nextLink?: string } = { value: items.slice(offset, end) };

  if (end < items.length) {
    body.nextLink = makeNextLink(request, end);
  }

  return json(body);
}

/**
 * One Key Vault page, shaped like the real recording: the first page is
 * empty, every page carries a nextLink, and the list ends with
 * `{ "value": [], "nextLink": null }`.
 */
export function vaultPage<T>(request: FakeRequest, items: T[], pageSize: number): RouteResult {
  const token = request.query.get("$skiptoken");

  if (!token) {
    return json({ value: [], nextLink: makeNextLink(request, 0) });
  }

  const offset = decodeSkipToken(token);
  if (offset >= items.length) {
    return json({ value: [], nextLink: null });
  }

  const end = offset + pageSize;

  return json({ value: items.slice(offset, end), nextLink: makeNextLink(request, end) });
}
