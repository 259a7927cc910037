import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { RoleAssignment, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  API_APP_ID,
  API_PRINCIPAL_ID,
  makeAssignment,
  makeIdentity,
  makePolicy,
  makeSite,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
  SECRETS_USER_GUID,
  SUBSCRIPTION_ID,
  VAULT_ID,
} from "../builders.js";

const STRANGER = "99999999-0000-4000-8000-000000000009";
const GROUP = "66666666-0000-4000-8000-000000000006";
const CI_PRINCIPAL = "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0";
const READER_GUID = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const SECRET_SCOPE = `${VAULT_ID}/secrets/ALPACA-KEY-ID`;
const UAI_PROVIDER = "providers/Microsoft.ManagedIdentity/userAssignedIdentities";
const GONE_UAI_ID = `${RESOURCE_GROUP_ID}/${UAI_PROVIDER}/id-gone`;
const TENANT_FORM = `/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER_GUID}`;

function judge(snapshot: Snapshot, policy: Policy = makePolicy()): string[] {
  return evaluateRules({ policy, snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function assignment(id: string, overrides: Partial<RoleAssignment>): RoleAssignment {
  const scope = overrides.scope ?? VAULT_ID;

  return makeAssignment({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${id}`,
    ...overrides,
  });
}

/** An RBAC vault whose every assignment was listed, as the collector leaves it. */
function withAssignments(...roleAssignments: RoleAssignment[]): Snapshot {
  const snapshot = makeSnapshot({ roleAssignments, scopesQueried: [VAULT_ID] });
  snapshot.vaults[0]!.enableRbacAuthorization = true;
  snapshot.roleDefinitions.push({
    id: `/providers/Microsoft.Authorization/roleDefinitions/${READER_GUID}`,
    roleName: "Reader",
    roleType: "BuiltInRole",
  });

  return snapshot;
}

const groupGrant = assignment("group", { principalId: GROUP, principalType: "Group" });

describe("access findings, each with an estate that triggers it and one that does not", () => {
  it("should match role definition ids in both path forms, each alone and together (A15)", () => {
    const subscriptionForm = makeAssignment();
    const tenantForm = assignment("tenant-form", { roleDefinitionId: TENANT_FORM });

    expect(judge(withAssignments(subscriptionForm))).toEqual([]);
    expect(judge(withAssignments(tenantForm))).toEqual([]);
    expect(judge(withAssignments(subscriptionForm, tenantForm))).toEqual([]);
  });

  it("should warn of a grant held only broader, and call a broader duplicate excess", () => {
    for (const scope of [RESOURCE_GROUP_ID, `/subscriptions/${SUBSCRIPTION_ID}`]) {
      expect(judge(withAssignments(assignment("broad", { scope })))).toEqual([
        `ROLE_SCOPE_BROADER_THAN_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Secrets User only at ${scope}, broader than the documented Key Vault; it applies to every resource below that scope.`,
      ]);
    }
    expect(
      judge(withAssignments(makeAssignment(), assignment("broad", { scope: RESOURCE_GROUP_ID }))),
    ).toEqual([
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Secrets User at ${RESOURCE_GROUP_ID}, broader than the documented Key Vault, where it is also granted.`,
    ]);
  });

  it("should not take a grant on one secret for the vault role, yet let it resolve that secret", () => {
    const onSecret = assignment("secret", { scope: SECRET_SCOPE });

    expect(judge(withAssignments(onSecret))).toEqual([
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) does not hold Key Vault Secrets User on Key Vault, as the doc says it does.`,
    ]);
  });

  it("should find the resolving identity unable to read when its only grant is on another secret", () => {
    const onOther = assignment("other", { scope: `${VAULT_ID}/secrets/OTHER-SECRET` });

    expect(judge(withAssignments(onOther))).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${API_PRINCIPAL_ID}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) does not hold Key Vault Secrets User on Key Vault, as the doc says it does.`,
    ]);
  });

  it("should not judge the resolving identity when the vault's permission model is unknown", () => {
    const snapshot = makeSnapshot({ roleAssignments: [] });

    expect(judge(snapshot)).toEqual([
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) does not hold Key Vault Secrets User on Key Vault, as the doc says it does.`,
    ]);
  });

  it("should report keyVaultReferenceIdentity naming an identity the site does not carry", () => {
    const snapshot = withAssignments(makeAssignment());
    snapshot.sites[0]!.keyVaultReferenceIdentity = GONE_UAI_ID;

    expect(judge(snapshot)).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: keyVaultReferenceIdentity names ${GONE_UAI_ID}, which is not assigned to the site.`,
    ]);
  });

  it("should rate a non-privileged excess role medium", () => {
    const reader = assignment("reader", {
      scope: RESOURCE_GROUP_ID,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER_GUID}`,
    });

    expect(judge(withAssignments(makeAssignment(), reader))).toEqual([
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Reader at ${RESOURCE_GROUP_ID}, which the doc does not list.`,
    ]);
  });

  it("should show only the documented identity's conditions", () => {
    const strangers = assignment("conditioned", {
      principalId: STRANGER,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER_GUID}`,
      condition: "@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEquals 'X'",
    });

    expect(judge(withAssignments(makeAssignment(), strangers))).toEqual([]);
  });

  it("should report a documented role held only through a group", () => {
    const snapshot = withAssignments(groupGrant);
    snapshot.principalGroups = { [API_PRINCIPAL_ID]: [GROUP] };

    expect(judge(snapshot)).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${API_PRINCIPAL_ID}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
      `UNDOCUMENTED_ACCESS high: Undocumented group ${GROUP} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      `ROLE_VIA_GROUP_ONLY medium: Identity ai-trader-api-mi holds Key Vault Secrets User on Key Vault only through group ${GROUP}.`,
    ]);
  });

  it("should not say 'only through a group' when a direct grant exists too", () => {
    const snapshot = withAssignments(makeAssignment(), groupGrant);
    snapshot.principalGroups = { [API_PRINCIPAL_ID]: [GROUP] };

    expect(judge(snapshot)).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented group ${GROUP} holds Key Vault Secrets User on kv-ai-trader-prod.`,
    ]);
  });

  it("should find a principal's groups whatever the case of its object id", () => {
    const policy = makePolicy({
      identities: [
        makeIdentity(),
        makeIdentity({
          name: "gh-ai-trader-ci",
          principal: { kind: "objectId", objectId: CI_PRINCIPAL.toUpperCase() },
          objectIdSuffix: undefined,
        }),
      ],
    });
    const snapshot = withAssignments(makeAssignment(), groupGrant);
    snapshot.principalsQueried.push(CI_PRINCIPAL);
    snapshot.principalGroups = { [API_PRINCIPAL_ID]: [], [CI_PRINCIPAL]: [GROUP] };
    snapshot.directoryPrincipals = [
      { objectId: CI_PRINCIPAL, kind: "servicePrincipal", exists: true },
    ];

    expect(judge(snapshot, policy)).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented group ${GROUP} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      `ROLE_VIA_GROUP_ONLY medium: Identity gh-ai-trader-ci holds Key Vault Secrets User on Key Vault only through group ${GROUP}.`,
    ]);
  });

  it("should report strangers with a data role at, above or below a documented resource", () => {
    const snapshot = withAssignments(
      makeAssignment(),
      assignment("at", { principalId: STRANGER }),
      assignment("above", { principalId: STRANGER, scope: RESOURCE_GROUP_ID }),
      assignment("below", { principalId: STRANGER, scope: SECRET_SCOPE }),
    );

    expect(judge(snapshot)).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets User on kv-ai-trader-prod through ${RESOURCE_GROUP_ID}.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets User on kv-ai-trader-prod at ${SECRET_SCOPE}.`,
    ]);
  });

  it("should not report a stranger's control-plane role, nor any grant where assignments were not listed", () => {
    const reader = assignment("reader", {
      principalId: STRANGER,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER_GUID}`,
    });
    const unlisted = withAssignments(makeAssignment(), assignment("at", { principalId: STRANGER }));
    unlisted.scopesQueried = [];

    expect(judge(withAssignments(makeAssignment(), reader))).toEqual([]);
    expect(judge(unlisted)).toEqual([]);
  });

  it("should count a slot's own identity as the app's documented identity", () => {
    const slotPrincipal = "33333333-0000-4000-8000-000000000003";
    const snapshot = withAssignments(
      makeAssignment(),
      assignment("slot", { principalId: slotPrincipal }),
    );
    snapshot.sites.push(
      makeSite({
        resourceId: `${API_APP_ID}/slots/staging`,
        slot: "staging",
        identity: {
          type: "SystemAssigned",
          principalId: slotPrincipal,
          tenantId: undefined,
          userAssigned: [],
        },
      }),
    );
    snapshot.principalsQueried.push(slotPrincipal);

    expect(judge(snapshot)).toEqual([]);
  });

  it("should call a left-over grant a recreated identity's only when the identity resolves elsewhere", () => {
    const recreated = "f4e3d2c1-b0a9-4877-8655-4433221100aa";
    const leftOver = makeAssignment();
    const moved = withAssignments(leftOver);
    moved.sites[0]!.identity!.principalId = recreated;
    moved.principalsQueried = [recreated];
    const gone = withAssignments(leftOver);
    gone.sites = [];

    expect(judge(moved).filter((m) => m.startsWith("UNDOCUMENTED"))).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${API_PRINCIPAL_ID} holds Key Vault Secrets User on kv-ai-trader-prod; it carries the doc's object id for ai-trader-api-mi, which now resolves to another principal: a grant left behind when the identity was recreated.`,
    ]);
    expect(judge(gone).filter((m) => m.startsWith("UNDOCUMENTED"))).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${API_PRINCIPAL_ID} holds Key Vault Secrets User on kv-ai-trader-prod.`,
    ]);
  });

  it("should find a documented role ineffective on an access-policy vault with no policy for it (A17)", () => {
    const snapshot = withAssignments(makeAssignment());
    snapshot.vaults[0]!.enableRbacAuthorization = false;
    snapshot.vaults[0]!.accessPolicies = [];

    expect(judge(snapshot)).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${API_PRINCIPAL_ID}) has no access policy with get on secrets.`,
      "ROLE_INEFFECTIVE_ACCESS_POLICY_MODE high: Vault kv-ai-trader-prod uses access policies, so Key Vault Secrets User for ai-trader-api-mi grants nothing there; no access policy grants it get on secrets.",
    ]);
  });

  it("should not judge access policies on a vault in RBAC mode", () => {
    const snapshot = withAssignments(makeAssignment());
    snapshot.vaults[0]!.accessPolicies = [
      {
        tenantId: "t",
        objectId: STRANGER,
        applicationId: undefined,
        secrets: ["all"],
        keys: [],
        certificates: [],
      },
    ];

    expect(judge(snapshot)).toEqual([]);
  });
});
