import { once } from "node:events";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

import { loadTestTls } from "../fake-azure/test-tls.js";

/** One telemetry item as the exporter sends it to Breeze (`/v2.1/track`). */
export interface IngestedEnvelope {
  name: string;
  time: string;
  iKey?: string;
  tags?: Record<string, string>;
  data: {
    baseType: string;
    baseData: {
      name?: string;
      message?: string;
      properties?: Record<string, string>;
      measurements?: Record<string, number>;
      ver?: number;
    };
  };
}

export interface IngestionRequest {
  method: string;
  path: string;
  contentEncoding: string | undefined;
  itemCount: number;
  /** The decoded body as sent, for canary checks over everything that left. */
  text: string;
}

export interface FakeIngestion {
  /** Points the exporter here: IngestionEndpoint is this server. */
  connectionString: string;
  url: string;
  /** Every envelope accepted, in arrival order. */
  envelopes: IngestedEnvelope[];
  requests: IngestionRequest[];
  /** Answer the next track calls with this status instead of 200 (Breeze-shaped body). */
  failNext(statusCode: number, times?: number): void;
  close(): Promise<void>;
}

export interface FakeIngestionOptions {
  /**
   * The server certificate to present. By default the one the vitest
   * global setup issued from the run's test CA, which every worker trusts.
   */
  tls?: { key: string; cert: string };
}

/** All zeros: a syntactically valid key that belongs to nobody. */
export const FAKE_INSTRUMENTATION_KEY = "00000000-0000-0000-0000-000000000000";

/**
 * A loopback stand-in for Application Insights ingestion (Breeze). HTTPS
 * because the exporter rewrites an `http://` IngestionEndpoint to https.
 */
export async function startFakeIngestion(
  options: FakeIngestionOptions = {},
): Promise<FakeIngestion> {
  const credentials = options.tls ?? loadTestTls();
  const state = { envelopes: [] as IngestedEnvelope[], requests: [] as IngestionRequest[] };
  const failures: number[] = [];
  const server = createServer(credentials, (request, response) => {
    void handleRequest(request, response, state, failures);
  });

  server.listen(0, "127.0.0.1");
  await once(server, "listening");

  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}/`;

  return {
    connectionString: `InstrumentationKey=${FAKE_INSTRUMENTATION_KEY};IngestionEndpoint=${url}`,
    url,
    envelopes: state.envelopes,
    requests: state.requests,
    failNext: (statusCode, times = 1) => failures.push(...Array<number>(times).fill(statusCode)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  state: { envelopes: IngestedEnvelope[]; requests: IngestionRequest[] },
  failures: number[],
): Promise<void> {
  const body = await readBody(request);
  const path = new URL(request.url ?? "/", "https://127.0.0.1").pathname;

  if (request.method !== "POST" || path !== "/v2.1/track") {
    answer(response, 404, { error: `the fake ingestion serves POST /v2.1/track, not ${path}` });

    return;
  }

  const encoding = request.headers["content-encoding"];
  const text = (encoding === "gzip" ? gunzipSync(body) : body).toString("utf8");
  const items = parseEnvelopes(text);

  state.requests.push({
    method: request.method,
    path,
    contentEncoding: encoding,
    itemCount: items.length,
    text,
  });

  const failure = failures.shift();

  if (failure !== undefined) {
    answer(response, failure, breezeRejection(items.length, failure));

    return;
  }

  state.envelopes.push(...items);
  answer(response, 200, { itemsReceived: items.length, itemsAccepted: items.length, errors: [] });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];

  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }

  return Buffer.concat(chunks);
}

/** Breeze takes a JSON array or newline-delimited JSON, gzip'd or not. */
function parseEnvelopes(body: string): IngestedEnvelope[] {
  const text = body.trim();

  if (text.startsWith("[")) {
    return JSON.parse(text) as IngestedEnvelope[];
  }

  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as IngestedEnvelope);
}

/** A 206 is a partial accept: each refused item then carries its own status. */
function breezeRejection(count: number, statusCode: number) {
  const itemStatus = statusCode === 206 ? 500 : statusCode;
  const errors = Array.from({ length: count }, (_, index) => ({
    index,
    statusCode: itemStatus,
    message: "rejected by the fake ingestion",
  }));

  return { itemsReceived: count, itemsAccepted: 0, errors };
}

function answer(response: ServerResponse, statusCode: number, body: unknown): void {
  response.writeHead(statusCode, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
