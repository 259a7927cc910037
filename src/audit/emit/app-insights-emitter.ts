import { AsyncLocalStorage } from "node:async_hooks";

import { AzureMonitorLogExporter } from "@azure/monitor-opentelemetry-exporter";
import type { AzureMonitorExporterOptions } from "@azure/monitor-opentelemetry-exporter";
import { ROOT_CONTEXT, createContextKey } from "@opentelemetry/api";
import type { Context } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import type { ExportResult } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider } from "@opentelemetry/sdk-logs";
import type { LogRecordProcessor, SdkLogRecord } from "@opentelemetry/sdk-logs";

import { AuditError } from "../audit-error.js";
import type { AuditRun, RunEmitter } from "../audit-run.js";
import { buildRunEvents } from "./drift-events.js";
import type { DriftEvent } from "./drift-events.js";

/**
 * The exporter turns a log record carrying this attribute into an
 * App Insights custom event (customEvents table, baseType EventData) named
 * by its value; without it the record would land in traces.
 */
export const CUSTOM_EVENT_NAME_ATTRIBUTE = "microsoft.custom_event.name";

const CONNECTION_STRING_SETTING = "APPLICATIONINSIGHTS_CONNECTION_STRING";
const STATSBEAT_SWITCH = "APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL";
// NOTE: exporter 1.0.0-beta.42 reads only this legacy name (export/base.js).
const EXPORTER_STATSBEAT_SWITCH = "APPLICATION_INSIGHTS_NO_STATSBEAT";
const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;
// Same batch size as OpenTelemetry's batch processor: one POST per 512 events.
const MAX_EVENTS_PER_REQUEST = 512;

export interface AppInsightsEmitterOptions {
  /** Defaults to `APPLICATIONINSIGHTS_CONNECTION_STRING` from `env`. */
  connectionString?: string;
  /**
   * Keep batches that ingestion refused with a retriable status on local
   * disk and resend them later (the exporter's default). Tests turn it off
   * so nothing written by one run is replayed into another.
   */
  offlineStorage?: boolean;
  /** How long `emit()` waits for ingestion to accept a run. */
  flushTimeoutMs?: number;
  /** Where settings are read; `process.env` unless a test says otherwise. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** One exporter per connection string for the life of the process. */
interface TelemetryPipeline {
  exporter: AzureMonitorLogExporter;
  provider: LoggerProvider;
  offlineStorage: boolean;
}

const pipelines = new Map<string, TelemetryPipeline>();
const RUN_BATCH = createContextKey("drift-auditor.run-batch");

/** What ingestion finally answered to one export, after the SDK's retries. */
interface Delivery {
  statusCode: number | undefined;
  errorCode: string | undefined;
}

const deliveries = new AsyncLocalStorage<Delivery>();

type PipelinePolicy = NonNullable<
  AzureMonitorExporterOptions["additionalPolicies"]
>[number]["policy"];

/**
 * The exporter reports success for a batch it could not deliver when the
 * failure is retriable (it hands the batch to its disk store, or drops it
 * when that is off). This policy records the real answer so `emit()` can
 * tell "accepted" from "not delivered".
 */
const recordDelivery: PipelinePolicy = {
  name: "driftAuditorRecordDelivery",
  async sendRequest(request, next) {
    const delivery = deliveries.getStore();

    try {
      const response = await next(request);

      if (delivery) {
        delivery.statusCode = response.status;
      }

      return response;
    } catch (error) {
      if (delivery) {
        Object.assign(delivery, describeFailure(error));
      }

      throw error;
    }
  },
};

/**
 * Sends each run to Application Insights as customEvents: one `DriftFinding`
 * per finding and one `DriftAuditRun` summary, dimensions only.
 *
 * The exporter is built once per process and connection string and reused
 * by every later emitter, so a Functions worker that stays warm across
 * invocations sets telemetry up once. `emit()` resolves only once ingestion
 * has accepted the run's events, and rejects with an AuditError otherwise.
 *
 * This builds on `@azure/monitor-opentelemetry-exporter` (the exporter that
 * `@azure/monitor-opentelemetry` wraps) rather than `useAzureMonitor()`:
 * in 1.18.1 `useAzureMonitor()` always probes the VM metadata address
 * 169.254.169.254 and replaces the process-wide OpenTelemetry providers,
 * and we want neither in a Functions worker or a test.
 */
export function createAppInsightsEmitter(options: AppInsightsEmitterOptions = {}): RunEmitter {
  const env = options.env ?? process.env;
  const connectionString = requireConnectionString(options.connectionString, env);

  applyStatsbeatSwitch(env);

  const pipeline = getPipeline(connectionString, options.offlineStorage ?? true);
  const timeoutMs = options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;

  return {
    name: "app-insights",
    emit: (run) => emitRun(pipeline, run, timeoutMs),
  };
}

function requireConnectionString(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const connectionString = (explicit ?? env[CONNECTION_STRING_SETTING] ?? "").trim();

  if (!/(^|;)\s*InstrumentationKey=/i.test(connectionString)) {
    throw new AuditError(
      "TELEMETRY_NOT_CONFIGURED",
      `Application Insights is not configured: ${CONNECTION_STRING_SETTING} is missing or has ` +
        "no InstrumentationKey. Set it to the connection string shown on the Application " +
        "Insights resource's Overview page.",
    );
  }

  return connectionString;
}

/**
 * Statsbeat is the SDK's own usage report to Microsoft-owned hosts. We
 * honour the documented switch by setting the name this exporter reads.
 */
function applyStatsbeatSwitch(env: Readonly<Record<string, string | undefined>>): void {
  if (env[STATSBEAT_SWITCH]?.trim().toLowerCase() === "true") {
    process.env[EXPORTER_STATSBEAT_SWITCH] = "true";
  }
}

function getPipeline(connectionString: string, offlineStorage: boolean): TelemetryPipeline {
  const key = `${offlineStorage ? "disk" : "memory"}\n${connectionString}`;
  const existing = pipelines.get(key);

  if (existing) {
    return existing;
  }

  const pipeline = createPipeline(connectionString, offlineStorage);

  pipelines.set(key, pipeline);

  return pipeline;
}

function createPipeline(connectionString: string, offlineStorage: boolean): TelemetryPipeline {
  let exporter: AzureMonitorLogExporter;

  try {
    exporter = new AzureMonitorLogExporter({
      connectionString,
      disableOfflineStorage: !offlineStorage,
      additionalPolicies: [{ policy: recordDelivery, position: "perCall" }],
    });
  } catch (cause) {
    throw new AuditError(
      "TELEMETRY_NOT_CONFIGURED",
      `Application Insights rejected the connection string in ${CONNECTION_STRING_SETTING}: ` +
        "its InstrumentationKey must be a GUID. Copy the connection string again from the " +
        "Application Insights resource.",
      { cause },
    );
  }

  // No resource detectors: they would probe metadata hosts for attributes
  // that App Insights does not need to file these events.
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "drift-auditor" }),
    processors: [new RunBatchProcessor()],
  });

  return { exporter, provider, offlineStorage };
}

