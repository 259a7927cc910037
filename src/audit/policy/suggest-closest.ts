/** The candidate nearest to `text` by edit distance, when it is near enough to be a typo. */
export function suggestClosest(
  text: string,
  candidates: readonly string[],
  maxDistance?: number,
): string | undefined {
  const wanted = text.toLowerCase();
  // A word cut short ("AzurePublic") is a typo too, however far in edits.
  const extended = candidates.find(
    (candidate) => wanted.length >= 4 && candidate.toLowerCase().startsWith(wanted),
  );

  if (extended) {
    return extended;
  }

  let best: { candidate: string; distance: number } | undefined;

  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());

    if (!best || distance < best.distance) {
      best = { candidate, distance };
    }
  }

  // Beyond a third of the word it is a different word, not a typo.
  const limit = maxDistance ?? Math.max(2, Math.floor(wanted.length / 3));

  return best && best.distance <= limit ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);

  for (let i = 1; i <= a.length; i++) {
    const current = [i];

    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);

      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }

    previous = current;
  }

  return previous[b.length] ?? 0;
}
