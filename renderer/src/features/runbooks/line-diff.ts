// Which lines of one text another text does not share, for showing sibling versions side by side:
// a longest-common-subsequence of lines, after the common start and end are set aside (sibling
// edits are usually small, so what is left to compare is small too).

/** Beyond this many line pairs a text is compared by which lines occur in the other, in any order. */
const maxPairs = 2_000_000;

/** For each line of `a`, whether it is missing from `b` (added or changed in `a`). */
export function changedLines(a: string[], b: string[]): boolean[] {
  const changed = new Array<boolean>(a.length).fill(false);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0) return changed;
  if (m === 0 || n * m > maxPairs) {
    const counts = new Map<string, number>();
    for (let j = start; j < endB; j++) counts.set(b[j], (counts.get(b[j]) ?? 0) + 1);
    for (let i = start; i < endA; i++) {
      const left = counts.get(a[i]) ?? 0;
      if (left > 0) counts.set(a[i], left - 1);
      else changed[i] = true;
    }
    return changed;
  }
  // lengths[i * (m + 1) + j]: the LCS of a[start + i…] and b[start + j…].
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] = a[start + i] === b[start + j] ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && a[start + i] === b[start + j]) {
      i++;
      j++;
    } else if (j < m && lengths[i * width + j + 1] >= lengths[(i + 1) * width + j]) {
      j++;
    } else {
      changed[start + i] = true;
      i++;
    }
  }
  return changed;
}

/** For each line of `texts[index]`, whether some other text lacks it. */
export function linesDifferingFromOthers(texts: string[][], index: number): boolean[] {
  const own = texts[index];
  const marks = new Array<boolean>(own.length).fill(false);
  texts.forEach((other, k) => {
    if (k === index) return;
    changedLines(own, other).forEach((isChanged, line) => {
      if (isChanged) marks[line] = true;
    });
  });
  return marks;
}
