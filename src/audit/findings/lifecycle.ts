/**
 * A finding's life across runs: new the first night it appears, persisting
 * after, resolved when a run that could see its resource no longer finds
 * it, reopened if it comes back. The ledger is plain data that the run
 * history stores; this module only advances it.
 *
 * "Could not read" is never "passed", here too: a finding missing from a
 * run that could not read its resource (or anything above it) stays open
 * as unconfirmed rather than resolved.
 */
import type { AuditRun } from "../audit-run.js";
import type { Severity } from "../policy/policy-model.js";
import type { Finding } from "./finding.js";
import { UNCHECKED_RULE_IDS } from "./finding.js";

export type LifecycleState = "new" | "persisting" | "reopened";

export interface LedgerEntry {
  id: string;
  ruleId: string;
  severity: Severity;
  resourceId: string;
  subject: string;
  /** ISO times, from the runs' clocks. */
  firstSeen: string;
  lastSeen: string;
  state: "open" | "resolved";
  resolvedAt?: string;
  /** The doc line it came from, so a row the doc could not read keeps it open. */
  docRef?: { file: string; line: number };
}

export interface FindingLedger {
  schemaVersion: 1;
  updatedAt: string;
  lastRunId: string | undefined;
  entries: Record<string, LedgerEntry>;
}

/** What one run changed, as reporters and emitters show it. */
export interface RunLifecycle {
  previousRunId: string | undefined;
  /** By finding id, for every finding of the run. */
  states: Record<string, LifecycleState>;
  /** Open before, absent now, in a run that could see their resource. */
  resolved: LedgerEntry[];
  /** Open before, absent now, but under something the run could not read. */
  unconfirmed: LedgerEntry[];
}

/** Resolved entries are kept this long, so a finding that returns is "reopened". */
export const RESOLVED_RETENTION_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

export function emptyLedger(): FindingLedger {
  return { schemaVersion: 1, updatedAt: "", lastRunId: undefined, entries: {} };
}

function isAtOrBelow(resourceId: string, ancestor: string): boolean {
  const id = resourceId.toLowerCase().replace(/\/+$/, "");
  const above = ancestor.toLowerCase().replace(/\/+$/, "");

  return above === "" || id === above || id.startsWith(`${above}/`);
}

/** Findings that leave part of the estate unseen: unchecked ones, and principals not looked up. */
function isBlindSpot(finding: Finding): boolean {
  return UNCHECKED_RULE_IDS.has(finding.ruleId) || finding.ruleId === "PRINCIPAL_NOT_VERIFIED";
}

// `/servicePrincipals/<id>`, `/users/<id>` and `/groups/<id>` are one principal.
const DIRECTORY_PATH = /^\/(servicePrincipals|users|groups)\/([^/]+)$/i;

function comparable(resourceId: string): string {
  const directory = DIRECTORY_PATH.exec(resourceId);

  return directory ? `/directory/${directory[2] ?? ""}` : resourceId;
}

/**
 * Where an unchecked finding leaves the estate unseen. A contradicted role
 * listing (SCAN_INCONSISTENT) puts every grant in its subscription in
 * doubt, since principals are listed subscription-wide; a role definition
 * that could not be read, every role finding (see isRoleDefinitionGap).
 */
function unseenScope(unchecked: Finding): string {
  if (unchecked.ruleId === "SCAN_INCONSISTENT") {
    return /^\/subscriptions\/[^/]+/i.exec(unchecked.resourceId)?.[0] ?? "";
  }

  return comparable(unchecked.resourceId);
}

/** A role definition that could not be read leaves every role judgement in doubt, nothing else. */
function isRoleDefinitionGap(unchecked: Finding): boolean {
  return /\/providers\/Microsoft\.Authorization\/roleDefinitions\//i.test(unchecked.resourceId);
}

