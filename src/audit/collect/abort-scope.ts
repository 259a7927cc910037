/**
 * Lets one stretch of collector code cancel every request it makes. The
 * Key Vault SDK's paged listings hand `abortSignal` to the first page's
 * request only: its paging helper fetches each later page without the
 * caller's options. A time limit given as an option would stop nothing
 * after page one, so a pipeline policy (see azure-clients.ts) reads the
 * signal from here instead.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const scopes = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` so that every SDK request it starts is aborted with `signal`. */
export function runWithAbortSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scopes.run(signal, work);
}

/** The signal of the innermost `runWithAbortSignal`, if any. */
export function currentAbortSignal(): AbortSignal | undefined {
  return scopes.getStore();
}
