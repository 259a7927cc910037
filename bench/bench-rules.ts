/**
 * Section 2: `evaluateRules` over synthetic estates of 50 and 500 apps in
 * which everything else (secrets, settings, role assignments) scales with
 * the app count, so a x10 estate costs ~10x when the rules are linear and
 * ~100x when one of them is quadratic. Each rule is then timed on its own
 * to name the ones that grow faster than the estate.
 */
import type { AzureEndpoints } from "../src/audit/policy/policy-model.js";
import { evaluateRules, RULES } from "../src/audit/rules/rule-registry.js";
import type { Rule, RuleContext } from "../src/audit/rules/rule.js";
import { planEstate } from "./estate-plan.js";
import {
  formatCount,
  formatMs,
  formatRatio,
  formatTable,
  growthExponent,
} from "./format-report.js";
import { makePlanPolicy } from "./make-plan-policy.js";
import { makePlanSnapshot, PLAN_NOW } from "./make-plan-snapshot.js";
import { measureInterleaved } from "./measure.js";
import type { Timing } from "./measure.js";

const SMALL_APPS = 50;
const LARGE_APPS = 500;
/** Growth exponent from which a rule is called out as superlinear. */
const SUPERLINEAR_EXPONENT = 1.5;
/** Rules faster than this at 500 apps are too quick to judge their growth. */
const NOTABLE_MS = 2;
const SLOWEST_SHOWN = 8;

const PUBLIC_ENDPOINTS: AzureEndpoints = {
  armEndpoint: "https://management.azure.com",
  armScope: "https://management.azure.com/.default",
  disableChallengeResourceVerification: false,
  graphEndpoint: "https://graph.microsoft.com",
  graphScope: "https://graph.microsoft.com/.default",
  verifyPrincipals: true,
};

interface RulesCase {
  apps: number;
  context: RuleContext;
  settings: number;
  findings: number;
  /** Findings in the report, by rule id. */
  findingsByRule: Map<string, number>;
}

function prepareCase(apps: number): RulesCase {
  const plan = planEstate(apps);
  const context: RuleContext = {
    policy: makePlanPolicy(plan, PUBLIC_ENDPOINTS, "https://kv-bench.vault.azure.net"),
    snapshot: makePlanSnapshot(plan),
    now: PLAN_NOW,
  };

  const findings = evaluateRules(context);
  const findingsByRule = new Map<string, number>();

  for (const finding of findings) {
    findingsByRule.set(finding.ruleId, (findingsByRule.get(finding.ruleId) ?? 0) + 1);
  }

  return {
    apps,
    context,
    settings: context.snapshot.sites.reduce((sum, site) => sum + site.settings.length, 0),
    findings: findings.length,
    findingsByRule,
  };
}

function describeCase(entry: RulesCase, timing: Timing): string[] {
  const { snapshot } = entry.context;

  return [
    formatCount(entry.apps),
    formatCount(entry.settings),
    formatCount(snapshot.vaults.reduce((sum, vault) => sum + vault.secrets.length, 0)),
    formatCount(snapshot.roleAssignments.length),
    formatCount(entry.findings),
    formatMs(timing.medianMs),
    formatMs(timing.medianMs / entry.apps),
  ];
}

interface RuleTiming {
  rule: Rule;
  smallMs: number;
  largeMs: number;
  findings: number;
}

function timeEachRule(small: RulesCase, large: RulesCase): RuleTiming[] {
  return RULES.map((rule) => {
    const [smallTiming, largeTiming] = measureInterleaved(
      [() => rule.evaluate(small.context), () => rule.evaluate(large.context)],
      { warmupRounds: 0, rounds: 2, minSampleMs: 20 },
    );

    return {
      rule,
      smallMs: smallTiming?.medianMs ?? Number.NaN,
      largeMs: largeTiming?.medianMs ?? Number.NaN,
      findings: large.findingsByRule.get(rule.id) ?? 0,
    };
  });
}

function exponentOf(timing: RuleTiming): number {
  return growthExponent(LARGE_APPS / SMALL_APPS, timing.largeMs / timing.smallMs);
}

function describeRules(timings: RuleTiming[]): string[] {
  const slowest = timings.toSorted((a, b) => b.largeMs - a.largeMs).slice(0, SLOWEST_SHOWN);
  const superlinear = timings.filter(
    (t) => t.largeMs >= NOTABLE_MS && exponentOf(t) >= SUPERLINEAR_EXPONENT,
  );

  return [
    `   slowest rules, each timed alone (of ${timings.length}):`,
    ...formatTable(
      [
        ["rule", "500 apps", "50 apps", "ratio", "n^k", "findings"],
        ...slowest.map((t) => [
          t.rule.id,
          formatMs(t.largeMs),
          formatMs(t.smallMs),
          formatRatio(t.largeMs / t.smallMs),
          exponentOf(t).toFixed(1),
          formatCount(t.findings),
        ]),
      ],
      "     ",
    ),
    `   superlinear (k >= ${SUPERLINEAR_EXPONENT}, >= ${NOTABLE_MS} ms at 500 apps): ` +
      `${superlinear.length} of ${timings.length} rules` +
      (superlinear.length ? `, together ${formatMs(sumMs(superlinear))} at 500 apps` : ""),
  ];
}

function sumMs(timings: readonly RuleTiming[]): number {
  return timings.reduce((sum, t) => sum + t.largeMs, 0);
}

/** Runs the rules benchmark and returns the report lines. */
export function benchRules(): string[] {
  const small = prepareCase(SMALL_APPS);
  const large = prepareCase(LARGE_APPS);
  const [smallTiming, largeTiming] = measureInterleaved(
    [() => evaluateRules(small.context), () => evaluateRules(large.context)],
    // prepareCase ran each once already: that was the warm-up.
    { warmupRounds: 0, rounds: 2 },
  );

  if (!smallTiming || !largeTiming) {
    return [];
  }

  const ratio = largeTiming.medianMs / smallTiming.medianMs;
  const exponent = growthExponent(LARGE_APPS / SMALL_APPS, ratio);
  const at5000Ms = largeTiming.medianMs * 10 ** exponent;

  return [
    "2. Rules: evaluateRules over a synthetic estate that grows with N apps",
    "   (~10 settings per app, 2.2N secrets, ~4.7N role assignments, drift at fixed strides)",
    ...formatTable([
      ["apps", "settings", "secrets", "role assignments", "findings", "median", "per app"],
      describeCase(small, smallTiming),
      describeCase(large, largeTiming),
    ]),
    `   ${LARGE_APPS}-app / ${SMALL_APPS}-app time: ${formatRatio(ratio)} for a x10 estate ` +
      `(10x = linear, 100x = quadratic): n^${exponent.toFixed(2)}`,
    `   at that growth, 5,000 apps would take ~${formatMs(at5000Ms)}`,
    ...describeRules(timeEachRule(small, large)),
  ];
}
