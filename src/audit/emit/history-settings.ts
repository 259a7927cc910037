/**
 * Where the run history lives, from app settings (Functions) or the
 * environment (CLI). Either a connection string (Azurite, or an account
 * key kept in Key Vault) or an account URL reached through
 * DefaultAzureCredential, which needs no key at all.
 */
import { AuditError } from "../audit-error.js";

export const HISTORY_SETTING = {
  connectionString: "DRIFT_AUDIT_HISTORY_CONNECTION",
  accountUrl: "DRIFT_AUDIT_HISTORY_ACCOUNT_URL",
  container: "DRIFT_AUDIT_HISTORY_CONTAINER",
} as const;

export const DEFAULT_HISTORY_CONTAINER = "drift-audit";

export type HistorySettings =
  | { kind: "connectionString"; connectionString: string; container: string }
  | { kind: "accountUrl"; accountUrl: string; container: string };

type Env = Readonly<Record<string, string | undefined>>;

// Blob container names: 3-63 lower-case letters, digits and single hyphens.
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();

  return value ? value : undefined;
}

function invalid(setting: string, message: string): AuditError {
  return new AuditError("SETTING_INVALID", `${setting} ${message}`);
}

function readContainer(env: Env): string {
  const container = read(env, HISTORY_SETTING.container) ?? DEFAULT_HISTORY_CONTAINER;

  if (!CONTAINER_NAME.test(container)) {
    throw invalid(
      HISTORY_SETTING.container,
      `is "${container}", which is not a blob container name: use 3-63 lower-case ` +
        `letters, digits and single hyphens, e.g. "${DEFAULT_HISTORY_CONTAINER}".`,
    );
  }

  return container;
}

function readAccountUrl(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const loopback = url?.hostname === "127.0.0.1" || url?.hostname === "localhost";

  // Plain http only for a local emulator: a token must never cross the wire in clear.
  if (!url || (url.protocol !== "https:" && !(loopback && url.protocol === "http:"))) {
    throw invalid(
      HISTORY_SETTING.accountUrl,
      `is "${value}", which is not an https URL. Set it to the storage account's blob ` +
        "endpoint, e.g. https://<account>.blob.core.windows.net.",
    );
  }

  return value.replace(/\/+$/, "");
}

/** Undefined when no history is configured. The connection string is never echoed. */
export function readHistorySettings(env: Env): HistorySettings | undefined {
  const connectionString = read(env, HISTORY_SETTING.connectionString);
  const accountUrl = read(env, HISTORY_SETTING.accountUrl);

  if (connectionString && accountUrl) {
    throw invalid(
      HISTORY_SETTING.connectionString,
      `and ${HISTORY_SETTING.accountUrl} are both set; keep one. The account URL signs ` +
        "in with the app's identity and needs no key.",
    );
  }

  if (connectionString) {
    return { kind: "connectionString", connectionString, container: readContainer(env) };
  }

  return accountUrl
    ? { kind: "accountUrl", accountUrl: readAccountUrl(accountUrl), container: readContainer(env) }
    : undefined;
}
