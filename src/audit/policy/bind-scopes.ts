import type { BindContext } from "./bind-context.js";
import { lookup, resourceGroupId, resourceIdOf } from "./bind-context.js";
import { isGuid, phraseKey } from "./names.js";
import type { DocGrant, DocScope } from "./policy-doc.js";
import { makeFinding } from "./make-finding.js";

/**
 * The ARM id a doc scope stands for, from the bindings' resources, vaults
 * and apps, or from the scope's own kind. Empty when it cannot be bound.
 */
export function resolveScopeId(scope: DocScope, context: BindContext): string {
  if (scope.name) {
    return resolveNamed(scope.name, scope, context);
  }

  return scope.service ? resolveService(scope.service, context) : "";
}

function resolveNamed(name: string, scope: DocScope, context: BindContext): string {
  const resource = lookup(context.bindings?.data.resources, name);

  if (resource !== undefined) {
    return resourceIdOf(context, resource);
  }

  const vault =
    lookup(context.vaults, name) ??
    Object.values(context.vaults).find((v) => v.name.toLowerCase() === name.toLowerCase());
  const app =
    lookup(context.apps, name) ??
    Object.values(context.apps).find((a) => a.name.toLowerCase() === name.toLowerCase());
  const bound = vault?.resourceId || app?.resourceId;

  if (bound) {
    return bound;
  }

  if (name.startsWith("/")) {
    return name;
  }

  switch (scope.kind) {
    case "managementGroup":
      return `/providers/Microsoft.Management/managementGroups/${name}`;
    case "resourceGroup":
      return resourceGroupId(context.subscriptionId, name);
    case "subscription":
      return isGuid(name) ? `/subscriptions/${name.toLowerCase()}` : "";
    default:
      return "";
  }
}

function resolveService(service: string, context: BindContext): string {
  const resource = lookup(context.bindings?.data.resources, service);

  if (resource !== undefined) {
    return resourceIdOf(context, resource);
  }

  const key = phraseKey(service);
  const vaults = Object.values(context.vaults);

  if ((key === "key vault" || key === "vault") && vaults.length === 1) {
    return vaults[0]?.resourceId ?? "";
  }

  if (key === "resource group") {
    return resourceGroupId(context.subscriptionId, context.resourceGroup);
  }

  return key === "subscription" && context.subscriptionId
    ? `/subscriptions/${context.subscriptionId}`
    : "";
}

/**
 * Says why a grant's scope could not be bound. Without a bindings file a
 * named scope is simply not bound yet, which is no problem of the doc; a
 * scope the doc never names is worth a note either way.
 */
export function reportUnboundScope(identity: string, grant: DocGrant, context: BindContext): void {
  const base = {
    file: context.doc.file,
    line: grant.line,
    column: grant.column,
    subject: identity,
  };
  const label = grant.scope.label || grant.text;

  if (context.bindings) {
    context.findings.push(
      makeFinding({
        ...base,
        ruleId: "SCOPE_UNBOUND",
        severity: "medium",
        message: `The scope "${label}" of role "${grant.roleName}" for identity "${identity}" at line ${grant.line} matches no resource in ${context.bindings.file}, so the role cannot be checked.`,
        remediation: `Add \`resources: { "${label}": <ARM id> }\` to ${context.bindings.file}, or name the resource in the doc.`,
      }),
    );
    return;
  }

  if (!grant.scope.name) {
    context.findings.push(
      makeFinding({
        ...base,
        ruleId: "MATRIX_SCOPE_UNNAMED",
        severity: "info",
        message: `Role "${grant.roleName}" for identity "${identity}" at line ${grant.line} is granted on ${grant.scope.label ? `"${grant.scope.label}"` : "a scope the doc does not give"}, which names no particular resource.`,
        remediation:
          "Name the resource in the doc, e.g. `Storage Blob Data Contributor (`stappprod`)`, or bind the word under resources: in the bindings.",
      }),
    );
  }
}