/**
 * Collects each record into the batch of the run that emitted it (carried
 * in the context), so concurrent invocations never flush each other's
 * events and each `emit()` can wait for exactly its own.
 */
class RunBatchProcessor implements LogRecordProcessor {
  onEmit(record: SdkLogRecord, context?: Context): void {
    const batch = context?.getValue(RUN_BATCH);

    if (Array.isArray(batch)) {
      batch.push(record);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function emitRun(pipeline: TelemetryPipeline, run: AuditRun, timeoutMs: number) {
  const batch: SdkLogRecord[] = [];
  const context = ROOT_CONTEXT.setValue(RUN_BATCH, batch);
  const logger = pipeline.provider.getLogger("drift-auditor");

  for (const event of buildRunEvents(run)) {
    logger.emit({ context, attributes: toAttributes(event) });
  }

  for (let start = 0; start < batch.length; start += MAX_EVENTS_PER_REQUEST) {
    const records = batch.slice(start, start + MAX_EVENTS_PER_REQUEST);

    await withTimeout(exportRecords(pipeline, records, run.id), timeoutMs, run.id);
  }
}

function toAttributes(event: DriftEvent): Record<string, string> {
  return { ...event.dimensions, [CUSTOM_EVENT_NAME_ATTRIBUTE]: event.name };
}

async function exportRecords(
  pipeline: TelemetryPipeline,
  records: SdkLogRecord[],
  runId: string,
): Promise<void> {
  const delivery: Delivery = { statusCode: undefined, errorCode: undefined };
  const result = await deliveries.run(delivery, () => callExporter(pipeline.exporter, records));
  const delivered = result.code === ExportResultCode.SUCCESS && delivery.statusCode === 200;

  if (delivered) {
    return;
  }

  const answer = delivery.statusCode ?? delivery.errorCode ?? "no answer";
  const fate = pipeline.offlineStorage
    ? "the exporter keeps what it can retry on disk and resends it later"
    : "they are lost";

  throw new AuditError(
    "TELEMETRY_EXPORT_FAILED",
    `Application Insights did not accept the ${records.length} event(s) of run ${runId} ` +
      `(ingestion answered ${answer}); ${fate}. Check that the ingestion endpoint in the ` +
      "connection string is reachable and the resource accepts this key.",
    { cause: result.error },
  );
}

function callExporter(
  exporter: AzureMonitorLogExporter,
  records: SdkLogRecord[],
): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    exporter.export(records, resolve).catch(reject);
  });
}

/** RestError carries `statusCode` for an answer and `code` for a failed send. */
function describeFailure(error: unknown): Pick<Delivery, "statusCode" | "errorCode"> {
  const fields =
    typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const { statusCode, code } = fields;

  return {
    statusCode: typeof statusCode === "number" ? statusCode : undefined,
    errorCode: typeof code === "string" ? code : undefined,
  };
}

async function withTimeout(work: Promise<void>, timeoutMs: number, runId: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new AuditError(
          "TELEMETRY_EXPORT_TIMEOUT",
          `Application Insights did not answer within ${timeoutMs} ms for run ${runId}. ` +
            "Check outbound access to the ingestion endpoint in the connection string.",
        ),
      );
    }, timeoutMs);
    timer.unref();
  });

  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
