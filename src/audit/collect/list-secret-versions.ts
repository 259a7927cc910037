/**
 * Lists every version of one secret within a time limit. Key Vault has no
 * "newest N" query and promises no order (A32): a secret rotated daily has
 * hundreds of versions over many pages, so all of them are read and sorted
 * here by `created`. Past the limit the requests are aborted and the caller
 * gets only counts, never a partial list the rotation rules would judge.
 */
import type { SecretClient } from "@azure/keyvault-secrets";

import type { SecretVersionProperties } from "../snapshot/snapshot.js";
import { runWithAbortSignal } from "./abort-scope.js";
import { observeSecretVersion } from "./observe-vault.js";

export type VersionListing =
  | { complete: true; versions: SecretVersionProperties[] }
  | { complete: false; pagesRead: number; versionsRead: number };

function createdMs(version: SecretVersionProperties): number {
  return version.createdOn === undefined ? 0 : Date.parse(version.createdOn);
}

/**
 * Newest `created` first (never `updated`, which moves on a tag edit, A20);
 * versions created in the same second are ordered by id, so the result
 * does not depend on how the service paged them.
 */
export function sortNewestFirst(versions: SecretVersionProperties[]): SecretVersionProperties[] {
  return [...versions].sort(
    (a, b) => createdMs(b) - createdMs(a) || a.version.localeCompare(b.version),
  );
}

/**
 * All versions of `name`, newest first; `complete: false` when the time
 * limit ran out first. Any other failure is thrown for the caller to record.
 */
export async function listSecretVersions(
  client: SecretClient,
  name: string,
  timeLimitMs: number,
): Promise<VersionListing> {
  const signal = AbortSignal.timeout(timeLimitMs);
  const read: SecretVersionProperties[] = [];
  let pagesRead = 0;

  try {
    await runWithAbortSignal(signal, async () => {
      const pages = client.listPropertiesOfSecretVersions(name, { abortSignal: signal }).byPage();
      for await (const page of pages) {
        pagesRead += 1;
        read.push(...page.map(observeSecretVersion));
      }
    });
  } catch (error) {
    if (!signal.aborted) {
      throw error;
    }

    return { complete: false, pagesRead, versionsRead: read.length };
  }

  return { complete: true, versions: sortNewestFirst(read) };
}
