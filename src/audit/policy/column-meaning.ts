import type { MdHeading, MdTable } from "./markdown-blocks.js";

/** What a table column holds, judged from its header's words. */
export type ColumnMeaning =
  | "secret"
  | "setting"
  | "vault"
  | "app"
  | "identity"
  | "principalId"
  | "principalType"
  | "role"
  | "access"
  | "scope"
  | "condition"
  | "description"
  | "required"
  | "type"
  | "source"
  | "rotation"
  | "category"
  | "resource"
  | "property"
  | "value"
  | "index"
  | "ignored"
  | "other";

// Order matters: "Secret Type" is a category before it is a secret, and
// "Key Vault / resource access" is access before it is a vault.
const RULES: readonly [RegExp, ColumnMeaning][] = [
  [/^$/, "ignored"],
  [/^(#|no|nr|n|idx|index|row)$/, "index"],
  [/\brotat|\bperiod\b|\binterval\b|\bfrequency\b|\bcadence\b/, "rotation"],
  [/\bsecret (type|kind|class)\b|\bcategory\b/, "category"],
  [/\b(principal|object) ?ids?\b|\boid\b/, "principalId"],
  [/\bprincipal ?type\b/, "principalType"],
  [/\baccess\b|\bpermissions?\b|\bgrants?\b/, "access"],
  [/\broles?\b|\bdefinition\b/, "role"],
  [/\bcondition\b/, "condition"],
  [/\bscope\b/, "scope"],
  [/\bidentity\b|\bidentities\b|\bprincipal\b|\bassignee\b/, "identity"],
  [/\bsecrets?\b/, "secret"],
  [/\bvault\b/, "vault"],
  [/^(apps?|applications?|services?|used by|consumers?|web apps?|function apps?)$/, "app"],
  [/\bsettings?\b|\benv\b|\benvironment\b|\bvariables?\b|\bconfig|\bappsettings\b/, "setting"],
  [/^key( name)?$|\bkey path\b|\bpath\b/, "setting"],
  [
    /\bpurpose\b|\bdescription\b|\bnotes?\b|\bremarks?\b|\busage\b|\bexample|\bcomments?\b/,
    "description",
  ],
  [/\brequired\b|\bmandatory\b|\boptional\b/, "required"],
  [/^type$/, "type"],
  [/\bhow to\b|\bwhere to\b|\bsource\b|\bretrieve\b/, "source"],
  [/^resource$/, "resource"],
  [/^(property|name|field|item)$/, "property"],
  [/^value$/, "value"],
];

/** Lower-case words of a header, with markup and punctuation gone. */
export function headerWords(header: string): string {
  return header
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#]+/gu, " ")
    .trim()
    .replace(/principalid/g, "principal id")
    .replace(/objectid/g, "object id")
    .replace(/principaltype/g, "principal type");
}

export function classifyHeader(header: string): ColumnMeaning {
  const words = headerWords(header);

  return RULES.find(([pattern]) => pattern.test(words))?.[1] ?? "other";
}

export type TableKind = "secrets" | "settings" | "identities" | "rotation" | "facts" | "other";

/** A table's columns by meaning; the first column of each meaning wins. */
export type ColumnMap = Partial<Record<ColumnMeaning, number>>;

export interface ClassifiedTable {
  table: MdTable;
  kind: TableKind;
  columns: ColumnMap;
  /** For identity tables without an identity column: the heading that names it. */
  identityHeading?: MdHeading;
}

export function mapColumns(table: MdTable): ColumnMap {
  const columns: ColumnMap = {};

  table.header.cells.forEach((cell, index) => {
    const meaning = classifyHeader(cell.text);

    columns[meaning] ??= index;
  });

  return columns;
}

/** Decides what a table documents from what its columns mean. */
export function classifyTable(table: MdTable): ClassifiedTable {
  const columns = mapColumns(table);
  const has = (meaning: ColumnMeaning) => columns[meaning] !== undefined;
  const grants = has("role") || has("access");
  const named = has("identity") || has("principalId");

  if (grants && !named && columns.resource !== undefined) {
    // A deploy guide's `Resource | Role | Scope`: the resource's identity.
    columns.identity = columns.resource;
  }

  if (grants && (named || has("resource"))) {
    return { table, kind: "identities", columns };
  }

  // Identities as headings: each heading's own `Scope | Role` table.
  if (grants && has("scope") && !has("secret") && table.heading) {
    return { table, kind: "identities", columns, identityHeading: table.heading };
  }

  return { table, kind: kindOfPlainTable(has), columns };
}

function kindOfPlainTable(has: (meaning: ColumnMeaning) => boolean): TableKind {
  if (has("secret")) {
    return "secrets";
  }

  if (has("setting")) {
    return "settings";
  }

  if (has("rotation") && has("category")) {
    return "rotation";
  }

  return has("property") && has("value") ? "facts" : "other";
}
