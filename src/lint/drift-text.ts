/**
 * Wording shared by the rules that compare a node with its manifests (`drift`, `ipvs-drift`).
 */

/** Up to five items, then how many more: `a, b, c, d, e and 3 more`. */
export function listSome(items: readonly string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', ');
}

/**
 * What one side has and the other lacks, for `noun` (`endpoint`, `real server`): phrases such as
 * `endpoints A, B in the manifests but not in the dump`, the manifests' side first. `missing`
 * and `extra` are sorted here.
 */
export function sideDifferences(noun: string, missing: readonly string[], extra: readonly string[]): string[] {
  const parts: string[] = [];
  const phrase = (items: readonly string[], where: string) => `${noun}${items.length > 1 ? 's' : ''} ${listSome([...items].sort())} ${where}`;
  if (missing.length > 0) parts.push(phrase(missing, 'in the manifests but not in the dump'));
  if (extra.length > 0) parts.push(phrase(extra, 'in the dump but not in the manifests'));
  return parts;
}
