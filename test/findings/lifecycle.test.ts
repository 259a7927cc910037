/**
 * A finding's lifecycle across runs: new, persisting, resolved, reopened;
 * and never resolved by a run that could not see its resource.
 */
import { describe, expect, it } from "vitest";

import type { AuditRun } from "../../src/audit/audit-run.js";
import { advanceLedger, emptyLedger } from "../../src/audit/findings/lifecycle.js";
import type { FindingLedger } from "../../src/audit/findings/lifecycle.js";
import { makeFinding, makeRun, VAULT_ID } from "../emit/run-builders.js";

const STALE = makeFinding({ id: "stale0000000001", ruleId: "ROTATION_OVERDUE" });
const MISSING = makeFinding({ id: "missing00000001", ruleId: "SECRET_MISSING" });
const SITE_ID = VAULT_ID.replace(/providers\/.*/, "providers/Microsoft.Web/sites/app");
const ON_SITE = makeFinding({ id: "onsite000000001", resourceId: SITE_ID });

function night(day: number, findings = [STALE, MISSING], status: AuditRun["status"] = "findings") {
  const date = `2026-12-${String(day).padStart(2, "0")}T02:00:00.000Z`;

  return makeRun({ id: `run-${day}`, now: date, startedAt: date, findings, status });
}

function runNights(...runs: AuditRun[]) {
  let ledger: FindingLedger = emptyLedger();
  const lifecycles = runs.map((run) => {
    const next = advanceLedger(ledger, run);
    ledger = next.ledger;

    return next.lifecycle;
  });

  return { ledger, lifecycles };
}

