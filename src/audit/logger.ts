/**
 * One logger facade for the engine: the invocation context in Functions,
 * stderr in the CLI. Fields are structured; never pass a secret, a setting
 * value or a token.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Writes one JSON line per entry to a stream-like sink (stderr in the CLI). */
export function createJsonLineLogger(write: (line: string) => void): Logger {
  const log =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + "\n");
    };

  return { info: log("info"), warn: log("warn"), error: log("error") };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
