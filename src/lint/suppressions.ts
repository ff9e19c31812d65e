import { splitIds } from './manifests.js';

/**
 * Suppressions written in dumps: a comment line `# rulec-ignore-next-line rule-id, rule-id`
 * (iptables-save and iptables-restore allow `#` lines) silences those rules on the next line
 * that is not itself a comment or blank. Manifests use the `rulec.io/ignore` annotation instead.
 */

export const IGNORE_NEXT_LINE = 'rulec-ignore-next-line';

const DIRECTIVE = /^\s*#\s*rulec-ignore-next-line\b(.*)$/;

/** Line number (1-based) → rule ids suppressed on it (`*` for every rule). */
export function commentSuppressions(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (!text.includes(IGNORE_NEXT_LINE)) return out;
  let pending: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = DIRECTIVE.exec(line);
    if (m) {
      const ids = splitIds((m[1] ?? '').replace(/--.*$/, ''));
      pending.push(...(ids.length > 0 ? ids : ['*']));
      continue;
    }
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (pending.length > 0) {
      out.set(i + 1, pending);
      pending = [];
    }
  }
  return out;
}

export function isSuppressed(ruleId: string, ids: readonly string[]): boolean {
  return ids.includes(ruleId) || ids.includes('*');
}
