/**
 * Turns a failed Azure read into a CollectionGap: what could not be read,
 * why, and the status and error code Azure gave. Errors that are not Azure
 * or credential failures are bugs of ours and are rethrown, not hidden.
 */
import type { CollectionGap } from "../snapshot/snapshot.js";

/** The parts of the SDKs' RestError we rely on (checked by shape, not class). */
interface AzureRestError extends Error {
  name: "RestError";
  statusCode?: number;
  code?: string;
}

const CREDENTIAL_ERRORS = new Set([
  "CredentialUnavailableError",
  "AuthenticationError",
  "AggregateAuthenticationError",
  "AuthenticationRequiredError",
]);

const MAX_MESSAGE_CHARS = 240;

export function isAzureRestError(error: unknown): error is AzureRestError {
  return error instanceof Error && error.name === "RestError";
}

export function isCredentialError(error: unknown): error is Error {
  return error instanceof Error && CREDENTIAL_ERRORS.has(error.name);
}

/** True for a definite "does not exist" answer, which is data, not a gap. */
export function isNotFound(error: unknown): boolean {
  return isAzureRestError(error) && error.statusCode === 404;
}

function hintFor(statusCode: number | undefined): string {
  switch (statusCode) {
    case 401:
    case 403:
      return "the auditor's identity is not allowed this read; see the README for the roles it needs";
    case 429:
      return "Azure throttled the auditor and the retry did not succeed; run again later";
    case undefined:
      return "the endpoint could not be reached";
    default:
      return "Azure failed to answer";
  }
}

// Service messages name resources and actions, never setting values, but
// they can be long and multi-line; keep the first line only.
function firstLine(message: string): string {
  const line = message.split(/\r?\n/)[0]?.trim() ?? "";

  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line;
}

/** A gap for a failed read; rethrows anything that is not an Azure or credential error. */
export function toCollectionGap(
  error: unknown,
  resourceId: string,
  what: string,
  principalId?: string,
): CollectionGap {
  if (!isAzureRestError(error) && !isCredentialError(error)) {
    throw error;
  }

  const statusCode = isAzureRestError(error) ? error.statusCode : undefined;
  const errorCode = isAzureRestError(error) ? (error.code ?? undefined) : error.name;
  const gap: CollectionGap = {
    resourceId,
    what,
    reason: `${firstLine(error.message)} (${hintFor(statusCode)})`,
    statusCode,
    errorCode,
  };

  return principalId === undefined ? gap : { ...gap, principalId };
}
