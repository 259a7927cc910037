/**
 * The pieces `checkSnapshot` is built from. Each check returns the first
 * problem as `path what is wrong`, or undefined when the value fits.
 */

/**
 * What a field must hold. A list of words means exactly one of them.
 *
 * - `string`: a non-empty string; `text`: any string, empty included.
 * - `optionalText`: absent or a string. `nullableText` also takes null:
 *   Azure answers null for some properties and the collector passes them
 *   on, and rules read these with `?.` or `??`, where null is absent.
 *   Where a rule tells absent from present (`slot`), null is refused.
 */
export type FieldKind =
  | "string"
  | "text"
  | "optionalText"
  | "nullableText"
  | "date"
  | "optionalDate"
  | "boolean"
  | "optionalBoolean"
  | "optionalNumber"
  | "textList"
  | "optionalTextList"
  | readonly string[];

export type Check = (item: unknown, path: string) => string | undefined;

type NamedKind = Exclude<FieldKind, readonly string[]>;

const FIELD_CHECKS: Record<NamedKind, Check> = {
  string: (value, path) =>
    typeof value === "string" && value !== "" ? undefined : `${path} is missing or not a string`,
  text: (value, path) =>
    typeof value === "string" ? undefined : `${path} is missing or not a string`,
  optionalText: (value, path) => (value === undefined ? undefined : checkString(value, path)),
  nullableText: (value, path) => (value == null ? undefined : checkString(value, path)),
  date: (value, path) => FIELD_CHECKS.string(value, path) ?? checkDate(value as string, path),
  optionalDate: (value, path) => (value === undefined ? undefined : FIELD_CHECKS.date(value, path)),
  boolean: (value, path) =>
    typeof value === "boolean" ? undefined : `${path} is not true or false`,
  optionalBoolean: (value, path) =>
    value === undefined ? undefined : FIELD_CHECKS.boolean(value, path),
  optionalNumber: (value, path) =>
    value === undefined || Number.isFinite(value) ? undefined : `${path} is not a number`,
  textList: (value, path) => checkItems(value, path, checkString),
  optionalTextList: (value, path) =>
    value === undefined ? undefined : checkItems(value, path, checkString),
};

/** Checks an object's fields, in order; a field not named is not looked at. */
export function checkFields(
  item: unknown,
  path: string,
  fields: Record<string, FieldKind>,
): string | undefined {
  if (!isRecord(item)) {
    return `${path || "the snapshot"} is not an object`;
  }

  for (const [key, kind] of Object.entries(fields)) {
    const problem = checkField(item[key], kind, joinPath(path, key));

    if (problem) {
      return problem;
    }
  }

  return undefined;
}

function checkField(value: unknown, kind: FieldKind, path: string): string | undefined {
  if (typeof kind === "string") {
    return FIELD_CHECKS[kind as NamedKind](value, path);
  }

  return kind.includes(value as string) ? undefined : `${path} is not ${listWords(kind)}`;
}

/** A list that must be there, each item checked. */
export function checkList(
  record: Record<string, unknown>,
  key: string,
  checkItem: Check,
  parent = "",
): string | undefined {
  return checkItems(record[key], joinPath(parent, key), checkItem);
}

/** A list that older snapshots may lack; when present, each item is checked. */
export function checkOptionalList(
  record: Record<string, unknown>,
  key: string,
  checkItem: Check,
  parent = "",
): string | undefined {
  return record[key] === undefined ? undefined : checkList(record, key, checkItem, parent);
}

/** A part that may be absent; when present, `check` judges it. */
export function checkOptional(
  record: Record<string, unknown>,
  key: string,
  check: Check,
  parent = "",
): string | undefined {
  const value = record[key];

  return value === undefined ? undefined : check(value, joinPath(parent, key));
}

export function checkString(item: unknown, path: string): string | undefined {
  return typeof item === "string" ? undefined : `${path} is not a string`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkItems(list: unknown, path: string, checkItem: Check): string | undefined {
  if (!Array.isArray(list)) {
    return `${path} is not a list`;
  }

  for (const [index, item] of list.entries()) {
    const problem = checkItem(item, `${path}[${index}]`);

    if (problem) {
      return problem;
    }
  }

  return undefined;
}

function checkDate(value: string, path: string): string | undefined {
  return Number.isNaN(Date.parse(value)) ? `${path} is not a date` : undefined;
}

function joinPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** `a`, `a or b`, `a, b or c`. */
function listWords(words: readonly string[]): string {
  return words.length < 2
    ? (words[0] ?? "")
    : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}
