import leven from 'leven';

/**
 * " (did you mean "x"?)" when a known name is a likely typo of `name` (an edit distance of at most a third of
 * its length, at least 1, or the same letters in another case); "" otherwise.
 */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : leven(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && best !== name && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}
