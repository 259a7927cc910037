import { readFile, writeFile } from "node:fs/promises";

import { AuditError } from "./audit-error.js";
import { findBlindSpots } from "./snapshot/blind-spots.js";
import type { Snapshot } from "./snapshot/snapshot.js";
import { checkSnapshot } from "./snapshot/check-snapshot.js";

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
  return parseSnapshot(file, text);
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

  const problem = checkSnapshot(data);

  if (problem) {
    throw new AuditError(
      "SNAPSHOT_INVALID",
      `Snapshot ${file} is not a usable drift-audit snapshot: ${problem}. ` +
        "Collect a new one with `drift-audit collect --policy <dir> --out <file>`.",
    );
  }

  const snapshot = data as Snapshot;

  return { ...snapshot, gaps: [...snapshot.gaps, ...findBlindSpots(snapshot)] };
}

export async function writeSnapshotFile(file: string, snapshot: Snapshot): Promise<void> {
  await writeFile(file, JSON.stringify(snapshot, null, 2) + "\n", "utf8");
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
