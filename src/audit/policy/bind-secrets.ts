import type { BindContext } from "./bind-context.js";
import { lookup } from "./bind-context.js";
import type { BoundRotationClass, RotationIndex } from "./bind-rotation.js";
import { indexRotationClasses, limitOf } from "./bind-rotation.js";
import { isLinuxSafeSettingName, secretKey, settingKey } from "./names.js";
import type { DocSecretPair } from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";
import { looksSecret } from "./show-value.js";
import type {
  PolicyFinding,
  SecretRequirement,
  SettingKind,
  SettingRequirement,
} from "./policy-model.js";

/** Secrets as requirements: one per vault secret, with every setting it feeds. */
export function bindSecrets(
  context: BindContext,
  classes: readonly BoundRotationClass[],
): SecretRequirement[] {
  const bySecret = new Map<string, SecretRequirement>();
  const vaultOf = vaultResolver(context);
  const index = indexRotationClasses(classes);
  const configKeys: DocSecretPair[] = [];

  for (const pair of context.doc.secrets) {
    const vault = vaultOf(pair);
    const key = `${vault}|${secretKey(pair.secret)}`;
    const secret = bySecret.get(key) ?? newSecret(pair, vault, index, context);

    bySecret.set(key, secret);
    secret.purpose ||= pair.purpose;

    if (pair.setting && isPastedValue(pair.setting, pair.line, pair.settingColumn, context)) {
      continue;
    }

    if (
      pair.setting &&
      !secret.settings.some(
        (setting) => settingKey(setting.name) === settingKey(pair.setting ?? ""),
      )
    ) {
      const setting = bindSetting(pair.setting, pair.apps, pair.line, pair.settingColumn, context);

      if (isConfigProviderKey(pair.secret, pair.setting)) {
        configKeys.push(pair);
        setting.configProviderKey = true;
      }

      secret.settings.push(setting);
    }
  }

  if (configKeys.length) {
    context.findings.push(configKeysFinding(configKeys, context));
  }

  return [...bySecret.values()];
}

/**
 * `Storage:ConnectionString` beside secret `Storage--ConnectionString`: the
 * .NET configuration key the Key Vault configuration provider loads from
 * that secret (`--` stands for `:`). The app reads the vault itself, so no
 * App Service setting of that name is expected.
 */
function isConfigProviderKey(secret: string, setting: string): boolean {
  return setting.includes(":") && secretKey(setting.replace(/:/g, "--")) === secretKey(secret);
}

function configKeysFinding(pairs: DocSecretPair[], context: BindContext): PolicyFinding {
  const [first] = pairs;
  const names = pairs.map((pair) => pair.setting ?? "");
  const shown = names.slice(0, 3).join(", ") + (names.length > 3 ? ", ..." : "");

  return makeFinding({
    ruleId: "SETTING_CONFIG_PROVIDER_KEY",
    severity: "info",
    file: context.doc.file,
    line: first?.line ?? 0,
    column: first?.settingColumn,
    message:
      `${names.length} setting(s) (${shown}) are .NET configuration keys that the Key Vault ` +
      "configuration provider can load from the secret of the same name (`--` for `:`): an " +
      "app without them is not reported, one that has them is judged as usual, and their " +
      "secrets are audited.",
    remediation:
      "Nothing to do if the apps load these through the Key Vault configuration provider; if " +
      "they read App Service settings instead, write the setting names with `__` for `:`.",
  });
}

function newSecret(
  pair: DocSecretPair,
  vault: string,
  index: RotationIndex,
  context: BindContext,
): SecretRequirement {
  const limit = limitOf(pair.secret, index);

  return {
    name: pair.secret,
    vault,
    purpose: pair.purpose,
    settings: [],
    rotationClasses: limit.classes,
    maxAgeDays: limit.maxAgeDays,
    docRef: { file: context.doc.file, line: pair.line, column: pair.column },
  };
}

/** The vault key each secret lives in: its vault column, or the one vault there is. */
function vaultResolver(context: BindContext): (pair: DocSecretPair) => string {
  const keys = Object.keys(context.vaults);
  let warned = false;

  return (pair) => {
    if (pair.vault) {
      const byName = Object.entries(context.vaults).find(
        ([, vault]) => vault.name.toLowerCase() === pair.vault?.toLowerCase(),
      );

      return (
        byName?.[0] ?? (lookup(context.vaults, pair.vault) ? pair.vault : pair.vault.toLowerCase())
      );
    }

    if (keys.length !== 1 && context.bindings && !warned) {
      warned = true;
      context.findings.push(vaultFinding(keys, pair, context));
    }

    return keys[0] ?? "";
  };
}

