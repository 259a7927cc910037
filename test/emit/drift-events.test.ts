import { describe, expect, it } from "vitest";

import {
  buildFindingEvent,
  buildRunEvent,
  buildRunEvents,
} from "../../src/audit/emit/drift-events.js";
import { CANARY, makeFinding, makeRun } from "./run-builders.js";

describe("buildFindingEvent", () => {
  it("should leave docFile and docLine out when the finding has no doc reference", () => {
    const event = buildFindingEvent(makeRun(), makeFinding({ docRef: undefined }));

    expect(Object.keys(event.dimensions).sort()).toEqual([
      "findingId",
      "resourceId",
      "ruleId",
      "runId",
      "severity",
      "subject",
      "waived",
    ]);
  });

  it("should carry no free text from the finding", () => {
    const finding = makeFinding({
      waiver: { owner: "ops", reason: CANARY, expires: "2027-01-01" },
    });

    expect(JSON.stringify(buildFindingEvent(makeRun(), finding))).not.toContain(CANARY);
  });
});

describe("buildRunEvent", () => {
  it("should count every severity, zero when the run has none of it", () => {
    const run = makeRun({ counts: { total: 1, bySeverity: { high: 1 }, waived: 0 } });

    expect(buildRunEvent(run).dimensions).toMatchObject({
      criticalCount: "0",
      highCount: "1",
      mediumCount: "0",
      lowCount: "0",
      infoCount: "0",
    });
  });
});

describe("buildRunEvents", () => {
  it("should list the findings in order, then the summary", () => {
    const run = makeRun({ findings: [makeFinding({ id: "f1" }), makeFinding({ id: "f2" })] });

    expect(buildRunEvents(run).map((event) => event.dimensions["findingId"] ?? event.name)).toEqual(
      ["f1", "f2", "DriftAuditRun"],
    );
  });
});

describe("lifecycle in the events", () => {
  const finding = makeFinding();
  const resolved = {
    id: "0000000000000bee",
    ruleId: "ROTATION_OVERDUE",
    severity: "high" as const,
    resourceId: finding.resourceId,
    subject: "YAHOO-REFRESH-TOKEN",
    firstSeen: "2026-11-01T02:00:00.000Z",
    lastSeen: "2026-11-30T02:00:00.000Z",
    state: "resolved" as const,
    resolvedAt: "2026-12-01T00:00:00.000Z",
  };
  const run = makeRun({
    findings: [finding],
    lifecycle: {
      previousRunId: "run-before",
      states: { [finding.id]: "new" },
      resolved: [resolved],
      unconfirmed: [],
    },
  });

  it("should say which findings are new, so an alert fires once", () => {
    expect(buildFindingEvent(run, finding).dimensions["lifecycle"]).toBe("new");
    expect(buildFindingEvent(makeRun(), finding).dimensions["lifecycle"]).toBeUndefined();
  });

  it("should send one DriftFindingResolved per resolved finding, and count them", () => {
    const events = buildRunEvents(run);

    expect(events.map((event) => event.name)).toEqual([
      "DriftFinding",
      "DriftFindingResolved",
      "DriftAuditRun",
    ]);
    expect(events[1]?.dimensions).toMatchObject({
      findingId: resolved.id,
      ruleId: "ROTATION_OVERDUE",
      firstSeen: resolved.firstSeen,
    });
    expect(events[2]?.dimensions).toMatchObject({
      newCount: "1",
      reopenedCount: "0",
      resolvedCount: "1",
      unconfirmedCount: "0",
    });
    expect(buildRunEvent(makeRun()).dimensions["newCount"]).toBeUndefined();
  });
});