const ROLE_RULE =
  /^(ROLE_|UNDOCUMENTED_ACCESS|IDENTITY_|KV_REFERENCE_IDENTITY_CANNOT_READ|DENY_ASSIGNMENT|ACCESS_POLICY)/;

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * What an unchecked finding leaves unseen: its resource and what is below
 * it; a parent whose child (a secret of a vault) could not be read; the
 * same principal under any directory path; and what the doc row it could
 * not read would say.
 */
function isHiddenBy(entry: LedgerEntry, unchecked: Finding): boolean {
  if (isRoleDefinitionGap(unchecked)) {
    return ROLE_RULE.test(entry.ruleId);
  }

  const scope = unseenScope(unchecked);
  const resourceId = comparable(entry.resourceId);
  // Only a doc row the parser could not read hides what the row says; other
  // unchecked findings merely point at the doc line they are about.
  const sameRow =
    unchecked.docRef !== undefined &&
    sameId(unchecked.resourceId, unchecked.docRef.file) &&
    entry.docRef?.file === unchecked.docRef.file &&
    entry.docRef.line === unchecked.docRef.line;

  return sameRow || isAtOrBelow(resourceId, scope) || isAtOrBelow(scope, resourceId);
}

function stateOf(previous: LedgerEntry | undefined): LifecycleState {
  if (!previous) {
    return "new";
  }

  return previous.state === "resolved" ? "reopened" : "persisting";
}

function seenEntry(finding: Finding, previous: LedgerEntry | undefined, now: string): LedgerEntry {
  const reopened = previous?.state === "resolved";

  return {
    id: finding.id,
    ruleId: finding.ruleId,
    severity: finding.severity,
    resourceId: finding.resourceId,
    subject: finding.subject,
    firstSeen: previous && !reopened ? previous.firstSeen : now,
    lastSeen: now,
    state: "open",
    ...(finding.docRef ? { docRef: { file: finding.docRef.file, line: finding.docRef.line } } : {}),
  };
}

function isExpired(entry: LedgerEntry, now: string): boolean {
  const resolvedAt = Date.parse(entry.resolvedAt ?? entry.lastSeen);

  return Date.parse(now) - resolvedAt > RESOLVED_RETENTION_DAYS * DAY_MS;
}

/**
 * The ledger after `run`, and what the run changed. Pure: the same ledger
 * and run give the same answer, so a retried write computes it again.
 */
export function advanceLedger(
  ledger: FindingLedger,
  run: AuditRun,
): { ledger: FindingLedger; lifecycle: RunLifecycle } {
  const now = run.now;
  const entries: Record<string, LedgerEntry> = {};
  const states: Record<string, LifecycleState> = {};

  for (const finding of run.findings) {
    const previous = ledger.entries[finding.id];
    states[finding.id] = stateOf(previous);
    entries[finding.id] = seenEntry(finding, previous, now);
  }

  const unchecked = run.findings.filter(isBlindSpot);
  const resolved: LedgerEntry[] = [];
  const unconfirmed: LedgerEntry[] = [];

  for (const entry of Object.values(ledger.entries)) {
    if (entries[entry.id]) {
      continue;
    }

    if (entry.state === "resolved") {
      if (!isExpired(entry, now)) {
        entries[entry.id] = entry;
      }
    } else if (entry.lastSeen > now) {
      // Seen by a run judged later than this one: this run cannot say it is gone.
      entries[entry.id] = entry;
    } else if (unchecked.some((finding) => isHiddenBy(entry, finding))) {
      unconfirmed.push(entry);
      entries[entry.id] = entry;
    } else {
      const closed: LedgerEntry = { ...entry, state: "resolved", resolvedAt: now };
      resolved.push(closed);
      entries[entry.id] = closed;
    }
  }

  return {
    ledger: {
      schemaVersion: 1,
      // Never back: a run judged slightly earlier than the last one still counts.
      updatedAt: ledger.updatedAt > now ? ledger.updatedAt : now,
      lastRunId: run.id,
      entries,
    },
    lifecycle: { previousRunId: ledger.lastRunId, states, resolved, unconfirmed },
  };
}
