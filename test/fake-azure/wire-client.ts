/**
 * A bare HTTPS client for reading the fake's raw responses, with a token
 * from its token endpoint: for wire-format tests that must see the JSON the
 * SDKs would see, before any deserializer reshapes it. It trusts the fake
 * only through NODE_EXTRA_CA_CERTS, like every other client in the tests.
 */
import { request } from "node:https";

import type { FakeAzure } from "./fake-azure.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface RawRequest {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Sent as JSON, for the POSTs that carry one (Resource Graph queries). */
  json?: unknown;
}

export function sendRaw(url: string | URL, options: RawRequest = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }

  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  if (body !== undefined) {
    headers["content-type"] = "application/json";
  }

  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? "GET", headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: text === "" ? undefined : (JSON.parse(text) as unknown),
        });
      });
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** A token for `resource`, asked of the fake's managed-identity endpoint. */
export async function getFakeToken(fake: FakeAzure, resource: string): Promise<string> {
  const url = new URL(fake.identityEndpoint);
  url.searchParams.set("api-version", "2019-08-01");
  url.searchParams.set("resource", resource);

  const response = await sendRaw(url, { headers: { "x-identity-header": fake.identityHeader } });

  return (response.body as { access_token: string }).access_token;
}
