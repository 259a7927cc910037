import { describe, expect, it } from "vitest";

import { linkRootCauses } from "../../src/audit/findings/root-causes.js";
import { makeFinding } from "../emit/run-builders.js";

const SITE = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/ui";
const NEW_PRINCIPAL = "f4e3d2c1-b0a9-4877-8655-4433221100aa";
const OLD_PRINCIPAL = "a1c3e5f7-2b4d-4f6a-8c1e-3d5f7a9c4bb7";

const recreated = makeFinding({
  id: "recreated000001",
  ruleId: "IDENTITY_OBJECT_ID_MISMATCH",
  resourceId: SITE,
  subject: "ui-mi",
  evidence: { identity: "ui-mi", principalId: NEW_PRINCIPAL },
});
const roleMissing = makeFinding({
  id: "rolemissing0001",
  ruleId: "ROLE_MISSING",
  evidence: { identity: "ui-mi", principalId: NEW_PRINCIPAL },
});
const cannotRead = makeFinding({
  id: "cannotread00001",
  ruleId: "KV_REFERENCE_IDENTITY_CANNOT_READ",
  resourceId: SITE,
  evidence: { principalId: NEW_PRINCIPAL },
});
const denied = makeFinding({
  id: "denied000000001",
  ruleId: "KV_REFERENCE_UNRESOLVED",
  resourceId: SITE,
  observed: "status AccessToKeyVaultDenied",
});
const leftBehind = makeFinding({
  id: "leftbehind00001",
  ruleId: "UNDOCUMENTED_ACCESS",
  evidence: { principalId: OLD_PRINCIPAL, formerIdentity: "ui-mi" },
});
const CAUSE = { id: recreated.id, ruleId: "IDENTITY_OBJECT_ID_MISMATCH", subject: "ui-mi" };

describe("linkRootCauses", () => {
  it("should point every finding a recreated identity explains at it", () => {
    const linked = linkRootCauses([recreated, roleMissing, cannotRead, denied, leftBehind]);

    expect(linked.map((f) => f.causedBy)).toEqual([undefined, CAUSE, CAUSE, CAUSE, CAUSE]);
  });

  it("should link nothing when there is no cause in the run", () => {
    const linked = linkRootCauses([roleMissing, leftBehind]);

    expect(linked.map((f) => f.causedBy)).toEqual([undefined, undefined]);
  });

  it("should not tie a reference that fails for another reason to the identity", () => {
    const notFound = { ...denied, observed: "status SecretNotFound" };

    expect(linkRootCauses([recreated, cannotRead, notFound])[2]?.causedBy).toBeUndefined();
  });
});
