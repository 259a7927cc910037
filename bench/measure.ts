/**
 * Timing for synchronous work, built for ratios on a busy machine: the
 * tasks being compared run interleaved, round after round, so background
 * load falls on all of them alike; warm-up rounds come first so the JIT has
 * seen the code; a quick task repeats within a round until the sample is
 * long enough to time; the median over rounds is reported, because one GC
 * pause or scheduler hiccup would skew a mean. No forced GC between samples:
 * a full collection also throws away warmed-up code and made small tasks
 * look slower.
 */
import { performance } from "node:perf_hooks";

export interface Timing {
  /** Median over rounds of the time one run took. */
  medianMs: number;
  /** Runs timed, over all rounds. */
  runs: number;
}

export interface MeasureOptions {
  warmupRounds?: number;
  rounds?: number;
  /** A round repeats a quick task until its sample takes at least this long. */
  minSampleMs?: number;
}

/** The median of a list of numbers; 0 for an empty list. */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  if (sorted.length % 2) {
    return sorted[middle] ?? 0;
  }

  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Time per run of `task`, averaged over `repeats` back-to-back runs. */
function timeSample(task: () => unknown, repeats: number): number {
  const started = performance.now();

  for (let run = 0; run < repeats; run += 1) {
    task();
  }

  return (performance.now() - started) / repeats;
}

/**
 * Times each task, interleaved; results are in the order of `tasks`. The
 * first round also decides how often each task repeats per sample; with no
 * warm-up rounds it counts as a timed round, for tasks already warmed up.
 */
export function measureInterleaved(
  tasks: readonly (() => unknown)[],
  options: MeasureOptions = {},
): Timing[] {
  const { warmupRounds = 3, rounds = 5, minSampleMs = 200 } = options;
  const first = tasks.map((task) => timeSample(task, 1));
  const repeats = first.map((ms) => Math.max(1, Math.ceil(minSampleMs / Math.max(ms, 0.001))));
  const samples = tasks.map((_, index): number[] =>
    warmupRounds === 0 && repeats[index] === 1 ? [first[index] ?? 0] : [],
  );

  for (let round = 1; round < warmupRounds; round += 1) {
    tasks.forEach((task) => timeSample(task, 1));
  }

  for (let round = 0; round < rounds; round += 1) {
    tasks.forEach((task, index) => {
      const list = samples[index];

      if (list && list.length < rounds) {
        list.push(timeSample(task, repeats[index] ?? 1));
      }
    });
  }

  return samples.map((list, index) => ({
    medianMs: median(list),
    runs: list.length * (repeats[index] ?? 1),
  }));
}

/** Times one run of async work, in milliseconds. */
export async function measureOnce<T>(task: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await task();

  return { ms: performance.now() - started, result };
}
