import type { Document, LineCounter } from "yaml";
import { isMap, isScalar, isSeq } from "yaml";

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

type Located = { range?: [number, number, number] | null | undefined };

/**
 * Finds where a path of keys and indexes is written in a parsed YAML (or
 * JSON) document: the key itself, or the value under it. Falls back to
 * the nearest ancestor that exists, and to 1:1 for the root.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: YamlPath,
  part: "key" | "value",
): Position {
  for (let depth = path.length; depth > 0; depth--) {
    const node =
      part === "key" ? keyNode(doc, path.slice(0, depth)) : valueNode(doc, path.slice(0, depth));
    const offset = node?.range?.[0];

    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);

      return { line, column: col };
    }

    part = "key";
  }

  return { line: 1, column: 1 };
}

function valueNode(doc: Document, path: YamlPath): Located | undefined {
  return doc.getIn(path, true) as Located | undefined;
}

function keyNode(doc: Document, path: YamlPath): Located | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  const last = path[path.length - 1];

  if (isMap(parent)) {
    const pair = parent.items.find(
      (item) => isScalar(item.key) && String(item.key.value) === String(last),
    );

    return (pair?.key ?? undefined) as Located | undefined;
  }

  return isSeq(parent) ? (parent.items[Number(last)] as Located | undefined) : undefined;
}

/** `apps.api.slots[0]`, `access["Key Vault get/list"][0].role`. */
export function formatPath(path: YamlPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") {
      return `${text}[${segment}]`;
    }

    if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
      return text ? `${text}.${segment}` : segment;
    }

    return `${text}[${JSON.stringify(segment)}]`;
  }, "");
}

/** Splits an ajv instancePath (a JSON pointer) into keys and indexes. */
export function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node = data;

  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    const segment = Array.isArray(node) ? Number(key) : key;

    path.push(segment);
    node = (node as Record<string | number, unknown> | undefined)?.[segment];
  }

  return path;
}
