import type { LogFields, Logger } from "../audit/logger.js";

/**
 * The CLI logs to stderr so stdout stays a clean report. Warnings always
 * show; progress only with --verbose. Fields are names and counts only.
 */
export function createCliLogger(verbose: boolean): Logger {
  const write = (level: string, message: string, fields: LogFields = {}) => {
    const rendered = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(" ");

    process.stderr.write(`${level} ${message}${rendered ? " " + rendered : ""}\n`);
  };

  return {
    info: (message, fields) => (verbose ? write("info", message, fields) : undefined),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
