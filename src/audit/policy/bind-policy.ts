import type { BindContext } from "./bind-context.js";
import { bindApps, bindEndpoints, bindVaults } from "./bind-context.js";
import { bindIdentities } from "./bind-identities.js";
import { bindRotationClasses } from "./bind-rotation.js";
import { bindSecrets, bindSetting, isPastedValue } from "./bind-secrets.js";
import { settingKey } from "./names.js";
import type { ResolvedBindings } from "./parse-bindings.js";
import type { DocVault, PolicyDoc } from "./policy-doc.js";
import { makeFinding, sortFindings } from "./make-finding.js";
import type { Policy, SecretRequirement, SettingRequirement, Waiver } from "./policy-model.js";

export const DEFAULT_DOC_MAX_AGE_DAYS = 180;
export const DEFAULT_EXPIRY_WARNING_DAYS: readonly number[] = [30, 7, 1];

/**
 * Joins what the doc says with the bindings into the policy the rules
 * judge. Pure. Without bindings the doc is bound as far as it goes alone:
 * its own vault and object ids, no apps, no subscription.
 */
export function bindPolicy(doc: PolicyDoc, bindings: ResolvedBindings | undefined): Policy {
  const context = newContext(doc, bindings);
  const classes = bindRotationClasses(context);
  const secrets = bindSecrets(context, classes);
  const settings = doc.settings
    .filter((entry) => !isPastedValue(entry.setting, entry.line, entry.column, context))
    .map((entry) => bindSetting(entry.setting, entry.apps, entry.line, entry.column, context));
  const identities = bindIdentities(context);

  checkConsumption(context, secrets, settings);
  checkVaultNames(context);

  return {
    docFile: doc.file,
    bindingsFile: bindings?.file,
    subscriptionId: context.subscriptionId,
    ...locateSubscription(doc, bindings),
    endpoints: bindEndpoints(bindings),
    vaults: context.vaults,
    apps: context.apps,
    secrets,
    identities,
    expiryWarningDays: expiryTiers(bindings),
    docMaxAgeDays: bindings?.data.docMaxAgeDays ?? DEFAULT_DOC_MAX_AGE_DAYS,
    lastVerified: doc.frontMatter.lastVerified,
    ...(doc.frontMatter.lastVerifiedLine
      ? { lastVerifiedRef: { file: doc.file, line: doc.frontMatter.lastVerifiedLine } }
      : {}),
    settings,
    waivers: bindWaivers(bindings),
    ...(bindings?.data.severity ? { severityOverrides: { ...bindings.data.severity } } : {}),
    findings: [...doc.findings, ...sortFindings(context.findings)],
  };
}

/**
 * The doc names its vault in prose; the bindings name the vault audited.
 * When they disagree, one of them is wrong, and the audit checks only the
 * bindings' vault.
 */
function checkVaultNames(context: BindContext): void {
  const declared = Object.values(context.bindings?.data.vaults ?? {}).map((v) => v.name);

  if (declared.length === 0) {
    return;
  }

  for (const vault of context.doc.vaults) {
    if (declared.some((name) => name.toLowerCase() === vault.name.toLowerCase())) {
      continue;
    }

    context.findings.push(
      makeFinding({
        ruleId: "VAULT_NAME_CONFLICT",
        severity: "medium",
        file: context.doc.file,
        line: vault.line,
        subject: vault.name,
        message:
          `The doc names vault ${vault.name} at line ${vault.line}, but the bindings audit ` +
          `${declared.join(", ")}; secrets are checked in the bindings' vault only.`,
        remediation: `Correct the vault name in the doc, or bind ${vault.name} under \`vaults:\` in the bindings.`,
      }),
    );
  }
}

function newContext(doc: PolicyDoc, bindings: ResolvedBindings | undefined): BindContext {
  const factVault = findFactVault(doc);
  const subscriptionId = (
    bindings?.data.subscriptionId ??
    factVault?.subscriptionId ??
    ""
  ).toLowerCase();
  const resourceGroup = bindings?.data.resourceGroup ?? factVault?.resourceGroup ?? "";

  return {
    doc,
    bindings,
    subscriptionId,
    resourceGroup,
    vaults: bindVaults(doc, bindings, subscriptionId, resourceGroup),
    apps: bindApps(bindings, subscriptionId, resourceGroup),
    findings: [],
  };
}

/** The vault a facts table describes: it gives a group or subscription, not only a name. */
function findFactVault(doc: PolicyDoc): DocVault | undefined {
  return doc.vaults.find((vault) => vault.subscriptionId || vault.resourceGroup);
}

/**
 * Where the subscription id came from, so an error about it sends the
 * reader to the right file: the bindings win over the doc's facts table.
 */
function locateSubscription(
  doc: PolicyDoc,
  bindings: ResolvedBindings | undefined,
): Pick<Policy, "subscriptionSource"> {
  if (bindings) {
    const docRef = bindings.refOf(["subscriptionId"]);

    return { subscriptionSource: { kind: "bindings", docRef } };
  }

  const vault = findFactVault(doc);

  if (!vault?.subscriptionId) {
    return {};
  }

  const line = vault.subscriptionLine ?? vault.line;

  return { subscriptionSource: { kind: "doc", docRef: { file: doc.file, line } } };
}

function expiryTiers(bindings: ResolvedBindings | undefined): number[] {
  const tiers = bindings?.data.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;

  return [...new Set(tiers)].sort((a, b) => b - a);
}

function bindWaivers(bindings: ResolvedBindings | undefined): Waiver[] {
  return (bindings?.data.waivers ?? []).map((waiver, index) => ({
    ruleId: waiver.rule,
    subject: waiver.subject,
    owner: waiver.owner,
    reason: waiver.reason,
    expires: waiver.expires,
    docRef: bindings?.refOf(["waivers", index]) ?? { file: "", line: 1 },
  }));
}

/** Settings no app consumes, and app settings the doc never mentions. */
function checkConsumption(
  context: BindContext,
  secrets: readonly SecretRequirement[],
  settings: readonly SettingRequirement[],
): void {
  const bindings = context.bindings;

  if (!bindings || Object.keys(context.apps).length === 0) {
    return;
  }

  const all = [...secrets.flatMap((secret) => secret.settings), ...settings];

  for (const setting of all.filter((candidate) => candidate.apps.length === 0)) {
    context.findings.push(
      makeFinding({
        ruleId: "SETTING_UNCONSUMED",
        severity: "low",
        ...setting.docRef,
        subject: setting.name,
        message: `Setting "${setting.name}" at line ${setting.docRef.line} is consumed by no app in ${bindings.file}, so no app is checked for it.`,
        remediation: `Add "${setting.name}" to the settings: list of the app that reads it.`,
      }),
    );
  }

  reportUndocumentedAppSettings(context, new Set(all.map((setting) => settingKey(setting.name))));
}

function reportUndocumentedAppSettings(
  context: BindContext,
  documented: ReadonlySet<string>,
): void {
  const bindings = context.bindings;

  for (const [key, app] of Object.entries(bindings?.data.apps ?? {})) {
    (app.settings ?? []).forEach((name, index) => {
      if (bindings && !documented.has(settingKey(name))) {
        context.findings.push(
          makeFinding({
            ruleId: "BINDINGS_SETTING_UNKNOWN",
            severity: "medium",
            ...bindings.refOf(["apps", key, "settings", index]),
            subject: name,
            message: `${bindings.file} says app "${key}" consumes setting "${name}", which the doc does not document.`,
            remediation:
              "Add the setting to the doc's matrix, or correct its name in the bindings.",
          }),
        );
      }
    });
  }
}
