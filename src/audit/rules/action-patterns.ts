/**
 * Azure RBAC action patterns such as `Microsoft.KeyVault/vaults/*`: `*`
 * matches any text and case does not matter. Shared by the rules that read
 * role and deny-assignment permissions.
 */

/** True when some action matches both patterns (`*` matches any text, case ignored). */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const known = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const cached = known.get(key);

    if (cached !== undefined) {
      return cached;
    }

    const result =
      i === x.length && j === y.length
        ? true
        : x[i] === "*"
          ? walk(i + 1, j) || (j < y.length && walk(i, j + 1))
          : y[j] === "*"
            ? walk(i, j + 1) || (i < x.length && walk(i + 1, j))
            : i < x.length && x[i] === y[j] && walk(i + 1, j + 1);

    known.set(key, result);

    return result;
  };

  return walk(0, 0);
}

/** True when every action `inner` matches also matches `outer`. */
export function patternCovers(outer: string, inner: string): boolean {
  return matcherOf(outer).test(inner);
}

// Role and deny permissions repeat the same few patterns across every
// assignment judged in a run: compile each once.
const matchers = new Map<string, RegExp>();

function matcherOf(pattern: string): RegExp {
  const known = matchers.get(pattern);
  if (known) {
    return known;
  }

  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const matcher = new RegExp(`^${source}$`, "i");
  matchers.set(pattern, matcher);

  return matcher;
}
