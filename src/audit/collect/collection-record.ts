/**
 * What a collection run could not see. Every read goes through `read()`, so
 * a failure is never silently skipped: a 404 on something that should exist
 * is recorded as not found (data), any other Azure failure as a gap.
 */
import type { Logger } from "../logger.js";
import type { CollectionGap, NotFoundObservation } from "../snapshot/snapshot.js";
import { isNotFound, toCollectionGap } from "./to-collection-gap.js";

export interface ReadOptions {
  /** A 404 means the resource does not exist, rather than a failed read. */
  notFoundIsData?: boolean;
  principalId?: string;
}

export class CollectionRecord {
  readonly gaps: CollectionGap[] = [];
  readonly notFound: NotFoundObservation[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly runFields: Record<string, string>,
  ) {}

  /** Runs one read; on failure records why and returns undefined. */
  async read<T>(
    resourceId: string,
    what: string,
    reader: () => Promise<T>,
    options: ReadOptions = {},
  ): Promise<T | undefined> {
    try {
      return await reader();
    } catch (error) {
      if (options.notFoundIsData && isNotFound(error)) {
        this.notFound.push({ resourceId, what });

        return undefined;
      }

      this.addGap(toCollectionGap(error, resourceId, what, options.principalId));

      return undefined;
    }
  }

  addGap(gap: CollectionGap): void {
    this.gaps.push(gap);
    this.logger.warn("collection gap", {
      ...this.runFields,
      resourceId: gap.resourceId,
      what: gap.what,
      statusCode: gap.statusCode,
      errorCode: gap.errorCode,
      principalId: gap.principalId,
    });
  }
}

/** Drains a paged SDK iterator into an array. */
export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    all.push(item);
  }

  return all;
}
