/**
 * Name rules shared by the doc reader and the binder. Key Vault compares
 * secret names without regard to case; App Service treats `:` and `__` as
 * the same hierarchy separator.
 */

const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_INSIDE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const TEMPLATE_MARK = /<[^<>]+>|\[[^[\]]+\]|\{[^{}]+\}/;
// App Service on Linux passes settings as environment variables.
const LINUX_SETTING_NAME = /^[A-Za-z0-9_.]+$/;
const VAULT_NAME = /^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function isVaultName(name: string): boolean {
  return VAULT_NAME.test(name) && !name.includes("--");
}

/** A real calendar day written YYYY-MM-DD (`2025-02-30` is not). */
export function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);

  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** The first GUID inside `text`, lower-cased. */
export function findGuid(text: string): string | undefined {
  return GUID_INSIDE.exec(text)?.[0].toLowerCase();
}

/** `<env>`, `[env]` or `{id}`: the name is a pattern, not one resource. */
export function isTemplatedName(name: string): boolean {
  return TEMPLATE_MARK.test(name);
}

export function isLinuxSafeSettingName(name: string): boolean {
  return LINUX_SETTING_NAME.test(name);
}

/** Comparison key for secret names: Key Vault ignores case. */
export function secretKey(name: string): string {
  return name.toLowerCase();
}

/** Comparison key for setting names: `:` and `__` are one separator; case is ignored. */
export function settingKey(name: string): string {
  return name.replaceAll(":", "__").toLowerCase();
}

/** Lower-case, markup-free, single-spaced: the form vocabulary phrases compare in. */
export function phraseKey(text: string): string {
  return text.toLowerCase().replace(/[`*]/g, "").replace(/\s+/g, " ").trim();
}
