import { describe, expect, it } from "vitest";

import { occurrencesBetween, parseNcrontab } from "../../src/functions/ncrontab.js";
import { slotOf } from "../../src/functions/schedule-slots.js";

function between(schedule: string, after: string, before: string, limit?: number): string[] {
  return occurrencesBetween(parseNcrontab(schedule), new Date(after), new Date(before), limit).map(
    (date) => date.toISOString(),
  );
}

describe("NCRONTAB occurrences", () => {
  it("should find the weekly run a quick restart skipped (A27)", () => {
    expect(between("0 0 6 * * 1", "2025-05-26T06:00Z", "2025-06-02T07:10Z")).toEqual([
      "2025-06-02T06:00:00.000Z",
    ]);
  });

  it("should find nothing between two consecutive nightly runs", () => {
    expect(between("0 0 2 * * *", "2026-12-01T02:00Z", "2026-12-02T02:00Z")).toEqual([]);
  });

  it("should list missed nights newest first, up to the limit", () => {
    expect(between("0 0 2 * * *", "2026-12-01T02:00Z", "2026-12-05T02:00Z")).toEqual([
      "2026-12-04T02:00:00.000Z",
      "2026-12-03T02:00:00.000Z",
      "2026-12-02T02:00:00.000Z",
    ]);
    expect(between("0 */15 * * * *", "2026-12-01T00:00Z", "2026-12-02T00:00Z", 2)).toHaveLength(2);
  });

  it("should read names, ranges, lists and steps", () => {
    expect(between("0 30 9 * Jan Mon-Fri", "2027-01-01T00:00Z", "2027-01-05T00:00Z")).toEqual([
      "2027-01-04T09:30:00.000Z",
      // New Year's Day 2027 is a Friday.
      "2027-01-01T09:30:00.000Z",
    ]);
    expect(between("0 0 0,12 1 * *", "2026-11-30T00:00Z", "2026-12-02T00:00Z")).toEqual([
      "2026-12-01T12:00:00.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);
  });

  it.each(["daily at 2", "0 0 25 * * *", "0 0 2 * * Funday", "0 0 2 * *"])(
    "should refuse %s",
    (expression) => {
      expect(() => parseNcrontab(expression)).toThrow();
    },
  );
});

describe("a firing's schedule slot", () => {
  it("should be the scheduled minute a late or doubled firing belongs to (A26)", () => {
    expect(slotOf("0 0 2 * * *", new Date("2026-12-01T02:00:00.021Z"))).toBe("2026-12-01T02:00Z");
    expect(slotOf("0 0 2 * * *", new Date("2026-12-01T02:07:30.000Z"))).toBe("2026-12-01T02:00Z");
    expect(slotOf("0 0 6 * * 1", new Date("2025-06-02T07:10:00.000Z"))).toBe("2025-06-02T06:00Z");
    // The host has fired a few milliseconds early (Azure/azure-functions-host#7398).
    expect(slotOf("0 0 2 * * *", new Date("2026-12-01T01:59:59.995Z"))).toBe("2026-12-01T02:00Z");
  });

  it("should be the firing's minute for a TimeSpan schedule", () => {
    expect(slotOf("01:00:00", new Date("2026-12-01T02:07:30.000Z"))).toBe("2026-12-01T02:07Z");
  });
});
