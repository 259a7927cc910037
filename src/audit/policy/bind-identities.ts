import type { BindContext } from "./bind-context.js";
import { lookup } from "./bind-context.js";
import { reportUnboundScope, resolveScopeId } from "./bind-scopes.js";
import type { DocGrant, DocIdentity } from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";
import type { IdentityRequirement, PrincipalBinding, RoleRequirement } from "./policy-model.js";

/** Identities as requirements: each bound to a principal, each role to an ARM scope. */
export function bindIdentities(context: BindContext): IdentityRequirement[] {
  const identities = context.doc.identities.map((identity) => bindIdentity(identity, context));

  reportUnknownBindingIdentities(context);

  return identities;
}

function bindIdentity(identity: DocIdentity, context: BindContext): IdentityRequirement {
  const principal = bindPrincipal(identity, context);
  const reported = new Set<string>();
  const roles = identity.grants
    .filter((grant) => grant.source !== "ambiguous")
    .map((grant) => bindRole(identity, grant, context, reported));

  checkObjectIdSuffix(identity, principal, context);

  return {
    name: identity.name,
    principal,
    objectIdSuffix: identity.objectIdSuffix,
    roles,
    docRef: { file: context.doc.file, line: identity.line, column: identity.column },
    ...(identity.identityType ? { identityType: identity.identityType } : {}),
    ...(identity.principalType ? { principalType: identity.principalType } : {}),
    ...(identity.usedBy ? { usedBy: identity.usedBy } : {}),
    ...(identity.federated ? { federated: true } : {}),
  };
}

function bindPrincipal(identity: DocIdentity, context: BindContext): PrincipalBinding | undefined {
  const entry = lookup(context.bindings?.data.identities, identity.name);

  if (entry?.app !== undefined) {
    return { kind: "systemAssigned", app: entry.app };
  }

  if (entry?.userAssigned !== undefined) {
    return { kind: "userAssigned", resourceId: entry.userAssigned };
  }

  const objectId = entry?.objectId ?? identity.objectId;

  if (objectId) {
    return { kind: "objectId", objectId: objectId.toLowerCase() };
  }

  if (context.bindings) {
    context.findings.push(
      makeFinding({
        ruleId: "IDENTITY_UNBOUND",
        severity: "medium",
        file: context.doc.file,
        line: identity.line,
        column: identity.column,
        subject: identity.name,
        message: `Identity "${identity.name}" at line ${identity.line} is not bound to a principal in ${context.bindings.file}, so its roles cannot be checked.`,
        remediation: `Add \`identities: { ${identity.name}: { app: <app key> } }\` (or userAssigned: / objectId:) to ${context.bindings.file}.`,
      }),
    );
  }

  return undefined;
}

function bindRole(
  identity: DocIdentity,
  grant: DocGrant,
  context: BindContext,
  reported: Set<string>,
): RoleRequirement {
  const scope = resolveScopeId(grant.scope, context);
  const reportKey = `${grant.line}|${grant.scope.label}`;

  if (!scope && !reported.has(reportKey)) {
    reported.add(reportKey);
    reportUnboundScope(identity.name, grant, context);
  }

  return {
    roleName: grant.roleName,
    roleDefinitionGuid: grant.roleDefinitionGuid,
    scope,
    scopeLabel: grant.scope.label,
    docRef: { file: context.doc.file, line: grant.line, column: grant.column },
    roleText: grant.text,
    ...(grant.scope.kind ? { scopeKind: grant.scope.kind } : {}),
    ...(grant.satisfiedByGuids ? { satisfiedByGuids: grant.satisfiedByGuids } : {}),
    ...(grant.secretPermissions ? { secretPermissions: grant.secretPermissions } : {}),
    ...(grant.dataPlane ? { dataPlane: grant.dataPlane } : {}),
    ...(grant.condition ? { condition: grant.condition } : {}),
  };
}

/** The doc's "OID ending …85df" against the object id the bindings give. */
function checkObjectIdSuffix(
  identity: DocIdentity,
  principal: PrincipalBinding | undefined,
  context: BindContext,
): void {
  const suffix = identity.objectIdSuffix;

  if (!suffix || principal?.kind !== "objectId" || principal.objectId.endsWith(suffix)) {
    return;
  }

  context.findings.push(
    makeFinding({
      ruleId: "IDENTITY_OID_MISMATCH",
      severity: "high",
      file: context.doc.file,
      line: identity.line,
      column: identity.column,
      subject: identity.name,
      message: `Identity "${identity.name}" at line ${identity.line} is documented with an object id ending "${suffix}", but the bindings give ${principal.objectId}; one of them is stale.`,
      remediation: "Look the principal up in Entra ID and correct the doc or the bindings.",
    }),
  );
}

function reportUnknownBindingIdentities(context: BindContext): void {
  const bindings = context.bindings;
  const documented = new Set(context.doc.identities.map((identity) => identity.name.toLowerCase()));

  for (const name of Object.keys(bindings?.data.identities ?? {})) {
    if (bindings && !documented.has(name.toLowerCase())) {
      context.findings.push(
        makeFinding({
          ruleId: "BINDINGS_IDENTITY_UNKNOWN",
          severity: "low",
          ...bindings.refOf(["identities", name]),
          subject: name,
          message: `${bindings.file} binds identity "${name}", which the doc's identity tables do not list.`,
          remediation:
            "Add the identity to the doc's identity mapping, or remove it from the bindings.",
        }),
      );
    }
  }
}
