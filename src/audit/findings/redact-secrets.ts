/**
 * The last line of defence against repeating a credential. The doc and
 * the bindings are written by people, and people paste keys into tables,
 * notes and waivers; whatever the auditor quotes from them ends up in
 * reports, CI logs, App Insights and the run history. Every finding's text
 * passes through `redactSecrets`, so a token shaped like a credential is
 * replaced wherever it came from.
 *
 * Shapes, not names: a connection string with a key or password, a URL
 * with a password, well-known token prefixes, and long key-like strings.
 * Key Vault version ids (32 hex digits), GUIDs and ARM ids are not secrets
 * and are left alone.
 */

import type { Finding } from "./finding.js";

export const REDACTED = "[redacted: looks like a secret]";

const KNOWN_PREFIXES = [
  /^(sk|rk|pk)_(live|test)_/,
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/,
  /^github_pat_/,
  /^xox[abprs]-/,
  /^ya29\./,
  /^AKIA[0-9A-Z]{16}$/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
];

// A key or password with a value; a Key Vault reference in its place is the fix, not a leak.
const KEY_IN_CONNECTION_STRING =
  /(^|[;\s])(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)\s*=\s*(?!@Microsoft\.)[^;\s]/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;
const VAULT_VERSION = /^[0-9a-f]{32}$/;

/** A long run of key characters with letters and digits: base64, hex or a client secret. */
function looksLikeKey(text: string): boolean {
  const mixed = /\d/.test(text) && /[A-Za-z]/.test(text);
  const base64ish = /^[A-Za-z0-9+=_][A-Za-z0-9+/=_]{31,}$/.test(text);
  // Microsoft Entra client secrets carry a "~" among 40 characters.
  const clientSecret = /^[A-Za-z0-9_.~-]{30,}$/.test(text) && text.includes("~");

  return mixed && !VAULT_VERSION.test(text) && (base64ish || clientSecret);
}

/** True for text shaped like a credential rather than a name, id or URL. */
export function looksSecret(value: string): boolean {
  const text = value.trim();

  return (
    KEY_IN_CONNECTION_STRING.test(text) ||
    URL_WITH_PASSWORD.test(text) ||
    KNOWN_PREFIXES.some((prefix) => prefix.test(text)) ||
    looksLikeKey(text)
  );
}

// Quotes, brackets and separators end a token; a connection string has none.
const TOKEN = /[^\s"'`()[\]{}<>,|]+/g;
const TRAILING = /[.:;!?]+$/;

// `NAME=value;Other=value`: a key may hide in one part of a longer token.
const PARTS = /[=;]+/;

function tokenLooksSecret(token: string): boolean {
  return looksSecret(token) || token.split(PARTS).some((part) => part && looksSecret(part));
}

/** The text with every credential-shaped token replaced by REDACTED. */
export function redactSecrets(text: string): string {
  return text.replace(TOKEN, (token) => {
    const bare = token.replace(TRAILING, "");

    return tokenLooksSecret(bare) ? REDACTED + token.slice(bare.length) : token;
  });
}

export function redactRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, redactSecrets(value)]),
  );
}

/** A finding with every text redacted; ids, severities and references are kept. */
export function redactFinding(finding: Finding): Finding {
  return {
    ...finding,
    subject: redactSecrets(finding.subject),
    message: redactSecrets(finding.message),
    expected: redactSecrets(finding.expected),
    observed: redactSecrets(finding.observed),
    remediation: redactSecrets(finding.remediation),
    evidence: redactRecord(finding.evidence),
    ...(finding.waiver
      ? {
          waiver: {
            ...finding.waiver,
            owner: redactSecrets(finding.waiver.owner),
            reason: redactSecrets(finding.waiver.reason),
          },
        }
      : {}),
  };
}
