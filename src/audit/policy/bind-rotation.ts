import type { BindContext } from "./bind-context.js";
import type { RotationClassEntry } from "./bindings-schema.js";
import { phraseKey, secretKey } from "./names.js";
import type { DocRotationRule, DocSecretPair } from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";

/** One rotation class as bound: its limit and the secrets (by secretKey) in it. */
export interface BoundRotationClass {
  name: string;
  maxAgeDays: number | null;
  secrets: Set<string>;
}

/**
 * Rotation classes from the bindings and from doc sentences that name
 * their secrets, plus a rotation column on the matrix itself. A secret in
 * several classes takes the strictest limit (see `limitOf`).
 */
export function bindRotationClasses(context: BindContext): BoundRotationClass[] {
  const declared = Object.entries(context.bindings?.data.rotationClasses ?? {}).map(
    ([name, entry]) => bindDeclaredClass(name, entry, context),
  );
  const fromDoc = context.doc.rotationRules
    .filter((rule) => rule.secrets.length > 0)
    .map((rule) => ({
      name: rule.phrase || `rotation rule at line ${rule.line}`,
      maxAgeDays: rule.maxAgeDays,
      secrets: new Set(rule.secrets.map(secretKey)),
    }));

  reportUnboundRules(context);

  return [...declared, ...fromDoc, ...matrixColumnClasses(context.doc.secrets)];
}

function matrixColumnClasses(pairs: readonly DocSecretPair[]): BoundRotationClass[] {
  return pairs
    .filter((pair) => pair.maxAgeDays !== undefined)
    .map((pair) => ({
      name: "secret matrix",
      maxAgeDays: pair.maxAgeDays ?? null,
      secrets: new Set([secretKey(pair.secret)]),
    }));
}

function bindDeclaredClass(
  name: string,
  entry: RotationClassEntry,
  context: BindContext,
): BoundRotationClass {
  const secrets = membersOf(name, entry, context);
  const rule = context.doc.rotationRules.find((candidate) =>
    classMatchesRule(name, entry, candidate),
  );
  const days = [entry.maxAgeDays, rule?.maxAgeDays].filter((value) => value !== undefined);

  if (entry.maxAgeDays !== undefined && rule && rule.maxAgeDays !== entry.maxAgeDays) {
    report(context, ["rotationClasses", name, "maxAgeDays"], {
      ruleId: "ROTATION_PERIOD_CONFLICT",
      subject: name,
      message: `Rotation class "${name}" is ${entry.maxAgeDays} days in the bindings, but the doc says "${rule.text}" (${rule.maxAgeDays} days) at line ${rule.line}; the stricter limit applies.`,
      remediation:
        "Make the bindings and the doc agree, or drop maxAgeDays from the bindings so the doc decides.",
    });
  }

  if (days.length === 0) {
    report(context, ["rotationClasses", name], {
      ruleId: "ROTATION_CLASS_NO_PERIOD",
      subject: name,
      message: `Rotation class "${name}" has no maxAgeDays and matches no rotation sentence in the doc, so its secrets have no limit.`,
      remediation: "Add maxAgeDays: to the class, or phrase: with the doc's words for it.",
    });
  }

  return { name, maxAgeDays: days.length ? Math.min(...days) : null, secrets };
}

function membersOf(name: string, entry: RotationClassEntry, context: BindContext): Set<string> {
  const documented = new Set(context.doc.secrets.map((pair) => secretKey(pair.secret)));
  const members = new Set<string>();

  (entry.secrets ?? []).forEach((secret, index) => {
    if (documented.has(secretKey(secret))) {
      members.add(secretKey(secret));
    } else {
      report(context, ["rotationClasses", name, "secrets", index], {
        ruleId: "ROTATION_CLASS_SECRET_UNKNOWN",
        subject: secret,
        message: `Rotation class "${name}" lists secret "${secret}", which the doc's secret tables do not document.`,
        remediation: "Correct the spelling, or add the secret to the doc's secret matrix.",
      });
    }
  });

  for (const pair of context.doc.secrets) {
    const byName = entry.pattern !== undefined && new RegExp(entry.pattern, "i").test(pair.secret);
    const byPurpose =
      entry.purpose !== undefined && new RegExp(entry.purpose, "i").test(pair.purpose);

    if (byName || byPurpose) {
      members.add(secretKey(pair.secret));
    }
  }

  if (members.size === 0 && (entry.secrets || entry.pattern || entry.purpose)) {
    report(context, ["rotationClasses", name], {
      ruleId: "ROTATION_CLASS_EMPTY",
      subject: name,
      message: `Rotation class "${name}" matches no documented secret, so its limit applies to nothing.`,
      remediation:
        "Check the class's secrets:, pattern: or purpose: against the doc's secret names.",
    });
  }

  return members;
}

/** The class's `phrase:`, or else every word of its name, appears in the sentence. */
function classMatchesRule(name: string, entry: RotationClassEntry, rule: DocRotationRule): boolean {
  const sentence = phraseKey(rule.text);

  if (entry.phrase !== undefined) {
    return sentence.includes(phraseKey(entry.phrase));
  }

  const words = name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");

  return words.length > 0 && words.every((word) => new RegExp(`\\b${word}`).test(sentence));
}

function reportUnboundRules(context: BindContext): void {
  const classes = Object.entries(context.bindings?.data.rotationClasses ?? {});

  for (const rule of context.doc.rotationRules) {
    const bound =
      rule.secrets.length > 0 ||
      classes.some(([name, entry]) => classMatchesRule(name, entry, rule));

    if (!bound) {
      context.findings.push(
        makeFinding({
          ruleId: "ROTATION_RULE_UNBOUND",
          severity: context.bindings ? "medium" : "info",
          file: context.doc.file,
          line: rule.line,
          column: rule.column,
          subject: rule.phrase,
          message: `The rotation rule "${rule.text}" at line ${rule.line} names no secret, so it binds "${rule.phrase}" to ${rule.maxAgeDays} days for no secret yet.`,
          remediation: `Declare which secrets "${rule.phrase}" means under rotationClasses: in the bindings, or list them in backticks in the sentence.`,
        }),
      );
    }
  }
}

interface BindingsFindingText {
  ruleId: string;
  subject: string;
  message: string;
  remediation: string;
}

function report(context: BindContext, path: (string | number)[], text: BindingsFindingText): void {
  const bindings = context.bindings;

  if (bindings) {
    context.findings.push(makeFinding({ severity: "medium", ...bindings.refOf(path), ...text }));
  }
}

/** Secret key → the classes it belongs to, built once so each lookup is constant time. */
export type RotationIndex = ReadonlyMap<string, readonly BoundRotationClass[]>;

export function indexRotationClasses(classes: readonly BoundRotationClass[]): RotationIndex {
  const index = new Map<string, BoundRotationClass[]>();

  for (const entry of classes) {
    for (const secret of entry.secrets) {
      index.set(secret, [...(index.get(secret) ?? []), entry]);
    }
  }

  return index;
}

/** The strictest limit over the classes a secret is in; undefined when none applies. */
export function limitOf(
  secret: string,
  index: RotationIndex,
): { classes: string[]; maxAgeDays: number | undefined } {
  const member = index.get(secretKey(secret)) ?? [];
  const days = member.map((entry) => entry.maxAgeDays).filter((value) => value !== null);

  return {
    classes: [...new Set(member.map((entry) => entry.name))],
    maxAgeDays: days.length ? Math.min(...days) : undefined,
  };
}
