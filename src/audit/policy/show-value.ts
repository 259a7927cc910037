import { containsSecret } from "../findings/redact-secrets.js";

/** True when any part of a doc or bindings value looks like a credential. */
export function looksSecret(value: string): boolean {
  return containsSecret(value);
}

/**
 * How a bindings value is quoted in an error. Errors go to terminals and CI
 * logs, so a value that looks like a credential (a pasted connection
 * string, a long key) is described, never repeated.
 */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) {
    return "empty";
  }

  if (Array.isArray(value)) {
    return "a list";
  }

  if (typeof value === "string" && looksSecret(value)) {
    return "a value that looks like a secret (not repeated here)";
  }

  return typeof value === "object" ? "a mapping" : JSON.stringify(value);
}

/**
 * How the doc's own text is quoted in a finding: in double quotes, unless
 * it looks like a credential someone pasted into the doc.
 */
export function quoteText(text: string): string {
  return looksSecret(text) ? "a value that looks like a secret (not repeated here)" : `"${text}"`;
}
