import { describe, expect, it } from "vitest";

import { judgePolicyAge } from "../../src/audit/policy/judge-policy-age.js";
import type { Policy, Waiver } from "../../src/audit/policy/policy-model.js";
import { makeDoc, parseOk } from "./builders.js";

function makePolicy(overrides: Partial<Policy> = {}): Policy {
  return { ...parseOk(makeDoc()).policy, ...overrides };
}

function makeWaiver(overrides: Partial<Waiver> = {}): Waiver {
  return {
    ruleId: "ROTATION_OVERDUE",
    subject: "API-KEY",
    owner: "platform",
    reason: "vendor outage",
    expires: "2026-03-31",
    docRef: { file: "bindings.yaml", line: 12, column: 5 },
    ...overrides,
  };
}

const at = (iso: string) => new Date(iso);

describe("a stale doc", () => {
  it("is reported once last_verified is older than the limit, at its front-matter line", () => {
    const findings = judgePolicyAge(makePolicy(), at("2026-12-01T00:00:00Z"));

    expect(findings).toEqual([
      {
        ruleId: "DOC_STALE",
        severity: "medium",
        message:
          "secrets.md was last verified on 2025-11-06, 390 days before 2026-12-01; the limit is 180 days.",
        remediation:
          "Check the doc against the estate, then set `last_verified:` in its front matter to that day's date.",
        docRef: { file: "secrets.md", line: 3 },
        subject: "secrets.md",
      },
    ]);
  });

  it("is not reported on the last day of the limit", () => {
    expect(judgePolicyAge(makePolicy(), at("2026-05-05T23:59:00Z"))).toEqual([]);
  });

  it("is not judged when the doc gives no last_verified", () => {
    expect(
      judgePolicyAge(makePolicy({ lastVerified: undefined }), at("2030-01-01T00:00:00Z")),
    ).toEqual([]);
  });
});

describe("waivers", () => {
  it("hold through the whole of their expiry day", () => {
    const policy = makePolicy({
      lastVerified: undefined,
      waivers: [makeWaiver()],
      expiryWarningDays: [],
    });

    expect(judgePolicyAge(policy, at("2026-03-31T23:00:00Z"))).toEqual([]);
  });

  it("are reported once expired, at their place in the bindings", () => {
    const policy = makePolicy({ lastVerified: undefined, waivers: [makeWaiver()] });
    const [finding] = judgePolicyAge(policy, at("2026-04-01T00:00:00Z"));

    expect(finding).toMatchObject({
      ruleId: "WAIVER_EXPIRED",
      severity: "medium",
      docRef: { file: "bindings.yaml", line: 12 },
    });
    expect(finding?.message).toBe(
      'The waiver of ROTATION_OVERDUE for "API-KEY" (owner platform) expired on 2026-03-31, so the finding it covered is reported again.',
    );
  });

  it("are noted when they expire within the largest warning tier", () => {
    const policy = makePolicy({ lastVerified: undefined, waivers: [makeWaiver()] });
    const [finding] = judgePolicyAge(policy, at("2026-03-25T12:00:00Z"));

    expect([finding?.ruleId, finding?.severity, finding?.message]).toEqual([
      "WAIVER_EXPIRING",
      "info",
      'The waiver of ROTATION_OVERDUE for "API-KEY" (owner platform) expires on 2026-03-31, in 7 days.',
    ]);
  });
});
