import type { Policy, PolicyFinding, RoleRequirement, Severity } from "./policy-model.js";

/** What `drift-audit validate --format json` prints: the model the auditor will use. */
export interface ValidationReport {
  docFile: string;
  bindingsFile: string | null;
  lastVerified: string | null;
  usable: true;
  secrets: ValidationSecret[];
  settings: ValidationSetting[];
  identities: ValidationIdentity[];
  findings: ValidationFinding[];
}

export interface ValidationSecret {
  name: string;
  /** Key of the vault in the policy, and the vault's name. */
  vault: string;
  vaultName: string | null;
  settings: string[];
  /** Setting name → keys of the apps that must carry it. */
  apps: Record<string, string[]>;
  rotationClasses: string[];
  maxAgeDays: number | null;
  file: string;
  line: number;
}

export interface ValidationSetting {
  name: string;
  apps: string[];
  file: string;
  line: number;
}

export interface ValidationIdentity {
  name: string;
  principal: string | null;
  objectIdSuffix: string | null;
  roles: ValidationRole[];
  file: string;
  line: number;
}

export interface ValidationRole {
  role: string;
  roleDefinitionId: string | null;
  /** The ARM id when bound; otherwise the doc's words (see `scopeResolved`). */
  scope: string;
  scopeResolved: boolean;
  scopeLabel: string;
  line: number;
}

export interface ValidationFinding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number | null;
  subject: string | null;
  message: string;
  remediation: string;
}

/** Plain JSON-ready view of a policy; pass findings from `judgePolicyAge` to include them. */
export function toValidationReport(
  policy: Policy,
  extraFindings: readonly PolicyFinding[] = [],
): ValidationReport {
  return {
    docFile: policy.docFile,
    bindingsFile: policy.bindingsFile ?? null,
    lastVerified: policy.lastVerified ?? null,
    usable: true,
    secrets: policy.secrets.map((secret) => ({
      name: secret.name,
      vault: secret.vault,
      vaultName: policy.vaults[secret.vault]?.name ?? null,
      settings: secret.settings.map((setting) => setting.name),
      apps: Object.fromEntries(secret.settings.map((setting) => [setting.name, setting.apps])),
      rotationClasses: secret.rotationClasses,
      maxAgeDays: secret.maxAgeDays ?? null,
      file: secret.docRef.file,
      line: secret.docRef.line,
    })),
    settings: (policy.settings ?? []).map((setting) => ({
      name: setting.name,
      apps: setting.apps,
      file: setting.docRef.file,
      line: setting.docRef.line,
    })),
    identities: policy.identities.map((identity) => ({
      name: identity.name,
      principal: describePrincipal(identity.principal),
      objectIdSuffix: identity.objectIdSuffix ?? null,
      roles: identity.roles.map(toRole),
      file: identity.docRef.file,
      line: identity.docRef.line,
    })),
    findings: [...policy.findings, ...extraFindings].map(toFinding),
  };
}

function toRole(role: RoleRequirement): ValidationRole {
  return {
    role: role.roleName,
    roleDefinitionId: role.roleDefinitionGuid ?? null,
    scope: role.scope || role.scopeLabel,
    scopeResolved: role.scope !== "",
    scopeLabel: role.scopeLabel,
    line: role.docRef.line,
  };
}

function describePrincipal(principal: Policy["identities"][number]["principal"]): string | null {
  switch (principal?.kind) {
    case "systemAssigned":
      return `system-assigned identity of app ${principal.app}`;
    case "userAssigned":
      return principal.resourceId;
    case "objectId":
      return principal.objectId;
    default:
      return null;
  }
}

function toFinding(finding: PolicyFinding): ValidationFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: finding.docRef.file,
    line: finding.docRef.line,
    column: finding.docRef.column ?? null,
    subject: finding.subject ?? null,
    message: finding.message,
    remediation: finding.remediation,
  };
}
