import type { Logger } from "../logger.js";
import type { Policy } from "../policy/policy-model.js";
import type { AzureClients } from "./azure-clients.js";
import type { CollectionRecord } from "./collection-record.js";

/** What every collector stage shares during one run. */
export interface CollectContext {
  policy: Policy;
  clients: AzureClients;
  record: CollectionRecord;
  logger: Logger;
  /** Most units of work (an app, a vault, a principal) in flight at once. */
  concurrency: number;
  /** Longest one secret's version listing may take before it becomes a gap. */
  versionListingTimeoutMs: number;
}
