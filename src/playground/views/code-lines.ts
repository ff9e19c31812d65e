/// <reference lib="dom" />

/** Lines drawn at most in one code view (the rest is summarised), so that a huge dump stays quick to show. */
export const MAX_LINES = 60_000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);
}

/**
 * Text as numbered lines, options of a listbox: each with its number in `data-line` and the id
 * `ID-N`, for the listbox's aria-activedescendant.
 */
export function codeLinesHtml(text: string, id: string): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const shown = Math.min(lines.length, MAX_LINES);
  const parts: string[] = [];
  for (let i = 0; i < shown; i++) {
    const line = lines[i] ?? '';
    const testid = line.trim() === '' ? '' : ' data-testid="rule"';
    parts.push(`<div class="code-line" role="option" aria-selected="false" id="${id}-${i + 1}" data-line="${i + 1}"${testid}><span class="no" aria-hidden="true">${i + 1}</span><code>${escapeHtml(line)}</code></div>`);
  }
  if (lines.length > shown) parts.push(`<div class="code-line" role="option" aria-disabled="true">… ${lines.length - shown} more lines</div>`);
  return parts.join('');
}
