import { phraseKey } from "./names.js";
import type { DocScope } from "./policy-doc.js";
import type { ScopeKind } from "./policy-model.js";

/** What the reader knows when it reads a scope: the doc's one vault and the section. */
export interface ScopeContext {
  docVault: string | undefined;
  /** From a heading such as "Management Group Assignments". */
  headingKind: ScopeKind | undefined;
}

// Words a doc uses for a kind of resource when it names none.
const SERVICE_WORDS: Record<string, ScopeKind> = {
  "key vault": "resource",
  vault: "resource",
  "resource group": "resourceGroup",
  subscription: "subscription",
  "management group": "managementGroup",
  storage: "resource",
  "storage account": "resource",
  "blob storage": "resource",
  "service bus": "resource",
  "event hubs": "resource",
  "event hub": "resource",
  "cosmos db": "resource",
  "app configuration": "resource",
  "container registry": "resource",
};

const KIND_PREFIX: readonly [RegExp, ScopeKind][] = [
  [/^(?:the\s+)?(?:resource group|rg)\s+(\S+)$/i, "resourceGroup"],
  [/^(?:the\s+)?management group\s+(\S+)$/i, "managementGroup"],
  [/^(?:the\s+)?subscription\s+(\S+)$/i, "subscription"],
];

export const UNKNOWN_SCOPE: DocScope = {
  label: "",
  name: undefined,
  kind: undefined,
  service: undefined,
};

/** The kind of scope a section heading implies ("Management Group Assignments"). */
export function scopeKindOfHeading(heading: string | undefined): ScopeKind | undefined {
  const text = heading?.toLowerCase() ?? "";

  if (text.includes("management group")) {
    return "managementGroup";
  }

  if (text.includes("resource group")) {
    return "resourceGroup";
  }

  return text.includes("subscription") ? "subscription" : undefined;
}

/** Reads a scope as the doc writes it: a name, `resource group rg-x`, an ARM id or prose. */
export function parseScopeText(text: string, context: ScopeContext): DocScope {
  const label = text.trim();

  if (label === "") {
    return UNKNOWN_SCOPE;
  }

  if (label.startsWith("/")) {
    return { label, name: label, kind: kindOfArmId(label), service: undefined };
  }

  for (const [pattern, kind] of KIND_PREFIX) {
    const name = pattern.exec(label)?.[1];

    if (name) {
      return { label, name, kind, service: undefined };
    }
  }

  return serviceScope(label, context) ?? namedScope(label, context);
}

/** Scope for a service word (`Key Vault`, `Blob Storage`); the doc's vault when it has one. */
export function serviceScope(label: string, context: ScopeContext): DocScope | undefined {
  const key = phraseKey(label);
  const kind = SERVICE_WORDS[key];

  if (!kind) {
    return undefined;
  }

  const isVault = key === "key vault" || key === "vault";
  const name = isVault ? context.docVault : undefined;

  return { label, name, kind, service: label };
}

function namedScope(label: string, context: ScopeContext): DocScope {
  if (/\s/.test(label)) {
    return { label, name: undefined, kind: undefined, service: undefined };
  }

  return { label, name: label, kind: context.headingKind ?? "resource", service: undefined };
}

function kindOfArmId(id: string): ScopeKind {
  const parts = id.split("/").filter((part) => part !== "");

  if (parts[0]?.toLowerCase() === "providers" && parts.length <= 4) {
    return "managementGroup";
  }

  if (parts.length <= 2) {
    return "subscription";
  }

  return parts.length <= 4 ? "resourceGroup" : "resource";
}
