/**
 * Principals bound by object id, judged on what Microsoft Entra ID said of
 * them: gone (IDENTITY_MISSING, once), present, not looked up (a note) or
 * not readable (a gap, never a pass).
 */
import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  makeAssignment,
  makeIdentity,
  makePolicy,
  makeSnapshot,
  NOW,
  SUBSCRIPTION_ID,
  VAULT_ID,
} from "../builders.js";

const CI = "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0";

function ciPolicy(overrides: Partial<Policy> = {}): Policy {
  const policy = makePolicy(overrides);

  return {
    ...policy,
    identities: [
      makeIdentity({
        name: "gh-ci",
        principal: { kind: "objectId", objectId: CI },
        objectIdSuffix: undefined,
      }),
    ],
  };
}

/** The CI principal holds its documented grant; the directory says `exists`. */
function ciSnapshot(exists: boolean | undefined): Snapshot {
  return makeSnapshot({
    principalsQueried: [CI],
    roleAssignments: [makeAssignment({ principalId: CI })],
    ...(exists === undefined
      ? {}
      : { directoryPrincipals: [{ objectId: CI, kind: "servicePrincipal", exists }] }),
  });
}

function judge(snapshot: Snapshot, policy = ciPolicy()): string[] {
  return evaluateRules({ policy, snapshot, now: NOW })
    .filter((finding) => finding.ruleId !== "SETTING_MISSING")
    .map((finding) => `${finding.ruleId} ${finding.subject}`);
}

describe("principals bound by object id", () => {
  it("should accept a principal the directory has", () => {
    expect(judge(ciSnapshot(true))).toEqual([]);
  });

  it("should report a principal the directory no longer has, and nothing else about it", () => {
    const snapshot = ciSnapshot(false);
    const findings = evaluateRules({ policy: ciPolicy(), snapshot, now: NOW });

    expect(judge(snapshot)).toEqual(["IDENTITY_MISSING gh-ci"]);
    expect(findings[0]).toMatchObject({
      severity: "high",
      resourceId: `/servicePrincipals/${CI}`,
      expected: `principal ${CI} in Microsoft Entra ID`,
      observed: "not found",
    });
  });

  it("should not judge a gone principal's grants as missing or undocumented", () => {
    const snapshot = ciSnapshot(false);
    snapshot.roleAssignments = [];
    snapshot.scopesQueried = [VAULT_ID];

    expect(judge(snapshot)).toEqual(["IDENTITY_MISSING gh-ci"]);
  });

  it("should call a principal a snapshot never looked up a blind spot, and judge its grants", () => {
    const snapshot = ciSnapshot(undefined);
    snapshot.roleAssignments = [];

    expect(judge(snapshot)).toEqual([
      "ROLE_MISSING gh-ci: Key Vault Secrets User",
      `NOT_EVALUATED directoryPrincipal: ${CI}`,
    ]);
  });

  it("should only note a principal the bindings chose not to look up", () => {
    const policy = ciPolicy();
    policy.endpoints = { ...policy.endpoints, verifyPrincipals: false };

    expect(judge(ciSnapshot(undefined), policy)).toEqual(["PRINCIPAL_NOT_VERIFIED gh-ci"]);
  });

  it("should say why it was not looked up when the bindings turned the lookup off", () => {
    const policy = ciPolicy();
    policy.endpoints = { ...policy.endpoints, verifyPrincipals: false };
    const [note] = evaluateRules({ policy, snapshot: ciSnapshot(undefined), now: NOW });

    expect(note?.message).toBe(
      `Principal ${CI} of documented identity gh-ci was not looked up in Microsoft Entra ID ` +
        "because the bindings (policy/bindings.yaml) set verifyPrincipals: false; if it was " +
        "deleted, its grants would still list.",
    );
    expect(note?.severity).toBe("info");
  });

  it("should leave a failed lookup to NOT_EVALUATED rather than a note", () => {
    const snapshot = ciSnapshot(undefined);
    snapshot.gaps = [
      {
        resourceId: `https://graph.microsoft.com/v1.0/servicePrincipals/${CI}`,
        what: "directoryPrincipal",
        reason: "Insufficient privileges to complete the operation.",
        statusCode: 403,
        errorCode: "Authorization_RequestDenied",
        principalId: CI,
      },
    ];

    expect(judge(snapshot)).toEqual([`NOT_EVALUATED directoryPrincipal: ${CI}`]);
  });

  it("should not look at identities bound any other way", () => {
    const snapshot = makeSnapshot({ subscriptionId: SUBSCRIPTION_ID });

    expect(judge(snapshot, makePolicy()).filter((f) => f.startsWith("PRINCIPAL_"))).toEqual([]);
  });
});
