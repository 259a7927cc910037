/**
 * Classifies an App Service setting value in memory so that the value
 * itself can be dropped: the snapshot keeps only the kind, the parsed
 * reference (names, never a value) or a coarse shape. Nothing returned here
 * ever contains the value or a piece of it.
 */
import type {
  AppConfigReference,
  KeyVaultReference,
  SettingValueKind,
} from "../snapshot/snapshot.js";
import { describeValueShape } from "./describe-value-shape.js";

export interface SettingValueClass {
  valueKind: SettingValueKind;
  reference?: KeyVaultReference;
  appConfigReference?: AppConfigReference;
  /** For plaintext that resembles a secret only. */
  valueShape?: string;
}

const KEY_VAULT_PREFIX = "@microsoft.keyvault(";
const APP_CONFIG_PREFIX = "@microsoft.appconfiguration(";
const SECRET_NAME = /^[0-9a-z-]{1,127}$/i;
const VAULT_NAME = /^[0-9a-z-]{3,24}$/i;
const VERSION = /^[0-9a-f]{32}$/i;
const VAULT_HOST = /^([0-9a-z-]{3,24})\.vault\.[a-z0-9.-]+$/i;

type ParsedPairs = { pairs: Map<string, string> } | { malformed: string };

function malformedReference(form: KeyVaultReference["form"], reason: string): KeyVaultReference {
  return { form, vaultName: "", secretName: "", secretVersion: undefined, malformed: reason };
}

/** Splits `Key=value;Key=value[;]` with case-insensitive keys. */
function parsePairs(body: string, allowed: readonly string[]): ParsedPairs {
  const pairs = new Map<string, string>();
  const parts = body.split(";").map((part) => part.trim());

  for (const [index, part] of parts.entries()) {
    const isTrailing = part === "" && index === parts.length - 1;
    const equals = part.indexOf("=");

    if (isTrailing) {
      continue;
    }
    if (equals <= 0) {
      return { malformed: "a part of the reference is not Key=value" };
    }

    const key = part.slice(0, equals).trim().toLowerCase();
    if (!allowed.includes(key)) {
      return { malformed: "the reference has a key App Service does not know" };
    }
    if (pairs.has(key)) {
      return { malformed: "the reference repeats a key" };
    }

    pairs.set(key, part.slice(equals + 1).trim());
  }

  return { pairs };
}

function parseVersion(text: string | undefined): string | undefined | false {
  if (text === undefined || text === "") {
    return undefined;
  }

  return VERSION.test(text) ? text : false;
}

function parseSecretUri(uriText: string): KeyVaultReference {
  let url: URL;
  try {
    url = new URL(uriText);
  } catch {
    return malformedReference("SecretUri", "SecretUri is not a URL");
  }

  const vaultName = VAULT_HOST.exec(url.hostname)?.[1];
  const segments = url.pathname.split("/").slice(1);
  if (segments.at(-1) === "") {
    segments.pop();
  }
  const [collection, secretName, versionText, ...extra] = segments;
  const version = parseVersion(versionText);

  if (url.protocol !== "https:" || url.search !== "" || url.hash !== "") {
    return malformedReference("SecretUri", "SecretUri must be a plain https URL");
  }
  if (!vaultName) {
    return malformedReference("SecretUri", "SecretUri does not name a Key Vault host");
  }
  if (collection?.toLowerCase() !== "secrets" || extra.length > 0) {
    return malformedReference("SecretUri", "SecretUri is not a /secrets/{name}[/{version}] URI");
  }
  if (!secretName || !SECRET_NAME.test(secretName)) {
    return malformedReference("SecretUri", "the secret name breaks Key Vault's naming rules");
  }
  if (version === false) {
    return malformedReference("SecretUri", "the secret version is not a 32-character hex id");
  }

  return { form: "SecretUri", vaultName, secretName, secretVersion: version };
}

function parseVaultNameForm(body: string): KeyVaultReference {
  const parsed = parsePairs(body, ["vaultname", "secretname", "secretversion"]);
  if ("malformed" in parsed) {
    return malformedReference("VaultName", parsed.malformed);
  }

  const vaultName = parsed.pairs.get("vaultname") ?? "";
  const secretName = parsed.pairs.get("secretname") ?? "";
  const version = parseVersion(parsed.pairs.get("secretversion"));

  if (!VAULT_NAME.test(vaultName)) {
    return malformedReference("VaultName", "VaultName is missing or not a valid vault name");
  }
  if (!SECRET_NAME.test(secretName)) {
    return malformedReference(
      "VaultName",
      "SecretName is missing or breaks Key Vault's naming rules",
    );
  }
  if (version === false) {
    return malformedReference("VaultName", "SecretVersion is not a 32-character hex id");
  }

  return { form: "VaultName", vaultName, secretName, secretVersion: version };
}

/** Parses the text inside `@Microsoft.KeyVault(...)`. */
export function parseKeyVaultReference(body: string): KeyVaultReference {
  const trimmed = body.trim();
  const secretUri = /^secreturi\s*=(.*)$/is.exec(trimmed);

  if (secretUri) {
    return parseSecretUri((secretUri[1] ?? "").trim().replace(/;$/, "").trim());
  }

  if (/^(vaultname|secretname|secretversion)\s*=/i.test(trimmed)) {
    return parseVaultNameForm(trimmed);
  }

  return malformedReference("SecretUri", "expected SecretUri= or VaultName=...;SecretName=...");
}

function parseAppConfigReference(body: string): AppConfigReference {
  const parsed = parsePairs(body, ["endpoint", "key", "label"]);
  const malformed = (reason: string): AppConfigReference => ({
    endpoint: "",
    key: "",
    label: undefined,
    malformed: reason,
  });

  if ("malformed" in parsed) {
    return malformed(parsed.malformed);
  }

  const key = parsed.pairs.get("key");
  let endpoint: string;
  try {
    endpoint = new URL(parsed.pairs.get("endpoint") ?? "").hostname;
  } catch {
    return malformed("Endpoint is missing or not a URL");
  }
  if (!key) {
    return malformed("Key is missing");
  }

  return { endpoint, key, label: parsed.pairs.get("label") || undefined };
}

/** Text between the reference prefix and its closing parenthesis, if it has one. */
function referenceBody(trimmed: string, prefix: string): string | undefined {
  return trimmed.endsWith(")") ? trimmed.slice(prefix.length, -1) : undefined;
}

/** Classifies a setting value; the caller must drop the value afterwards. */
export function classifySettingValue(value: string | null | undefined): SettingValueClass {
  const trimmed = (value ?? "").trim();
  const lower = trimmed.toLowerCase();

  if (trimmed === "") {
    return { valueKind: "empty" };
  }

  if (lower.startsWith(KEY_VAULT_PREFIX)) {
    const body = referenceBody(trimmed, KEY_VAULT_PREFIX);
    const reference =
      body === undefined
        ? malformedReference("SecretUri", "the reference has no closing parenthesis")
        : parseKeyVaultReference(body);

    return { valueKind: "keyVaultReference", reference };
  }

  if (lower.startsWith(APP_CONFIG_PREFIX)) {
    const body = referenceBody(trimmed, APP_CONFIG_PREFIX);
    const appConfigReference =
      body === undefined
        ? { endpoint: "", key: "", label: undefined, malformed: "no closing parenthesis" }
        : parseAppConfigReference(body);

    return { valueKind: "appConfigReference", appConfigReference };
  }

  const valueShape = describeValueShape(trimmed);

  return valueShape === undefined
    ? { valueKind: "plaintext" }
    : { valueKind: "plaintext", valueShape };
}