describe("finding lifecycle", () => {
  it("should call every finding of a first run new", () => {
    const { lifecycles, ledger } = runNights(night(1));

    expect(lifecycles[0]).toEqual({
      previousRunId: undefined,
      states: { [STALE.id]: "new", [MISSING.id]: "new" },
      resolved: [],
      unconfirmed: [],
    });
    expect(ledger.entries[STALE.id]).toMatchObject({
      state: "open",
      firstSeen: "2026-12-01T02:00:00.000Z",
      lastSeen: "2026-12-01T02:00:00.000Z",
    });
  });

  it("should call a finding seen again persisting, keeping when it was first seen", () => {
    const { lifecycles, ledger } = runNights(night(1), night(2));

    expect(lifecycles[1]?.states).toEqual({ [STALE.id]: "persisting", [MISSING.id]: "persisting" });
    expect(lifecycles[1]?.previousRunId).toBe("run-1");
    expect(ledger.entries[STALE.id]).toMatchObject({
      firstSeen: "2026-12-01T02:00:00.000Z",
      lastSeen: "2026-12-02T02:00:00.000Z",
    });
  });

  it("should resolve a finding a complete run no longer finds, and reopen it when it returns", () => {
    const { lifecycles, ledger } = runNights(night(1), night(2, [MISSING]), night(3));

    expect(lifecycles[1]?.resolved).toMatchObject([
      { id: STALE.id, state: "resolved", resolvedAt: "2026-12-02T02:00:00.000Z" },
    ]);
    expect(lifecycles[2]?.states[STALE.id]).toBe("reopened");
    expect(ledger.entries[STALE.id]).toMatchObject({
      state: "open",
      firstSeen: "2026-12-03T02:00:00.000Z",
    });
  });

  it("should keep open, as unconfirmed, a finding under a resource the run could not read", () => {
    const gap = makeFinding({
      id: "gap000000000001",
      ruleId: "NOT_EVALUATED",
      resourceId: VAULT_ID,
      docRef: undefined,
    });
    const { lifecycles, ledger } = runNights(
      night(1, [STALE, ON_SITE]),
      night(2, [gap], "incomplete"),
    );

    expect(lifecycles[1]?.unconfirmed.map((entry) => entry.id)).toEqual([STALE.id]);
    expect(lifecycles[1]?.resolved.map((entry) => entry.id)).toEqual([ON_SITE.id]);
    expect(ledger.entries[STALE.id]?.state).toBe("open");
  });

  it("should doubt every grant in the subscription when a role listing was contradicted", () => {
    const roleMissing = makeFinding({ id: "rolemissing0001", ruleId: "ROLE_MISSING" });
    const scan = makeFinding({
      id: "scan00000000001",
      ruleId: "SCAN_INCONSISTENT",
      resourceId:
        "/subscriptions/11111111-1111-1111-1111-111111111111/providers/" +
        "Microsoft.Authorization/roleAssignments/x",
      docRef: undefined,
    });
    const { lifecycles } = runNights(night(1, [roleMissing]), night(2, [scan], "incomplete"));

    expect(lifecycles[1]?.unconfirmed.map((entry) => entry.id)).toEqual([roleMissing.id]);
  });

  it("should keep open what a doc row the run could not read would say", () => {
    const fromRow = makeFinding({ id: "fromrow00000001", resourceId: SITE_ID });
    const unreadable = makeFinding({
      id: "parse0000000001",
      ruleId: "MATRIX_PARSE_WARNING",
      resourceId: "policy/secrets.md",
      docRef: { file: "policy/secrets.md", line: 12 },
    });
    const { lifecycles } = runNights(night(1, [fromRow]), night(2, [unreadable], "incomplete"));

    expect(lifecycles[1]?.unconfirmed.map((entry) => entry.id)).toEqual([fromRow.id]);
  });

  it("should keep a vault's finding open when only one of its secrets could not be read", () => {
    const gap = makeFinding({
      id: "gap000000000002",
      ruleId: "NOT_EVALUATED",
      resourceId: `${VAULT_ID}/secrets/ALPACA-API-KEY`,
      docRef: undefined,
    });
    const { lifecycles } = runNights(night(1, [STALE]), night(2, [gap], "incomplete"));

    expect(lifecycles[1]?.unconfirmed.map((entry) => entry.id)).toEqual([STALE.id]);
  });

  it("should resolve no role finding in a run that could not read a role definition", () => {
    const ownerExcess = makeFinding({ id: "ownerexcess0001", ruleId: "ROLE_NOT_DOCUMENTED" });
    const definitionGap = makeFinding({
      id: "defgap000000001",
      ruleId: "NOT_EVALUATED",
      resourceId:
        "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      docRef: undefined,
    });
    const { lifecycles } = runNights(
      night(1, [ownerExcess]),
      night(2, [definitionGap], "incomplete"),
    );

    expect(lifecycles[1]?.unconfirmed.map((entry) => entry.id)).toEqual([ownerExcess.id]);
  });

  it("should keep a principal's finding open when it was looked for in another collection", () => {
    const gone = makeFinding({
      id: "gone00000000001",
      ruleId: "IDENTITY_MISSING",
      resourceId: "/servicePrincipals/0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0",
    });
    const refused = makeFinding({
      id: "refused00000001",
      ruleId: "NOT_EVALUATED",
      resourceId: "/users/0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0",
      docRef: undefined,
    });
    const notLookedUp = makeFinding({
      id: "notlookedup0001",
      ruleId: "PRINCIPAL_NOT_VERIFIED",
      severity: "info",
      resourceId: "/servicePrincipals/0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0",
      docRef: undefined,
    });

    for (const blindSpot of [refused, notLookedUp]) {
      const { lifecycles } = runNights(night(1, [gone]), night(2, [blindSpot], "incomplete"));

      expect(lifecycles[1]?.unconfirmed.map((entry) => entry.id)).toEqual([gone.id]);
    }
  });

  it("should let a role-definition gap hold role findings only", () => {
    const roleFinding = makeFinding({ id: "roleexcess00001", ruleId: "ROLE_NOT_DOCUMENTED" });
    const definitionGap = makeFinding({
      id: "defgap000000002",
      ruleId: "NOT_EVALUATED",
      resourceId: "/providers/Microsoft.Authorization/roleDefinitions/x",
      docRef: undefined,
    });
    const { lifecycles } = runNights(
      night(1, [roleFinding, MISSING]),
      night(2, [definitionGap], "incomplete"),
    );

    expect(lifecycles[1]?.unconfirmed.map((e) => e.id)).toEqual([roleFinding.id]);
    expect(lifecycles[1]?.resolved.map((e) => e.id)).toEqual([MISSING.id]);
  });

  it("should not hold a doc row's findings for a blind spot that only points at the row", () => {
    const notLookedUp = makeFinding({
      id: "notlookedup0002",
      ruleId: "PRINCIPAL_NOT_VERIFIED",
      severity: "info",
      resourceId: "/servicePrincipals/0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0",
      docRef: { file: "policy/secrets.md", line: 12 },
    });
    const { lifecycles } = runNights(night(1, [STALE]), night(2, [notLookedUp]));

    expect(lifecycles[1]?.resolved.map((e) => e.id)).toEqual([STALE.id]);
  });

  it("should neither resolve what a later-judged run saw, nor move the ledger back", () => {
    const later = makeRun({ id: "later", now: "2026-12-02T02:30:00.000Z", findings: [STALE] });
    const earlier = makeRun({ id: "earlier", now: "2026-12-02T02:00:00.000Z", findings: [] });
    const { lifecycles, ledger } = runNights(later, earlier);

    expect(lifecycles[1]?.resolved).toEqual([]);
    expect(ledger.entries[STALE.id]?.state).toBe("open");
    expect(ledger.updatedAt).toBe("2026-12-02T02:30:00.000Z");
  });

  it("should keep nothing about a finding resolved more than 90 days ago", () => {
    const later = makeRun({ id: "run-later", now: "2027-04-01T02:00:00.000Z", findings: [] });
    const { ledger } = runNights(night(1), night(2, []), later);

    expect(ledger.entries).toEqual({});
  });
});
