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

/**
 * Pass one, over the whole text: secrets that span several tokens or hide
 * behind a name. A value after a key's name (`Password = x`, `token: x`,
 * quoted or not; `Jwt:Secret:Current` is a .NET name, so a colon needs a
 * space after it; a Key Vault reference in its place is the fix), a
 * private key block, an Authorization header, a URL carrying a signature
 * or key in its query (SAS, function keys) or a webhook path.
 */
const SPANS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Passwd|Pass|Pwd|ClientSecret|client_secret|api[_-]?key|access[_-]?token|refresh[_-]?token|token|secret|key)\s*(?:=\s*|:\s+)(?!@Microsoft\.|<)(?=[^\s;,]*[A-Za-z0-9])(?:'[^']*'|"[^"]*"|[^;\r\n,"'`]+)/gi,
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\S*[?&;](?:sig|sv|se|code|key|token|secret|password|pwd)=(?!<)[^\s"'`]+/gi,
  /https:\/\/(?:hooks\.slack\.com\/services|discord(?:app)?\.com\/api\/webhooks)\/\S+/gi,
];

// The same patterns for a yes/no test: a global RegExp keeps state between tests.
const SPAN_TESTS = SPANS.map((span) => new RegExp(span.source, span.flags.replace("g", "")));

const KNOWN_PREFIXES: readonly RegExp[] = [
  /(^|[_=:])(sk|rk|pk)_(live|test)_[A-Za-z0-9]{8,}/,
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/,
  /^github_pat_/,
  /^glpat-/,
  /^xox[abprs]-/,
  /^ya29\./,
  /^AKIA[0-9A-Z]{16}$/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
];

const KEY_IN_CONNECTION_STRING =
  /(^|[;\s])(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)\s*=\s*(?!@Microsoft\.)[^;\s]/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Ids that look random but are public: Key Vault versions, SHA-1 thumbprints. */
const PUBLIC_HEX = /^([0-9a-f]{32}|[0-9A-F]{40}|[0-9a-f]{40})$/;

/**
 * Setting and config names are words joined by `_`, `__`, `:`, `.` or `-`
 * (`AWS_S3_BUCKET_KEY_ID`, `AzureAdB2C__SignUpSignInPolicyId`,
 * `ConnectionStrings__Reporting2024Database`): each word mostly letters,
 * with a few numbers at most, and at least one plain word among them. A
 * random key split at an underscore has digits scattered through it.
 */
function isNameWord(word: string): boolean {
  return /^[A-Za-z0-9]{1,40}$/.test(word) && (word.match(/\d+/g) ?? []).length <= 2;
}

function looksLikeName(text: string): boolean {
  const words = text.split(/[_:.-]+/).filter(Boolean);

  return (
    words.length >= 2 && words.every(isNameWord) && words.some((w) => /^[A-Za-z]{3,}$/.test(w))
  );
}

/** A long run of key characters with letters and digits: base64, hex or a client secret. */
function looksLikeKey(text: string): boolean {
  const mixed = /\d/.test(text) && /[A-Za-z]/.test(text);
  const base64ish = /^[A-Za-z0-9+=_][A-Za-z0-9+/=_]{31,}$/.test(text);
  // Microsoft Entra client secrets carry a "~" among 40 characters.
  const clientSecret = /^[A-Za-z0-9_.~-]{30,}$/.test(text) && text.includes("~");

  return mixed && (base64ish || clientSecret) && !PUBLIC_HEX.test(text) && !looksLikeName(text);
}

/** True for text shaped like a credential rather than a name, id or URL. */
export function looksSecret(value: string): boolean {
  const text = value.trim();

  return (
    KEY_IN_CONNECTION_STRING.test(text) ||
    URL_WITH_PASSWORD.test(text) ||
    KNOWN_PREFIXES.some((prefix) => prefix.test(text)) ||
    looksLikeKey(text) ||
    SPAN_TESTS.some((span) => span.test(text))
  );
}

// Quotes, brackets and separators end a token; a connection string has none.
// A backslash ends one too: JSON output escapes quotes as \".
const TOKEN = /[^\s"'`()[\]{}<>,|\\]+/g;
const TRAILING = /[.:;!?]+$/;

// `NAME=value;Other=value`: a key may hide in one part of a longer token.
const PARTS = /[=;&]+/;

/** `%3BAccountKey%3D…` is a connection string too. */
function decoded(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

function tokenLooksSecret(token: string): boolean {
  return [token, decoded(token)].some(
    (text) => looksSecret(text) || text.split(PARTS).some((part) => part && looksSecret(part)),
  );
}

/** The text with every credential-shaped span and token replaced by REDACTED. */
export function redactSecrets(text: string): string {
  const spansRedacted = SPANS.reduce((result, span) => result.replace(span, REDACTED), text);

  return spansRedacted.replace(TOKEN, (token) => {
    const bare = token.replace(TRAILING, "");

    return tokenLooksSecret(bare) ? REDACTED + token.slice(bare.length) : token;
  });
}

/** True when some part of the text would be redacted. */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
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
    resourceId: redactSecrets(finding.resourceId),
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
