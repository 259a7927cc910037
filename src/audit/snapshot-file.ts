import { readFile, writeFile } from "node:fs/promises";

import { AuditError } from "./audit-error.js";
import type { Snapshot } from "./snapshot/snapshot.js";
import { SNAPSHOT_SCHEMA_VERSION } from "./snapshot/snapshot.js";

/** Reads a snapshot saved by `drift-audit collect`, checking it is one. */
export async function readSnapshotFile(file: string): Promise<Snapshot> {
  const text = await readFile(file, "utf8").catch((cause: unknown) => {
    throw new AuditError(
      "SNAPSHOT_UNREADABLE",
      `Cannot read snapshot ${file}: ${reason(cause)}. ` +
        "Check the path, or create one with `drift-audit collect --policy <dir> --out <file>`.",
      {
        cause,
      },
    );
  });
  const snapshot = parseSnapshot(file, text);

  return snapshot;
}

function parseSnapshot(file: string, text: string): Snapshot {
  let data: unknown;

  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new AuditError(
      "SNAPSHOT_INVALID",
      `Snapshot ${file} is not valid JSON: ${reason(cause)}.`,
      {
        cause,
      },
    );
  }

  if (!isSnapshot(data)) {
    throw new AuditError(
      "SNAPSHOT_INVALID",
      `Snapshot ${file} is not a drift-audit snapshot of schema version ` +
        `${SNAPSHOT_SCHEMA_VERSION}; collect a new one with \`drift-audit collect\`.`,
    );
  }

  return data;
}

function isSnapshot(data: unknown): data is Snapshot {
  if (typeof data !== "object" || data === null) {
    return false;
  }

  const record = data as Record<string, unknown>;
  const lists = ["vaults", "sites", "roleAssignments", "roleDefinitions", "gaps"];

  return (
    record["schemaVersion"] === SNAPSHOT_SCHEMA_VERSION &&
    typeof record["subscriptionId"] === "string" &&
    lists.every((key) => Array.isArray(record[key]))
  );
}

export async function writeSnapshotFile(file: string, snapshot: Snapshot): Promise<void> {
  await writeFile(file, JSON.stringify(snapshot, null, 2) + "\n", "utf8");
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
