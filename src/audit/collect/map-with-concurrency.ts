/**
 * Runs `task` over `items` with at most `limit` in flight, keeping results
 * in input order. Bounded so that hundreds of apps stay inside ARM's read
 * budget and a Function's timeout without opening hundreds of sockets.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;

  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T, index);
    }
  }

  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);

  return results;
}
