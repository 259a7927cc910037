/**
 * A coarse, value-free description of a plaintext setting value that looks
 * like a credential: enough for a rule to say what kind of secret sits in
 * plain text, never enough to recover it. Values that look like ordinary
 * configuration (ports, URLs, flags, ids) get no shape at all.
 */

import type { ValueShape } from "../snapshot/snapshot.js";

interface ShapeTest {
  shape: ValueShape;
  test: RegExp;
}

// Checked in order: the first match names the shape.
const SECRET_SHAPES: readonly ShapeTest[] = [
  { shape: "PEM private key", test: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { shape: "connection string with AccountKey", test: /(^|;)\s*AccountKey\s*=/i },
  { shape: "connection string with SharedAccessKey", test: /(^|;)\s*SharedAccessKey\s*=/i },
  { shape: "connection string with Password", test: /(^|;)\s*(Password|Pwd)\s*=/i },
  {
    shape: "connection string with InstrumentationKey",
    test: /(^|;)\s*InstrumentationKey\s*=/i,
  },
  {
    shape: "URL with embedded credentials",
    test: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  },
  { shape: "URL with SAS signature", test: /^https?:\/\/\S*[?&]sig=/i },
  { shape: "JWT", test: /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*$/ },
  { shape: "GitHub token", test: /^(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}$/ },
  { shape: "AWS access key id", test: /^(AKIA|ASIA)[A-Z0-9]{16}$/ },
  { shape: "Slack token", test: /^xox[abposr]-[A-Za-z0-9-]{10,}$/ },
  { shape: "Stripe key", test: /^(sk|rk)_(live|test)_[A-Za-z0-9]{10,}$/ },
  { shape: "Google API key", test: /^AIza[0-9A-Za-z_-]{35}$/ },
];

// Ordinary configuration that would otherwise pass for a key: ids and URLs.
const NOT_SECRET = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^https?:\/\/\S+$/i,
  /^-?\d+(\.\d+)?$/,
];

/** Long, unbroken, mixes letters and digits: what API keys and tokens look like. */
function isKeyLike(value: string): boolean {
  return (
    value.length >= 16 &&
    /^[A-Za-z0-9+/=_\-.~]+$/.test(value) &&
    /[A-Za-z]/.test(value) &&
    /\d/.test(value) &&
    !NOT_SECRET.some((pattern) => pattern.test(value))
  );
}

/** The kind of secret a non-empty plaintext value resembles, or undefined. */
export function describeValueShape(value: string): string | undefined {
  const known = SECRET_SHAPES.find(({ test }) => test.test(value));
  if (known) {
    return known.shape;
  }

  return isKeyLike(value) ? "key-like string" : undefined;
}