function vaultFinding(
  keys: readonly string[],
  pair: DocSecretPair,
  context: BindContext,
): PolicyFinding {
  const base = {
    ruleId: keys.length ? "SECRET_VAULT_AMBIGUOUS" : "SECRET_VAULT_UNBOUND",
    severity: "medium" as const,
    file: context.doc.file,
    line: pair.line,
    column: pair.column,
  };

  if (keys.length === 0) {
    return makeFinding({
      ...base,
      message: `Neither the doc nor ${context.bindings?.file ?? "the bindings"} names the vault that holds the documented secrets, so none of them can be checked.`,
      remediation: "Add `vaults: { main: { name: <vault name> } }` to the bindings.",
    });
  }

  return makeFinding({
    ...base,
    message: `The bindings declare ${keys.length} vaults (${keys.join(", ")}) but the secret tables have no vault column, so every secret is looked for in "${keys[0] ?? ""}".`,
    remediation: "Add a `Vault` column to the secret matrix, or keep one vault in the bindings.",
  });
}

/**
 * A setting cell that holds a pasted credential rather than a name: said
 * once, without repeating it, and kept out of the policy so that no later
 * finding (or suggested rename) quotes it.
 */
export function isPastedValue(
  name: string,
  line: number,
  column: number,
  context: BindContext,
): boolean {
  if (!looksSecret(name)) {
    return false;
  }

  context.findings.push(
    makeFinding({
      ruleId: "MATRIX_PASTED_SECRET",
      severity: "high",
      file: context.doc.file,
      line,
      column,
      subject: `line ${line}`,
      message: `The setting cell at line ${line} holds what looks like a pasted secret value (not repeated here), not a setting name.`,
      remediation:
        "Write the setting's name instead; if a real value was pasted into the doc, rotate " +
        "it, since the doc's history keeps it.",
    }),
  );

  return true;
}

/** A documented setting, the apps that must carry it, and its name checked for Linux. */
export function bindSetting(
  name: string,
  docApps: readonly string[],
  line: number,
  column: number,
  context: BindContext,
): SettingRequirement {
  const apps = docApps.length
    ? docApps.map((app) => appKeyOf(app, context))
    : consumers(name, context);

  checkLinuxName(name, apps, line, column, context);

  return { name, kind: settingKind(name), apps, docRef: { file: context.doc.file, line, column } };
}

// `ConnectionStrings:Main` is how .NET reads App Service connection string `Main`.
function settingKind(name: string): SettingKind {
  return /^ConnectionStrings(:|__)/i.test(name) ? "connectionString" : "appSetting";
}

function appKeyOf(app: string, context: BindContext): string {
  const byName = Object.entries(context.apps).find(
    ([, binding]) => binding.name.toLowerCase() === app.toLowerCase(),
  );

  return (
    byName?.[0] ??
    Object.keys(context.apps).find((key) => key.toLowerCase() === app.toLowerCase()) ??
    app
  );
}

/** Apps whose `settings:` list names it, or that list none (they take every setting). */
function consumers(name: string, context: BindContext): string[] {
  return Object.entries(context.bindings?.data.apps ?? {})
    .filter(
      ([, app]) =>
        !app.settings || app.settings.some((setting) => settingKey(setting) === settingKey(name)),
    )
    .map(([key]) => key);
}

function checkLinuxName(
  name: string,
  apps: readonly string[],
  line: number,
  column: number,
  context: BindContext,
): void {
  if (isLinuxSafeSettingName(name)) {
    return;
  }

  const linuxApps = apps
    .filter((app) => context.apps[app]?.os === "linux")
    .map((app) => context.apps[app]?.name ?? app);

  if (linuxApps.length === 0 && !context.doc.mentionsLinux) {
    return;
  }

  const portable = name.replaceAll(":", "__").replace(/[^A-Za-z0-9_.]/g, "_");
  const where = linuxApps.length
    ? `Linux app${linuxApps.length > 1 ? "s" : ""} ${linuxApps.join(", ")}`
    : "a Linux app";

  context.findings.push(
    makeFinding({
      ruleId: "MATRIX_NAME_NOT_LINUX_SAFE",
      // The audit matches ":" and "__" alike, so this is advice, not drift.
      severity: "info",
      file: context.doc.file,
      line,
      column,
      subject: name,
      message: `Setting "${name}" at line ${line} cannot be carried by ${where}: App Service on Linux allows only letters, digits, "." and "_" in setting names.`,
      remediation: `Name the setting "${portable}" on Linux; .NET reads "__" as ":".`,
    }),
  );
}
