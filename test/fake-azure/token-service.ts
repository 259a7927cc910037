/**
 * App Service's managed-identity token endpoint, faked on loopback.
 *
 * One per process, on purpose: MSAL (inside @azure/identity) keeps the
 * managed-identity source it first picked, endpoint included, and its token
 * cache in static fields. A second endpoint in the same process would never
 * be asked, so every fake in a process shares this one, and every fake
 * accepts the tokens it issued.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";

import { azureError, json, writeResult } from "./http-kit.js";
import type { RouteResult } from "./http-kit.js";
import { loadTestTls } from "./test-tls.js";

export interface TokenRequestEvent {
  resource: string | null;
  apiVersion: string | null;
  headerValid: boolean;
  status: number;
}

export interface TokenService {
  /** Value for IDENTITY_ENDPOINT. */
  endpoint: string;
  /** Value for IDENTITY_HEADER. */
  header: string;
  /** The audience the token was issued for, or undefined when it is not ours. */
  audienceOf(authorization: string | undefined): string | undefined;
  subscribe(listener: (event: TokenRequestEvent) => void): () => void;
}

const TOKEN_LIFETIME_S = 3600;
const signingKey = randomBytes(32);
let shared: Promise<TokenService> | undefined;

function sign(payload: string): string {
  return createHmac("sha256", signingKey).update(payload).digest("base64url");
}

function issueToken(resource: string): string {
  const payload = Buffer.from(
    JSON.stringify({ aud: resource, exp: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S }),
  ).toString("base64url");

  return `fake-azure.${payload}.${sign(payload)}`;
}

function audienceOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer fake-azure\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? "");
  if (!match) {
    return undefined;
  }

  const [, payload = "", signature = ""] = match;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return undefined;
  }

  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    aud: string;
    exp: number;
  };

  return claims.exp > Date.now() / 1000 ? claims.aud : undefined;
}

function answerTokenRequest(url: URL, headerValue: unknown, header: string): RouteResult {
  const resource = url.searchParams.get("resource");

  if (url.pathname !== "/msi/token" || url.searchParams.get("api-version") !== "2019-08-01") {
    return azureError(400, "BadRequest", "Expected GET /msi/token?api-version=2019-08-01.");
  }

  if (headerValue !== header) {
    return azureError(401, "Unauthorized", "The X-IDENTITY-HEADER header is missing or wrong.");
  }

  if (!resource) {
    return azureError(400, "BadRequest", "The resource parameter is required.");
  }

  return json({
    access_token: issueToken(resource),
    expires_on: String(Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S),
    resource,
    token_type: "Bearer",
    client_id: "9f1b7c3e-0000-4000-8000-00000000c1d0",
  });
}

async function startTokenService(): Promise<TokenService> {
  const tls = loadTestTls();
  const header = randomBytes(16).toString("hex");
  const listeners = new Set<(event: TokenRequestEvent) => void>();

  const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const headerValue = request.headers["x-identity-header"];
    const result = answerTokenRequest(url, headerValue, header);
    const event: TokenRequestEvent = {
      resource: url.searchParams.get("resource"),
      apiVersion: url.searchParams.get("api-version"),
      headerValid: headerValue === header,
      status: result.status,
    };

    listeners.forEach((listener) => listener(event));
    writeResult(response, result);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Lives as long as the process; it must not keep a test worker alive.
  server.unref();
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `https://127.0.0.1:${port}/msi/token`,
    header,
    audienceOf,
    subscribe(listener) {
      listeners.add(listener);

      return () => listeners.delete(listener);
    },
  };
}

/** The process-wide token endpoint, started on first use. */
export function getTokenService(): Promise<TokenService> {
  shared ??= startTokenService();

  return shared;
}
