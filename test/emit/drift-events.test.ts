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
