/**
 * Audits a small estate end to end through the fake: collect with the real
 * SDK clients, then judge with every rule. Tests read the findings as
 * `RULE_ID severity: message` lines, the way a reviewer reads the report.
 *
 * The small estate is one app (ai-trader-api) reading one secret
 * (POSTGRES-CONN) through one setting, with its identity granted Key Vault
 * Secrets User on the vault: clean until a test plants drift.
 */
import type { Finding } from "../../src/audit/findings/finding.js";
import type {
  IdentityRequirement,
  Policy,
  SecretRequirement,
} from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { Snapshot } from "../../src/audit/snapshot/snapshot.js";
import { DEFAULT_IDS, DEFAULT_SECRET_CREATED } from "../fake-azure/default-estate.js";
import {
  BUILT_IN_ROLES,
  makeEstate,
  makeKeyVaultReference,
  makeRoleAssignment,
  makeSecret,
  makeSite,
  makeSystemIdentity,
  makeVault,
  roleDefinitionIdFor,
} from "../fake-azure/estate-builders.js";
import type { BuiltInRoleName } from "../fake-azure/estate-builders.js";
import type { FakeEstate, FakeRoleAssignment } from "../fake-azure/estate-model.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

/** The clock every audit through the fake is judged against. */
export const AUDIT_NOW = new Date("2026-12-01T00:00:00Z");

export const SMALL = {
  secret: "POSTGRES-CONN",
  setting: "DATABASE_URL",
  vault: DEFAULT_IDS.vaultName,
  vaultId: DEFAULT_IDS.vaultId,
  app: DEFAULT_IDS.apiApp,
  appId: DEFAULT_IDS.apiAppId,
  principalId: DEFAULT_IDS.apiPrincipalId,
  identity: "ai-trader-api-mi",
  subscriptionId: DEFAULT_IDS.subscriptionId,
  resourceGroupId: DEFAULT_IDS.vaultId.split("/providers/")[0]!,
} as const;

const DOC = "policy/secrets.md";
const UAI_PROVIDER = "providers/Microsoft.ManagedIdentity/userAssignedIdentities";

/** ARM id of a user-assigned identity in the small estate's resource group. */
export function userAssignedId(name: string): string {
  return `${SMALL.resourceGroupId}/${UAI_PROVIDER}/${name}`;
}

export function grant(
  principalId: string,
  role: BuiltInRoleName,
  scope: string,
  overrides: Partial<FakeRoleAssignment> = {},
): FakeRoleAssignment {
  return makeRoleAssignment({
    scope,
    principalId,
    roleDefinitionId: roleDefinitionIdFor(SMALL.subscriptionId, role),
    ...overrides,
  });
}

/** One app, one vault, one secret, one grant; no drift. */
export function makeSmallEstate(): FakeEstate {
  return makeEstate({
    tenantId: DEFAULT_IDS.tenantId,
    subscriptionId: SMALL.subscriptionId,
    managementGroups: [DEFAULT_IDS.managementGroup],
    sites: [
      makeSite({
        name: SMALL.app,
        resourceGroup: DEFAULT_IDS.resourceGroup,
        identity: makeSystemIdentity(SMALL.principalId, DEFAULT_IDS.tenantId),
        appSettings: {
          [SMALL.setting]: makeKeyVaultReference(SMALL.vault, SMALL.secret),
          WEBSITES_PORT: "8000",
        },
      }),
    ],
    vaults: [
      makeVault({
        name: SMALL.vault,
        resourceGroup: DEFAULT_IDS.resourceGroup,
        secrets: [makeSecret({ name: SMALL.secret, created: DEFAULT_SECRET_CREATED })],
      }),
    ],
    roleAssignments: [grant(SMALL.principalId, "Key Vault Secrets User", SMALL.vaultId)],
    // The seeded CI principal exists in the directory, as it normally would.
    directoryObjects: [
      { id: DEFAULT_IDS.ciPrincipalId, kind: "servicePrincipal", displayName: "gh-ai-trader-ci" },
    ],
  });
}

export function makeSmallSecret(overrides: Partial<SecretRequirement> = {}): SecretRequirement {
  return {
    name: SMALL.secret,
    vault: "main",
    purpose: "database connection",
    settings: [
      { name: SMALL.setting, kind: "appSetting", apps: ["api"], docRef: { file: DOC, line: 20 } },
    ],
    rotationClasses: ["broker-vendor"],
    maxAgeDays: 90,
    docRef: { file: DOC, line: 20 },
    ...overrides,
  };
}

export function makeSmallIdentity(
  overrides: Partial<IdentityRequirement> = {},
): IdentityRequirement {
  return {
    name: SMALL.identity,
    principal: { kind: "systemAssigned", app: "api" },
    objectIdSuffix: "85df",
    roles: [
      {
        roleName: "Key Vault Secrets User",
        roleDefinitionGuid: BUILT_IN_ROLES["Key Vault Secrets User"],
        scope: SMALL.vaultId,
        scopeLabel: SMALL.vault,
        docRef: { file: DOC, line: 34 },
      },
    ],
    docRef: { file: DOC, line: 34 },
    ...overrides,
  };
}

/** The doc of the small estate: its secret, its app and its identity, nothing else. */
export function makeSmallPolicy(overrides: Partial<Policy> = {}): Partial<Policy> {
  return {
    apps: {
      api: {
        name: SMALL.app,
        resourceGroup: DEFAULT_IDS.resourceGroup,
        resourceId: SMALL.appId,
        slots: [],
      },
    },
    secrets: [makeSmallSecret()],
    identities: [makeSmallIdentity()],
    ...overrides,
  };
}

export interface FakeAuditOptions {
  /** Changes to the seeded policy, applied before collection. */
  policy?: Partial<Policy>;
  /** Faults to inject, or policy edits that need the running fake. */
  prepare?: (harness: CollectHarness) => void;
}

export interface FakeAudit {
  snapshot: Snapshot;
  findings: Finding[];
  /** `RULE_ID severity: message`, most severe first. */
  lines: string[];
}

/**
 * Collects `estate` through the fake and judges it at AUDIT_NOW against the
 * small estate's doc (or `options.policy`); the fake is closed after.
 */
export async function auditThroughFake(
  estate: FakeEstate = makeSmallEstate(),
  options: FakeAuditOptions = {},
): Promise<FakeAudit> {
  // A doc verified a month ago, so that only the estate's drift is reported.
  const policy = { lastVerified: "2026-11-01", ...(options.policy ?? makeSmallPolicy()) };
  const harness = await startHarness(estate, policy);

  try {
    options.prepare?.(harness);
    const snapshot = await harness.collect();
    const findings = evaluateRules({ policy: harness.policy, snapshot, now: AUDIT_NOW });

    return { snapshot, findings, lines: findings.map(toLine) };
  } finally {
    await harness.close();
  }
}

export function toLine(finding: Finding): string {
  return `${finding.ruleId} ${finding.severity}: ${finding.message}`;
}
