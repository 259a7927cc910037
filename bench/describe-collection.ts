/**
 * The collection section's report: both runs side by side, the speed-up,
 * and the extrapolation to the Function timeout with its assumptions.
 */
import type { EstatePlan } from "./estate-plan.js";
import { SETTINGS_PER_APP } from "./estate-plan.js";
import { formatCount, formatMs, formatRatio, formatTable } from "./format-report.js";
import { PLAN_PAGING } from "./make-plan-estate.js";

/**
 * ARM's documented read throttle since the 2024 regional token-bucket
 * limits: a burst of 250 reads, refilled at 25 per second, per
 * subscription and principal ("Request limits and throttling", Learn).
 */
const ARM_READ_BURST = 250;
const ARM_READS_PER_SECOND = 25;

export interface CollectSetup {
  apps: number;
  /** Added before every answer of the fake, as ARM's own latency. */
  latencyMs: number;
  defaultConcurrency: number;
  targetApps: number;
  /** host.json functionTimeout. */
  timeoutSeconds: number;
}

export interface CollectRun {
  concurrency: number;
  wallMs: number;
  /** CPU this process used during the run (auditor and fake together). */
  cpuMs: number;
  /** Duration of each collection stage, by stage name. */
  stages: Record<string, number>;
  warnings: string[];
  requests: { arm: number; vault: number };
  tokenRequests: number;
  /** Secret-value reads and writes; must be 0. */
  unsafeRequests: number;
  snapshot: { sites: number; secrets: number; roleAssignments: number; gaps: number };
}

function describeRun(run: CollectRun, setup: CollectSetup): string[] {
  const label = run.concurrency === setup.defaultConcurrency ? " (default)" : "";
  const stage = (name: string) => formatMs(run.stages[name] ?? Number.NaN);

  return [
    `${run.concurrency}${label}`,
    formatMs(run.wallMs),
    formatCount(run.requests.arm),
    formatCount(run.requests.vault),
    `${((100 * run.cpuMs) / run.wallMs).toFixed(0)}%`,
    stage("sites"),
    stage("vaults"),
    stage("role assignments"),
    formatCount(run.snapshot.gaps),
  ];
}

function describeEstate(setup: CollectSetup, plan: EstatePlan, run: CollectRun): string[] {
  return [
    `   estate: ${formatCount(setup.apps)} apps x ${SETTINGS_PER_APP} Key Vault references, ` +
      `${formatCount(plan.secrets.length)} secrets, ` +
      `${formatCount(run.snapshot.roleAssignments)} role assignments`,
    `   every answer delayed ${setup.latencyMs} ms; ARM pages of ${PLAN_PAGING.armPageSize}, ` +
      `Key Vault pages of ${PLAN_PAGING.vaultPageSize}`,
  ];
}

function describeExtrapolation(setup: CollectSetup, run: CollectRun): string[] {
  const scale = setup.targetApps / setup.apps;
  const targetMs = run.wallMs * scale;
  const budgetMs = setup.timeoutSeconds * 1000;
  const armReads = run.requests.arm * scale;
  const throttleFloorS = Math.max(0, (armReads - ARM_READ_BURST) / ARM_READS_PER_SECOND);
  const maxLatencyMs = (setup.latencyMs * budgetMs) / targetMs;
  const fits = (ms: number) => (ms < budgetMs ? "fits" : "DOES NOT FIT");

  return [
    `   ${setup.targetApps} apps at concurrency ${run.concurrency}: ~${formatMs(targetMs)} ` +
      `-> ${fits(targetMs)} in the ${setup.timeoutSeconds / 60}-min functionTimeout ` +
      `(${formatRatio(budgetMs / targetMs)} headroom)`,
    `     assumes: time grows linearly with apps (${setup.apps} -> ${setup.targetApps}), ` +
      `each answer takes ${setup.latencyMs} ms,`,
    "     no slots, no 429s; the fake shares this process's CPU with the auditor",
    `     would still fit at up to ~${formatMs(maxLatencyMs)} per answer ` +
      "(if all wall time scaled with latency)",
    `     ARM read throttle (burst ${ARM_READ_BURST}, ${ARM_READS_PER_SECOND}/s ` +
      `per subscription and principal): ~${formatCount(armReads)} reads`,
    `     need >= ${throttleFloorS.toFixed(0)} s at that rate alone ` +
      `-> ${fits(throttleFloorS * 1000)}`,
  ];
}

/** The report lines for the serial and the default-concurrency run. */
export function describeCollection(
  setup: CollectSetup,
  plan: EstatePlan,
  serial: CollectRun,
  parallel: CollectRun,
): string[] {
  const warnings = [...serial.warnings, ...parallel.warnings];
  const short = [serial, parallel].filter((run) => run.snapshot.sites !== setup.apps);

  if (short.length > 0) {
    warnings.push(`only ${short[0]?.snapshot.sites} of ${setup.apps} apps were collected`);
  }

  const unsafe = serial.unsafeRequests + parallel.unsafeRequests;

  return [
    "3. Collection: collectSnapshot + DefaultAzureCredential (managed identity)",
    "   against the loopback fake of Azure, one app at a time vs the default concurrency",
    ...describeEstate(setup, plan, parallel),
    ...formatTable([
      ["concurrency", "wall", "ARM req", "vault req", "CPU", "sites", "vaults", "roles", "gaps"],
      describeRun(serial, setup),
      describeRun(parallel, setup),
    ]),
    "   (CPU: this process's CPU time / wall; near 100% = bound by the event loop, not latency)",
    `   speed-up 1 -> ${parallel.concurrency}: ${formatRatio(serial.wallMs / parallel.wallMs)}; ` +
      `${(parallel.requests.arm / setup.apps).toFixed(1)} ARM requests per app; ` +
      `${parallel.tokenRequests} token requests (cached by the warm-up);`,
    `   ${unsafe} secret-value or write requests`,
    ...(warnings.length
      ? [`   WARNING: ${warnings.length} warnings, first: ${warnings[0] ?? ""}`]
      : []),
    ...describeExtrapolation(setup, parallel),
  ];
}
