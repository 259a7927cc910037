import type { InvocationContext } from "@azure/functions";

import type { LogFields, Logger } from "../audit/logger.js";

/**
 * The engine's Logger over a Functions invocation. The host files
 * `context.info/warn/error` as traces with the invocation id attached; the
 * fields follow the message as one JSON object so a query can parse them.
 */
export function createInvocationLogger(context: InvocationContext): Logger {
  return {
    info: (message, fields) => context.info(renderEntry(message, fields)),
    warn: (message, fields) => context.warn(renderEntry(message, fields)),
    error: (message, fields) => context.error(renderEntry(message, fields)),
  };
}

export function renderEntry(message: string, fields: LogFields = {}): string {
  const present = Object.entries(fields).filter(([, value]) => value !== undefined);

  return present.length === 0
    ? message
    : `${message} ${JSON.stringify(Object.fromEntries(present))}`;
}
