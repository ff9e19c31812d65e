/**
 * Cuts a word or line down for a diagnostic: text longer than `max` characters keeps its first
 * `keep` characters and ends in `...`.
 */
export function clip(text: string, max: number, keep = max - 3): string {
  return text.length > max ? `${text.slice(0, keep)}...` : text;
}
